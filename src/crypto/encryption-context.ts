import { CryptoInputError } from './crypto-errors.js';

/**
 * The canonical byte encoding of a KMS encryption context, authenticated as part of a ciphertext's AAD.
 *
 * Two contexts encode to the same bytes exactly when they are the same set of (key, value) pairs:
 *
 *   count:u32be || for each pair, sorted by the UTF-8 bytes of its key:
 *                  keyLength:u32be || key (UTF-8) || valueLength:u32be || value (UTF-8)
 *
 * - Lengths make the encoding unambiguous: {"ab":"c"} and {"a":"bc"} differ (local-kms concatenates without
 *   lengths and treats them as equal).
 * - Sorting by UTF-8 bytes, not `localeCompare` (the AWS Encryption SDK for JavaScript's bug) nor JavaScript's
 *   default UTF-16 code-unit order. They disagree above the BMP: "\u{1F600}" (UTF-16 D83D DE00) sorts before
 *   "\uFF61" (FF61) in UTF-16 order, but after it in UTF-8 (F0 9F 98 80 > EF BD A1). Byte order is what other
 *   languages compute over bytes, so it is the only order a second implementation of this format reproduces.
 * - Strings with lone surrogates are refused: UTF-8 encoding would replace them with U+FFFD, so "\uD800" and
 *   "\uFFFD" would encode alike and one context could stand in for another.
 * - An empty context and an absent one encode alike (count 0), as AWS treats them alike.
 *
 * The full specification, with a worked example, is docs/ciphertext-format.md.
 */

/** The encoding of the empty context: a zero count. Shared by every call, so the common case allocates nothing. */
const EMPTY_ENCRYPTION_CONTEXT_ENCODING = Buffer.alloc(4);

// A lone surrogate is a `Surrogate` code point only in unicode mode, where paired surrogates form one code point.
const LONE_SURROGATE = /\p{Surrogate}/u;

interface EncodedPair {
  readonly key: Buffer;
  readonly value: Buffer;
}

/**
 * Encodes `context` canonically (see the module comment). The result for an empty or absent context is the
 * one shared buffer, so the common case costs no allocation: treat every result as read-only.
 *
 * @throws CryptoInputError when a value is not a string or a key or value contains a lone surrogate.
 * @example
 *   encodeEncryptionContext({ purpose: 'test' }).toString('hex');
 *   // '00000001' + '00000007' + '707572706f7365' + '00000004' + '74657374'
 */
export function encodeEncryptionContext(context?: Readonly<Record<string, string>>): Buffer {
  if (context === undefined) return EMPTY_ENCRYPTION_CONTEXT_ENCODING;
  const entries = Object.entries(context);
  if (entries.length === 0) return EMPTY_ENCRYPTION_CONTEXT_ENCODING;

  const pairs: EncodedPair[] = [];
  let size = 4;
  for (const [key, value] of entries) {
    const pair = { key: encodeUtf8Strictly(key), value: encodeUtf8Strictly(value) };
    size += 8 + pair.key.length + pair.value.length;
    pairs.push(pair);
  }
  // Keys of one object are distinct strings, and strict UTF-8 is injective, so no two keys compare equal.
  pairs.sort((a, b) => Buffer.compare(a.key, b.key));

  const out = Buffer.allocUnsafe(size);
  let offset = out.writeUInt32BE(pairs.length, 0);
  for (const { key, value } of pairs) {
    offset = out.writeUInt32BE(key.length, offset);
    offset += key.copy(out, offset);
    offset = out.writeUInt32BE(value.length, offset);
    offset += value.copy(out, offset);
  }
  return out;
}

function encodeUtf8Strictly(text: unknown): Buffer {
  // The type says string; a context parsed from JSON may still carry a number or null at run time.
  if (typeof text !== 'string') throw new CryptoInputError('encryption context keys and values must be strings');
  if (LONE_SURROGATE.test(text)) {
    throw new CryptoInputError('encryption context contains a string that is not well-formed Unicode');
  }
  return Buffer.from(text, 'utf8');
}
