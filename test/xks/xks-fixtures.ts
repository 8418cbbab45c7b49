import { createCipheriv, createDecipheriv, createHash, randomUUID } from 'node:crypto';

/*
 * Keys with known material and key policies for the XKS proxy tests, and AES-GCM and the specification's byte
 * layouts written out here with node:crypto, independently of src/: what the proxy answers is checked against them.
 */

export const REGION = 'eu-west-1';

export const KEY_IDS = {
  main: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a01',
  encryptOnly: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a02',
  decryptOnly: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a03',
  impotent: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a04',
  ungranted: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a05',
  disabled: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a06',
  hmac: '2b5c3b52-1d6e-4a43-9c77-0d3f6a1e9a07',
} as const;

/** Public test material: the main key's two versions (the later is current) and the decrypt-only key's one. */
export const MATERIAL = {
  mainOld: Buffer.from('j5btRvMwIL1yh3sk01ZBguW0A8Ck7x4xDyf0LRHqWQE=', 'base64'),
  mainCurrent: Buffer.from('YyL0VII1FMvgNLlPd4M7yj0cP0bfCM+DiHMGRECre5o=', 'base64'),
  decryptOnly: Buffer.from('cxIYfUdwIPVdbiMtv135XuVoBpAk3dIN3HHFoHXLz+o=', 'base64'),
} as const;

export const ALL_ACTIONS = ['kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt'];

/** A key policy: the account's root may do everything (IAM policies apply), the XKS user `actions`. */
export function keyPolicy(accountId: string, userArn: string, actions: readonly string[]): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      ...(actions.length === 0
        ? []
        : [{ Sid: 'Allow the XKS proxy credential', Effect: 'Allow', Principal: { AWS: userArn }, Action: [...actions], Resource: '*' }]),
    ],
  };
}

/** The seed file of every XKS test key. */
export function xksSeed({ accountId, userArn }: { accountId: string; userArn: string }): unknown {
  const policy = (actions: readonly string[]) => keyPolicy(accountId, userArn, actions);
  return {
    version: 1,
    defaults: { account: accountId, region: REGION },
    keys: [
      {
        id: KEY_IDS.main,
        aliases: ['alias/xks-main'],
        policy: policy(ALL_ACTIONS),
        materials: [MATERIAL.mainOld.toString('base64'), MATERIAL.mainCurrent.toString('base64')],
      },
      { id: KEY_IDS.encryptOnly, policy: policy(['kms:Encrypt']) },
      { id: KEY_IDS.decryptOnly, policy: policy(['kms:Decrypt']), material: MATERIAL.decryptOnly.toString('base64') },
      { id: KEY_IDS.impotent, policy: policy(['kms:DescribeKey']) },
      { id: KEY_IDS.ungranted, policy: policy([]) },
      { id: KEY_IDS.disabled, enabled: false, policy: policy(ALL_ACTIONS) },
      { id: KEY_IDS.hmac, spec: 'HMAC_256', policy: policy(ALL_ACTIONS) },
    ],
  };
}

/** The specification's AAD for the key manager, written out: `len16(aad) ‖ aad ‖ len8(metadata) ‖ metadata`. */
export function specAad(aad: Buffer | undefined, metadata: Buffer | undefined): Buffer {
  const a = aad ?? Buffer.alloc(0);
  const m = metadata ?? Buffer.alloc(0);
  return Buffer.concat([Buffer.from([a.length >> 8, a.length & 0xff]), a, Buffer.from([m.length]), m]);
}

/** Appendix C, written out: Base64 of SHA-256 over `aad ‖ metadata ‖ iv ‖ ciphertext ‖ tag`. */
export function specCdiv(parts: { aad?: Buffer; metadata?: Buffer; iv: Buffer; ciphertext: Buffer; tag: Buffer }): string {
  return createHash('sha256')
    .update(Buffer.concat([parts.aad ?? Buffer.alloc(0), parts.metadata ?? Buffer.alloc(0), parts.iv, parts.ciphertext, parts.tag]))
    .digest('base64');
}

export function openLocally(material: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', material, iv, { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function sealLocally(material: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', material, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** The `requestMetadata` AWS KMS sends, as the public test client sends it. */
export function requestMetadata(kmsOperation: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    awsPrincipalArn: 'arn:aws:iam::123456789012:user/Alice',
    kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:/key/1234abcd-12ab-34cd-56ef-1234567890ab',
    kmsOperation,
    kmsRequestId: randomUUID(),
    kmsViaService: 'ebs',
    ...overrides,
  };
}

export const b64 = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64');
export const bytes = (value: unknown): Buffer => Buffer.from(String(value), 'base64');
