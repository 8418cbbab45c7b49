import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('key rotation through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('a new key does not rotate, and its status says only that', async () => {
    const key = await newKey();
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }));
    assert.equal(status.KeyRotationEnabled, false);
    assert.equal(status.KeyId, key.arn);
    assert.equal(status.NextRotationDate, undefined);
    assert.equal(status.RotationPeriodInDays, undefined);
  });

  test('EnableKeyRotation defaults to 365 days and schedules the next rotation', async () => {
    const key = await newKey();
    const before = Date.now();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.id }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.arn }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 365);
    const next = status.NextRotationDate?.getTime() ?? 0;
    // Epoch seconds on the wire: allow for the truncated milliseconds.
    assert.ok(next >= before + 365 * DAY_MS - 1000 && next <= Date.now() + 365 * DAY_MS);
  });

  test('EnableKeyRotation takes a period of 90 to 2560 days', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 90 }));
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).RotationPeriodInDays, 90);
    await assert.rejects(kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 89 })), {
      name: 'ValidationException',
    });
    await assert.rejects(kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 2561 })), {
      name: 'ValidationException',
    });
  });

  test('DisableKeyRotation turns rotation off', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.id }));
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.id }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }));
    assert.equal(status.KeyRotationEnabled, false);
    assert.equal(status.NextRotationDate, undefined);
  });

  test('rotation settings of a disabled key are DisabledException', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    await assert.rejects(kms.send(new EnableKeyRotationCommand({ KeyId: key.id })), {
      name: 'DisabledException',
      message: `${key.arn} is disabled.`,
    });
    await assert.rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id })), { name: 'DisabledException' });
  });

  test('rotation settings of a key pending deletion are KMSInvalidStateException', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(kms.send(new EnableKeyRotationCommand({ KeyId: key.id })), {
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  test('RotateKeyOnDemand makes new material current; old ciphertexts still decrypt', async () => {
    const key = await newKey();
    const firstMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.CurrentKeyMaterialId;
    const old = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('before rotation') }));
    const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.arn }));
    assert.equal(rotated.KeyId, key.arn); // AWS answers with the key ARN (recorded in test/api/fidelity)
    const current = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.CurrentKeyMaterialId;
    assert.notEqual(current, firstMaterial);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'before rotation');
    assert.equal(decrypted.KeyMaterialId, firstMaterial);

    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: key.id }));
    assert.equal(rotations.Rotations?.length, 1);
    const [entry] = rotations.Rotations ?? [];
    assert.equal(entry?.KeyId, key.id);
    assert.equal(entry?.KeyMaterialId, current);
    assert.equal(entry?.KeyMaterialState, 'CURRENT');
    assert.equal(entry?.RotationType, 'ON_DEMAND');
    assert.ok(entry?.RotationDate instanceof Date);
  });

  test('ListKeyRotations with ALL_KEY_MATERIAL also lists the first material, as NON_CURRENT', async () => {
    const key = await newKey();
    const firstMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.CurrentKeyMaterialId;
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
    const all = await kms.send(new ListKeyRotationsCommand({ KeyId: key.id, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    assert.equal(all.Rotations?.length, 2);
    assert.equal(all.Rotations?.[0]?.KeyMaterialId, firstMaterial);
    assert.equal(all.Rotations?.[0]?.KeyMaterialState, 'NON_CURRENT');
    assert.equal(all.Rotations?.[0]?.RotationType, undefined);
    assert.equal(all.Rotations?.[1]?.KeyMaterialState, 'CURRENT');
  });

  test('ListKeyRotations pages with Limit and Marker', async () => {
    const key = await newKey();
    for (let rotation = 0; rotation < 3; rotation++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
    const first = await kms.send(new ListKeyRotationsCommand({ KeyId: key.id, Limit: 2 }));
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListKeyRotationsCommand({ KeyId: key.id, Limit: 2, Marker: first.NextMarker }));
    assert.equal(second.Truncated, false);
    const ids = [...(first.Rotations ?? []), ...(second.Rotations ?? [])].map((entry) => entry.KeyMaterialId);
    assert.equal(new Set(ids).size, 3);
  });
});
