import { createHash } from 'node:crypto';
import { importAuditJournals, openAuditDatabase, type CloudTrailEvent } from '../../src/audit/index.js';
import { accessKeyAad } from '../../src/auth/credential-resolver.js';
import { newAccessKeyId, newSecretAccessKey } from '../../src/auth/access-keys.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import type { TestServer } from '../support/server.js';

/** Every record of the trail in `dataDir` (journals imported first, as every reader does), in order, parsed. */
export function readTrail(dataDir: string): CloudTrailEvent[] {
  const path = dataDirectoryLayout(dataDir).auditDatabase;
  importAuditJournals(path);
  const db = openAuditDatabase(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT event_json FROM audit_records ORDER BY id').all() as { event_json: string }[];
    return rows.map((row) => JSON.parse(row.event_json) as CloudTrailEvent);
  } finally {
    db.close();
  }
}

/** The records whose `requestID` is `requestId` (exactly one is expected). */
export function eventsOfRequest(dataDir: string, requestId: string | undefined): CloudTrailEvent[] {
  return readTrail(dataDir).filter((event) => event.requestID === requestId);
}

/** The request id of an SDK response or error. */
export function requestIdOf(value: unknown): string | undefined {
  return (value as { $metadata?: { requestId?: string } }).$metadata?.requestId;
}

/** Runs `send` and returns its response or error, whichever it was, with its request id. */
export async function settle(send: Promise<unknown>): Promise<{ ok: boolean; value: unknown; requestId: string | undefined }> {
  try {
    const value = await send;
    return { ok: true, value, requestId: requestIdOf(value) };
  } catch (error) {
    return { ok: false, value: error, requestId: requestIdOf(error) };
  }
}

export interface TestPrincipal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const ALLOW_KMS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

/** An IAM user of the server's account allowed `kms:*`, with an access key (written straight into the store). */
export async function createIamUser(server: TestServer, userName: string): Promise<TestPrincipal> {
  const arn = `arn:aws:iam::${server.accountId}:user/${userName}`;
  const userId = `AIDA${userName.toUpperCase().padEnd(17, 'X')}`;
  await server.node.store.identities.createUser({ accountId: server.accountId, userName, userId, arn, path: '/', createdAt: Date.now() });
  await server.node.store.identities.putPolicy({ principalArn: arn, policyName: 'kms', document: ALLOW_KMS });
  return storeAccessKey(server, {
    principalArn: `arn:aws:iam::${server.accountId}:user/${userName}`,
    principalType: 'IAMUser',
    principalId: `AIDA${userName.toUpperCase().padEnd(17, 'X')}`,
    userName,
  });
}

/** Temporary credentials of a session of a role allowed `kms:*`, as AssumeRole issues them. */
export async function createRoleSession(server: TestServer, roleName: string, sessionName: string, createdAt: number): Promise<TestPrincipal> {
  const roleArn = `arn:aws:iam::${server.accountId}:role/${roleName}`;
  await server.node.store.identities.createRole({
    accountId: server.accountId, roleName, roleId: 'AROAEXAMPLEROLE00001', arn: roleArn, path: '/', trustPolicy: '{}',
    maxSessionDurationSeconds: 3600, createdAt: Date.now(),
  });
  await server.node.store.identities.putPolicy({ principalArn: roleArn, policyName: 'kms', document: ALLOW_KMS });
  const sessionToken = `session-${sessionName}-${createdAt}`;
  return storeAccessKey(server, {
    principalArn: `arn:aws:sts::${server.accountId}:assumed-role/${roleName}/${sessionName}`,
    principalType: 'AssumedRole',
    principalId: `AROAEXAMPLEROLE00001:${sessionName}`,
    sessionToken,
    createdAt,
  });
}

async function storeAccessKey(
  server: TestServer,
  principal: {
    principalArn: string; principalType: 'IAMUser' | 'AssumedRole'; principalId: string; userName?: string;
    sessionToken?: string; createdAt?: number;
  },
): Promise<TestPrincipal> {
  const temporary = principal.sessionToken !== undefined;
  const accessKeyId = newAccessKeyId(temporary ? 'ASIA' : 'AKIA');
  const secret = newSecretAccessKey();
  await server.node.store.identities.createAccessKey({
    accessKeyId,
    accountId: server.accountId,
    principalArn: principal.principalArn,
    principalType: principal.principalType,
    principalId: principal.principalId,
    ...(principal.userName !== undefined ? { userName: principal.userName } : {}),
    wrappedSecret: server.node.rootKey.wrap(secret, accessKeyAad(accessKeyId)),
    status: 'Active',
    createdAt: principal.createdAt ?? Date.now(),
    ...(temporary
      ? {
          expiresAt: Date.now() + 3_600_000,
          sessionTokenHash: createHash('sha256').update(principal.sessionToken ?? '').digest(),
        }
      : {}),
  });
  return {
    accessKeyId,
    secretAccessKey: secret.expose().toString('utf8'),
    ...(principal.sessionToken !== undefined ? { sessionToken: principal.sessionToken } : {}),
  };
}
