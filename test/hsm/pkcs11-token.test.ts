import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  openPkcs11Token,
  Pkcs11DecryptionFailed,
  Pkcs11Error,
  type Pkcs11Problem,
  type Pkcs11Token,
} from '../../src/hsm/pkcs11-token.js';
import { pkcs11Failure } from '../../src/hsm/pkcs11-errors.js';
import { fromShared } from '../support/shared.js';
import { createSoftHsmTokens, softHsm, type SoftHsmToken } from '../support/softhsm.js';
import { openRawPkcs11Session } from './raw-pkcs11-session.js';

const iv = () => randomBytes(12);
const aad = Buffer.from('{"purpose":"test"}');
const CHANGED_PIN = 'changed-pin-4711';

describe('a PKCS#11 token (SoftHSM2)', { skip: softHsm.skip }, () => {
  let first: SoftHsmToken;
  let second: SoftHsmToken;
  /** Every error message seen, checked at the end for the PINs. */
  const messages: string[] = [];

  before(() => {
    // Two tokens in one directory: one process (one C_Initialize, one SOFTHSM2_CONF) opens both.
    [first, second] = createSoftHsmTokens(['strongroom-first', 'strongroom-second']) as [SoftHsmToken, SoftHsmToken];
    process.env['SOFTHSM2_CONF'] = first.confPath;
  });
  after(() => first.remove());

  const open = (token: SoftHsmToken, pin = token.pin) =>
    openPkcs11Token({ modulePath: token.modulePath, tokenLabel: token.tokenLabel, pin });

  /** Asserts that `run` rejects with a Pkcs11Error of `problem`, and keeps its message. */
  async function rejectsWith(run: () => unknown, problem: Pkcs11Problem, message?: RegExp): Promise<void> {
    await assert.rejects(async () => run(), (error: unknown) => {
      assert.ok(error instanceof Pkcs11Error, String(error));
      messages.push(error.message, String(error.stack));
      assert.equal(error.problem, problem, error.message);
      if (message) assert.match(error.message, message);
      return true;
    });
  }

  async function withToken(run: (token: Pkcs11Token) => void | Promise<void>, token = first): Promise<void> {
    const opened = await open(token);
    try {
      await run(opened);
    } finally {
      opened.close();
    }
  }

  test('opens the token by its label and names it and its serial number', async () => {
    await withToken((token) => {
      assert.equal(token.tokenLabel, 'strongroom-first');
      assert.match(token.serialNumber, /^[0-9a-f]{16}$/);
    });
  });

  test('generates, finds and destroys AES keys by label', async () => {
    await withToken((token) => {
      const key = token.generateAesKey('generated');
      assert.equal(key.id.length, 16);
      assert.deepEqual(token.findAesKey('generated'), key);
      assert.equal(token.findAesKey('absent'), undefined);
      token.destroyKey(key);
      assert.equal(token.findAesKey('generated'), undefined);
    });
  });

  test('a destroyed key is KEY_NOT_FOUND; two keys with one label cannot be found by it', async () => {
    await withToken(async (token) => {
      const key = token.generateAesKey('doomed');
      token.destroyKey(key);
      await rejectsWith(() => token.encryptAesGcm(key, iv(), aad, Buffer.from('x')), 'KEY_NOT_FOUND', /"doomed"/);
      const twins = [token.generateAesKey('twin'), token.generateAesKey('twin')];
      await rejectsWith(() => token.findAesKey('twin'), 'KEY_NOT_FOUND', /2 AES keys are labelled "twin"/);
      for (const twin of twins) token.destroyKey(twin);
    });
  });

  test('AES-GCM round trip; the tag binds ciphertext, IV, AAD and key', async () => {
    await withToken((token) => {
      const key = token.generateAesKey('round-trip');
      const other = token.generateAesKey('round-trip-other');
      for (const plaintext of [Buffer.alloc(0), Buffer.from('sentinel plaintext'), randomBytes(4096)]) {
        const nonce = iv();
        const sealed = token.encryptAesGcm(key, nonce, aad, plaintext);
        assert.equal(sealed.length, plaintext.length + 16);
        assert.deepEqual(token.decryptAesGcm(key, nonce, aad, sealed), plaintext);
        const flipped = (buffer: Buffer, at: number) => Buffer.from(buffer).fill(buffer[at]! ^ 1, at, at + 1);
        const forgeries: Array<[string, () => Buffer]> = [
          ['changed AAD', () => token.decryptAesGcm(key, nonce, Buffer.from('{"purpose":"other"}'), sealed)],
          ['changed tag byte', () => token.decryptAesGcm(key, nonce, aad, flipped(sealed, sealed.length - 1))],
          ['changed IV', () => token.decryptAesGcm(key, flipped(nonce, 0), aad, sealed)],
          ['other key', () => token.decryptAesGcm(other, nonce, aad, sealed)],
          ['truncated', () => token.decryptAesGcm(key, nonce, aad, sealed.subarray(0, 15))],
          ['11-byte IV', () => token.decryptAesGcm(key, nonce.subarray(0, 11), aad, sealed)],
          ...(plaintext.length > 0 ? [['changed ciphertext byte', () => token.decryptAesGcm(key, nonce, aad, flipped(sealed, 0))] as [string, () => Buffer]] : []),
        ];
        for (const [name, forge] of forgeries) {
          assert.throws(forge, (error: unknown) => error instanceof Pkcs11DecryptionFailed && error.message === 'decryption failed', name);
        }
      }
      assert.throws(() => token.encryptAesGcm(key, randomBytes(16), aad, Buffer.from('x')), RangeError);
      token.destroyKey(key);
      token.destroyKey(other);
    });
  });

  test('agrees with node:crypto on a key known to the test (imported, extractable, test only)', async () => {
    await withToken(async (token) => {
      const raw = await openRawPkcs11Session(first.modulePath, first.tokenLabel, first.pin);
      try {
        const value = randomBytes(32);
        raw.importAesKey('known', value);
        const key = token.findAesKey('known')!;
        for (const size of [0, 1, 15, 16, 17, 1000]) {
          const [nonce, plaintext, additional] = [iv(), randomBytes(size), randomBytes(size % 40)];
          const cipher = createCipheriv('aes-256-gcm', value, nonce).setAAD(additional);
          const expected = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
          assert.deepEqual(token.encryptAesGcm(key, nonce, additional, plaintext), expected, `${size} bytes`);
          assert.deepEqual(token.decryptAesGcm(key, nonce, additional, expected), plaintext);
        }
        token.destroyKey(key);
      } finally {
        raw.close();
      }
    });
  });

  const vectors = fromShared('vectors/wycheproof/aes_gcm_test.json');
  test('Wycheproof aes_gcm_test.json (256-bit keys, 96-bit IVs, 128-bit tags) through the token', { skip: vectors.skip }, async () => {
    const file = JSON.parse(readFileSync(vectors.path, 'utf8')) as WycheproofGcmFile;
    const counts = { valid: 0, invalid: 0 };
    await withToken(async (token) => {
      const raw = await openRawPkcs11Session(first.modulePath, first.tokenLabel, first.pin);
      try {
        for (const group of file.testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128)) {
          for (const vector of group.tests) {
            const label = `wycheproof-${vector.tcId}`;
            raw.importAesKey(label, hex(vector.key));
            const key = token.findAesKey(label)!;
            const [nonce, msg, ad, sealed] = [hex(vector.iv), hex(vector.msg), hex(vector.aad), hex(vector.ct + vector.tag)];
            if (vector.result === 'valid') {
              assert.deepEqual(token.encryptAesGcm(key, nonce, ad, msg), sealed, label);
              assert.deepEqual(token.decryptAesGcm(key, nonce, ad, sealed), msg, label);
              counts.valid += 1;
            } else {
              assert.throws(() => token.decryptAesGcm(key, nonce, ad, sealed), Pkcs11DecryptionFailed, label);
              counts.invalid += 1;
            }
            token.destroyKey(key);
          }
        }
      } finally {
        raw.close();
      }
    });
    // Pinned, as in test/crypto/aead.test.ts: a changed file or a group filtered out is noticed.
    assert.deepEqual(counts, { valid: 39, invalid: 27 });
  });

  test('a generated key is non-extractable and sensitive: CKA_VALUE cannot be read', async () => {
    await withToken(async (token) => {
      const key = token.generateAesKey('locked-in');
      const raw = await openRawPkcs11Session(first.modulePath, first.tokenLabel, first.pin);
      try {
        const b = raw.binding;
        const [handle] = raw.findKeys('locked-in');
        assert.ok(handle);
        assert.throws(() => raw.cryptoki.C_GetAttributeValue(raw.session, handle, [{ type: b.CKA_VALUE }]), /CKR_ATTRIBUTE_SENSITIVE/);
        const flags = [b.CKA_TOKEN, b.CKA_PRIVATE, b.CKA_SENSITIVE, b.CKA_ALWAYS_SENSITIVE, b.CKA_EXTRACTABLE, b.CKA_NEVER_EXTRACTABLE, b.CKA_WRAP];
        const values = raw.cryptoki.C_GetAttributeValue(raw.session, handle, flags.map((type) => ({ type })));
        assert.deepEqual(values.map((attribute) => attribute.value[0]), [1, 1, 1, 1, 0, 1, 0]);
        const [length, id] = raw.cryptoki.C_GetAttributeValue(raw.session, handle, [{ type: b.CKA_VALUE_LEN }, { type: b.CKA_ID }]);
        assert.equal(length?.value.readUInt32LE(0), 32); // a CK_ULONG, little-endian here
        assert.deepEqual(id?.value, key.id);
      } finally {
        raw.close();
      }
      token.destroyKey(key);
    });
  });

  test('a wrong PIN is PIN_INCORRECT, whether the token checks it or an open session already logged in', async () => {
    await rejectsWith(() => open(second, '00000000'), 'PIN_INCORRECT', /C_Login to token "strongroom-second" failed: CKR_PIN_INCORRECT/);
    await withToken(async () => {
      // The token answers CKR_USER_ALREADY_LOGGED_IN to any PIN now: the PIN is checked against the first login.
      await rejectsWith(() => open(first, 'wrong-pin'), 'PIN_INCORRECT');
      const again = await open(first);
      again.close();
    });
  });

  test('an unknown or impossible label is TOKEN_NOT_FOUND; a missing or broken module is MODULE_NOT_FOUND', async () => {
    await rejectsWith(() => open({ ...first, tokenLabel: 'no-such-token' }), 'TOKEN_NOT_FOUND', /no token labelled "no-such-token"/);
    await rejectsWith(() => open({ ...first, tokenLabel: 'x'.repeat(33) }), 'TOKEN_NOT_FOUND');
    await rejectsWith(() => open({ ...first, modulePath: '/nonexistent/libpkcs11.so' }), 'MODULE_NOT_FOUND', /\/nonexistent\/libpkcs11\.so/);
    await rejectsWith(() => open({ ...first, modulePath: first.confPath }), 'MODULE_NOT_FOUND', /softhsm2\.conf/);
  });

  test('two tokens open in one process keep their keys apart; closing one leaves the other working', async () => {
    const a = await open(first);
    const b = await open(second);
    try {
      const keyA = a.generateAesKey('shared-label');
      const keyB = b.generateAesKey('shared-label');
      assert.notEqual(a.serialNumber, b.serialNumber);
      assert.deepEqual(b.findAesKey('shared-label'), keyB);
      const nonce = iv();
      const sealed = a.encryptAesGcm(keyA, nonce, aad, Buffer.from('only in a'));
      await rejectsWith(() => b.decryptAesGcm(keyA, nonce, aad, sealed), 'KEY_NOT_FOUND');
      assert.throws(() => b.decryptAesGcm(keyB, nonce, aad, sealed), Pkcs11DecryptionFailed);
      a.destroyKey(keyA);
      a.close();
      a.close();
      await rejectsWith(() => a.findAesKey('shared-label'), 'DEVICE_ERROR', /closed/);
      assert.deepEqual(b.decryptAesGcm(keyB, nonce, aad, b.encryptAesGcm(keyB, nonce, aad, Buffer.from('b'))), Buffer.from('b'));
      b.destroyKey(keyB);
    } finally {
      a.close();
      b.close();
    }
    // Everything closed (the module finalised): opening again initialises it again.
    await withToken((token) => assert.equal(token.findAesKey('shared-label'), undefined));
  });

  test('the same token opened twice: closing one session leaves the other logged in', async () => {
    const one = await open(first);
    const two = await open(first);
    one.close();
    try {
      const key = two.generateAesKey('still-logged-in');
      two.destroyKey(key);
    } finally {
      two.close();
    }
  });

  test('a session the token lost is opened again: reads and seals are tried once more, key changes are not', async () => {
    await withToken(async (token) => {
      const key = token.generateAesKey('outlives-its-session');
      const nonce = iv();
      const sealed = token.encryptAesGcm(key, nonce, aad, Buffer.from('kept across sessions'));
      const dropEverySession = async () => {
        const raw = await openRawPkcs11Session(first.modulePath, first.tokenLabel, first.pin);
        raw.closeAllSessions(); // the token's session, and the login with it, are gone
        raw.close();
      };
      try {
        await dropEverySession();
        assert.equal(token.decryptAesGcm(key, nonce, aad, sealed).toString(), 'kept across sessions');
        await dropEverySession();
        const again = iv();
        assert.equal(token.decryptAesGcm(key, again, aad, token.encryptAesGcm(key, again, aad, Buffer.from('x'))).toString(), 'x');
        await dropEverySession();
        assert.deepEqual(token.findAesKey('outlives-its-session'), key);
        await dropEverySession();
        assert.equal(token.generateRandom(16).length, 16);

        // Making a key twice could leave two under one label: the lost session's error stands, the next call works.
        await dropEverySession();
        await rejectsWith(() => token.generateAesKey('made-at-most-once'), 'DEVICE_ERROR', /CKR_SESSION_HANDLE_INVALID/);
        assert.equal(token.findAesKey('made-at-most-once'), undefined);
        // The reopened session is logged in: a private key object can be made and destroyed.
        token.destroyKey(token.generateAesKey('made-at-most-once'));
      } finally {
        token.destroyKey(key);
      }
    });
  });

  test('a session that cannot be opened again fails the operation with its own problem; the next call tries again', async () => {
    const token = await open(first);
    try {
      const key = token.generateAesKey('waits-for-its-token');
      // The PIN changes while every session is gone, so the token refuses the login that would bring one back.
      const raw = await openRawPkcs11Session(first.modulePath, first.tokenLabel, first.pin);
      raw.cryptoki.C_SetPIN(raw.session, first.pin, CHANGED_PIN);
      raw.closeAllSessions();
      raw.close();
      const nonce = iv();
      await rejectsWith(() => token.encryptAesGcm(key, nonce, aad, Buffer.from('later')), 'PIN_INCORRECT', /C_Login/);
      await rejectsWith(() => token.encryptAesGcm(key, nonce, aad, Buffer.from('later')), 'PIN_INCORRECT', /C_Login/);
      const restore = await openRawPkcs11Session(first.modulePath, first.tokenLabel, CHANGED_PIN);
      restore.cryptoki.C_SetPIN(restore.session, CHANGED_PIN, first.pin);
      restore.close(); // its session was the last: the token logs out
      assert.equal(token.decryptAesGcm(key, nonce, aad, token.encryptAesGcm(key, nonce, aad, Buffer.from('later'))).toString(), 'later');
      token.destroyKey(key);
    } finally {
      token.close();
    }
  });

  test('no error message holds a PIN', () => {
    assert.ok(messages.length > 10);
    for (const pin of [first.pin, second.pin, '00000000', 'wrong-pin', CHANGED_PIN]) {
      for (const message of messages) assert.ok(!message.includes(pin), `a message holds a PIN: ${message}`);
    }
  });
});

test('Cryptoki return values map onto problems (PIN_LOCKED cannot be provoked in SoftHSM2)', () => {
  const cryptokiError = (name: string) => Object.assign(new Error(name), { name: 'Pkcs11Error', code: 1 });
  const cases: Array<[string, Pkcs11Problem]> = [
    ['CKR_PIN_LOCKED', 'PIN_LOCKED'],
    ['CKR_PIN_INCORRECT', 'PIN_INCORRECT'],
    ['CKR_DEVICE_REMOVED', 'DEVICE_ERROR'],
    ['CKR_KEY_HANDLE_INVALID', 'KEY_NOT_FOUND'],
  ];
  for (const [returnValue, problem] of cases) {
    const failure = pkcs11Failure(cryptokiError(returnValue), 'C_Something on token "t"');
    assert.equal(failure.problem, problem);
    assert.equal(failure.message, `C_Something on token "t" failed: ${returnValue}`);
  }
  assert.equal(pkcs11Failure(new TypeError('bad argument'), 'C_X').problem, 'DEVICE_ERROR');
});

interface WycheproofGcmFile {
  testGroups: Array<{
    keySize: number;
    ivSize: number;
    tagSize: number;
    tests: Array<{ tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }>;
  }>;
}

function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}
