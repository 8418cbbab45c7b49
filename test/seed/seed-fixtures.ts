import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/shared.js';

/** The example file of docs/seeding.md, which the tests apply as users would. */
export const EXAMPLE_SEED = join(PROJECT_ROOT, 'docs/examples/seed.yaml');

/** Its keys and account, as the tests name them. */
export const EXAMPLE = {
  accountId: '111122223333',
  accessKeyId: 'AKIACFN5RXMQRHVQDS5L',
  secretAccessKey: 'g87wbwVgq70iLB5u9IiAgkBTrmgEJy/cCdcqfMPi',
  symmetricKeyId: '1f3e6a6b-d4bb-4542-a95d-49007f125630',
  symmetricMaterials: ['j5btRvMwIL1yh3sk01ZBguW0A8Ck7x4xDyf0LRHqWQE=', 'YyL0VII1FMvgNLlPd4M7yj0cP0bfCM+DiHMGRECre5o='],
  generatedKeyId: 'c8311f0f-f0ab-4947-80a6-d4dd581ec9f8',
  hmacKeyId: 'cfd69560-977c-4644-9865-5e643d3c09fc',
  hmacMaterial: 'cxIYfUdwIPVdbiMtv135XuVoBpAk3dIN3HHFoHXLz+o=',
  secp256k1KeyId: '3515a449-f040-4db6-b411-338f0c5c809f',
  p256KeyId: 'mrk-f2c61e7a90d82020d2e4a200e4eff481',
  mlDsaKeyId: '68c3b0c1-2cf8-47bb-be84-6b541ad07cdb',
} as const;

/** A PEM private key of a fresh key pair, indented for a YAML block scalar. */
export function pemKey(type: 'rsa' | 'ec' | 'ed25519', options: { modulusLength?: number; namedCurve?: string } = {}): string {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: options.namedCurve ?? 'prime256v1' })
        : generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A YAML block scalar of `text`, indented for a field of a key entry. */
export function block(text: string): string {
  return `|\n${text.trimEnd().split('\n').map((line) => `      ${line}`).join('\n')}`;
}

export function base64Bytes(length: number): string {
  return randomBytes(length).toString('base64');
}

/** Writes `text` to a new temporary file named `name` and returns its path. */
export async function seedFile(text: string, name = 'seed.yaml'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-seed-'));
  const path = join(directory, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
