/**
 * Who is signed in: the credentials the console signs with, kept in the tab's session storage only (gone when
 * the tab closes, never sent to the server: requests carry SigV4 signatures made here). Nothing else stores them.
 */
export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (a role assumed at sign-in). */
  readonly sessionToken?: string;
  readonly region: string;
  /** From GetCallerIdentity at sign-in. */
  readonly accountId: string;
  readonly arn: string;
}

const STORAGE_KEY = 'strongroom.session';

export function loadSession(): Session | undefined {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) return undefined;
  try {
    const parsed = JSON.parse(stored) as Partial<Session>;
    const { accessKeyId, secretAccessKey, region, accountId, arn, sessionToken } = parsed;
    if (!accessKeyId || !secretAccessKey || !region || !accountId || !arn) return undefined;
    return { accessKeyId, secretAccessKey, region, accountId, arn, ...(sessionToken ? { sessionToken } : {}) };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Whether the principal is an account's root (only the administrator account's root may call the admin API). */
export function isRoot(session: Session): boolean {
  return session.arn.endsWith(':root');
}
