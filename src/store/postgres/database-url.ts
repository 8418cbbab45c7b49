/** What a password is replaced with when a database URL is shown. */
const REDACTED = '****';

/** Query parameters of a PostgreSQL URL that carry a secret (libpq accepts both). */
const SECRET_PARAMETERS = ['password', 'sslpassword'];

/**
 * A PostgreSQL connection string fit for a log line or an error message: its password, wherever it is
 * written, replaced by `****`. Handles both forms libpq accepts — a URL (`postgresql://user:secret@host/db`,
 * `?password=secret`) and keyword/value pairs (`host=db password=secret`). Everything else is kept, so an
 * operator can still tell which server and database is meant.
 *
 * @example
 *   redactDatabaseUrl('postgresql://kms:s3cret@db.internal:5432/strongroom');
 *   // → 'postgresql://kms:****@db.internal:5432/strongroom'
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return redactUrl(databaseUrl);
  return redactKeywordValues(databaseUrl);
}

function redactUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Not parseable, so nothing tells where a password starts: show only the scheme.
    return `${databaseUrl.slice(0, databaseUrl.indexOf('://') + 3)}${REDACTED}`;
  }
  if (url.password !== '') url.password = REDACTED;
  for (const name of SECRET_PARAMETERS) {
    if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/** `password = 'quoted \' value'` or `password=bare`, as libpq's keyword/value form writes them. */
const KEYWORD_PASSWORD = new RegExp(`\\b(${SECRET_PARAMETERS.join('|')})\\s*=\\s*('(?:\\\\.|[^'\\\\])*'|\\S+)`, 'gi');

function redactKeywordValues(conninfo: string): string {
  return conninfo.replace(KEYWORD_PASSWORD, (_match, keyword: string) => `${keyword}=${REDACTED}`);
}

/**
 * `text` (a driver's error message, say) with `databaseUrl` shown redacted wherever it is quoted, and its
 * password — should the text carry it on its own — replaced by `****`.
 *
 * @example
 *   redactDatabaseSecrets(`cannot connect to ${url}`, url);
 */
export function redactDatabaseSecrets(text: string, databaseUrl: string): string {
  let redacted = text.split(databaseUrl).join(redactDatabaseUrl(databaseUrl));
  for (const secret of secretsOf(databaseUrl)) redacted = redacted.split(secret).join(REDACTED);
  return redacted;
}

/** The passwords a connection string carries (URL user info, `password=`, `sslpassword=`), decoded. */
function secretsOf(databaseUrl: string): string[] {
  const found: string[] = [];
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') found.push(url.password, decodeURIComponent(url.password));
    for (const name of SECRET_PARAMETERS) found.push(...url.searchParams.getAll(name));
  } catch {
    for (const match of databaseUrl.matchAll(KEYWORD_PASSWORD)) found.push(match[2]!.replace(/^'|'$/g, ''));
  }
  // Short strings would blank out ordinary words; a password that short is not a secret worth the name anyway.
  return found.filter((secret) => secret.length >= 4);
}
