import { GetPublicKeyCommand, type GetPublicKeyCommandOutput, type KMSClient } from '@aws-sdk/client-kms';

/** A key pair's public key as the console offers it: GetPublicKey's answer, and the key in PEM. */
export interface PublicKey {
  readonly answer: GetPublicKeyCommandOutput;
  readonly pem: string;
}

export async function loadPublicKey(kms: KMSClient, keyId: string): Promise<PublicKey> {
  const answer = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!answer.PublicKey) throw new Error('GetPublicKey answered without a public key');
  return { answer, pem: publicKeyPem(answer.PublicKey) };
}

/**
 * A DER-encoded SubjectPublicKeyInfo (what GetPublicKey returns) as a PEM document (RFC 7468 §13): the base64 of
 * the bytes in lines of 64 characters between `-----BEGIN PUBLIC KEY-----` and `-----END PUBLIC KEY-----`, the form
 * `openssl pkey -pubin` and every crypto library read.
 *
 * @example publicKeyPem(der).split('\n')[0]; // '-----BEGIN PUBLIC KEY-----'
 */
export function publicKeyPem(der: Uint8Array): string {
  const base64 = base64Of(der);
  const lines = base64.match(/.{1,64}/g) ?? [];
  return ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----', ''].join('\n');
}

/** Base64 of bytes, in pieces small enough for `String.fromCharCode`'s argument list. */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** The file name a downloaded public key gets: the key id, so several downloads do not overwrite one another. */
export function publicKeyFileName(keyId: string): string {
  return `${keyId.replace(/[^a-zA-Z0-9_-]/g, '_')}-public-key.pem`;
}
