import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { createSoftHsmToken, softHsm, type SoftHsmToken } from '../support/softhsm.js';
import { openRawPkcs11Session } from './raw-pkcs11-session.js';

/**
 * A server whose root of trust is in a PKCS#11 token keeps working when the token drops its session (a restart of
 * the HSM, a network HSM's connection lost): the next wrap or unwrap opens another and logs in again. While the
 * token refuses that login, requests that need the root get KMSInternalException, and none of them waits for it;
 * `/readyz` says so, and says so no more once the token takes the login again.
 */
describe('a PKCS#11 root of trust whose token loses its session (SoftHSM2)', { skip: softHsm.skip }, () => {
  let token: SoftHsmToken;
  let server: TestServer;
  const CHANGED_PIN = 'changed-pin-0815';

  before(async () => {
    token = createSoftHsmToken();
    process.env['SOFTHSM2_CONF'] = token.confPath; // the server runs in this process: one C_Initialize, one token directory
    server = await startTestServer({
      rootOfTrust: { kind: 'pkcs11', modulePath: token.modulePath, tokenLabel: token.tokenLabel, pinFile: token.pinFile },
    });
  });
  after(async () => {
    await server?.stop();
    token?.remove();
  });

  /** What the token does to its sessions when it restarts: every one of this process's closed, the login gone. */
  async function dropEverySession(changePinTo?: string): Promise<void> {
    const raw = await openRawPkcs11Session(token.modulePath, token.tokenLabel, token.pin);
    if (changePinTo !== undefined) raw.cryptoki.C_SetPIN(raw.session, token.pin, changePinTo);
    raw.closeAllSessions();
    raw.close();
  }

  async function encryptUnderNewKey(): Promise<{ keyId: string; ciphertext: Uint8Array }> {
    const kms = server.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({})); // new key material, wrapped by the token
    const keyId = KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('through the token') }));
    return { keyId, ciphertext: CiphertextBlob! };
  }

  test('the next request that needs the root opens another session and is answered', async () => {
    const before = await encryptUnderNewKey();
    await dropEverySession();
    const afterLoss = await encryptUnderNewKey();
    const kms = server.kms();
    for (const { keyId, ciphertext } of [before, afterLoss]) {
      const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
      assert.equal(Buffer.from(Plaintext!).toString(), 'through the token');
      assert.match(KeyId!, new RegExp(`${keyId}$`));
    }
  });

  test('while the token refuses the login, requests get KMSInternalException at once; then they are answered again', async () => {
    await dropEverySession(CHANGED_PIN);
    const started = performance.now();
    await assert.rejects(server.kms().send(new CreateKeyCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'KMSInternalException');
      assert.equal(error.$metadata?.httpStatusCode, 500);
      assert.ok(!error.message.includes(token.pin) && !error.message.includes(CHANGED_PIN), error.message);
      return true;
    });
    assert.ok(performance.now() - started < 5000, 'the refusal waited');
    assert.deepEqual(await readiness(), { status: 503, rootKey: 'failed' }, 'a load balancer takes the node out');
    const logs = server.logs.join('\n');
    assert.ok(!logs.includes(token.pin) && !logs.includes(CHANGED_PIN), 'a PIN in the log');

    const restore = await openRawPkcs11Session(token.modulePath, token.tokenLabel, CHANGED_PIN);
    restore.cryptoki.C_SetPIN(restore.session, CHANGED_PIN, token.pin);
    restore.close(); // the last session: the token logs out, and the server's next login is a fresh one
    assert.deepEqual(await readiness(), { status: 200, rootKey: 'ok' }, 'and puts it back');
    const { ciphertext } = await encryptUnderNewKey();
    const { Plaintext } = await server.kms().send(new DecryptCommand({ CiphertextBlob: ciphertext }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'through the token');
  });

  /** `GET /readyz`: its status and what it says of the root of trust (its probe unwraps through the token). */
  async function readiness(): Promise<{ status: number; rootKey: unknown }> {
    const response = await fetch(`${server.endpoint}/readyz`);
    const body = (await response.json()) as { checks: Record<string, unknown> };
    return { status: response.status, rootKey: body.checks['rootKey'] };
  }
});
