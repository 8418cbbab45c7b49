/**
 * Types for the four node-forge modules `rsa-pss-prehashed.ts` loads, and for nothing else of forge:
 * `@types/node-forge` types `pss` as `any`, and loading `node-forge` itself would load all of forge
 * (TLS, PKCS#12, ...). Forge works on "binary strings" (one char per byte, latin1).
 */

declare module 'node-forge/lib/pss.js' {
  namespace pss {
    /** What forge's EMSA-PSS encoding reads from its `md` argument: the message hash, already computed. */
    interface HashResult {
      digest(): { getBytes(): string };
    }
    /** A forge message digest (a restartable hash function), as `pss.create` and `mgf1.create` take it. */
    interface MessageDigest extends HashResult {
      readonly digestLength: number;
      start(): MessageDigest;
      update(bytes: string): MessageDigest;
    }
    interface MaskGenerator {
      generate(seed: string, maskLength: number): string;
    }
    /** EMSA-PSS (RFC 8017 §9.1) with fixed parameters. */
    interface Scheme {
      /** EMSA-PSS-ENCODE of `mHash.digest()`: the encoded message EM, ceil((modBits - 1) / 8) bytes. */
      encode(mHash: HashResult, modBits: number): string;
      /** EMSA-PSS-VERIFY: `true` when consistent; `false` or a throw when not. */
      verify(mHash: string, em: string, modBits: number): boolean;
    }
  }
  const pss: {
    create(options: {
      md: pss.MessageDigest;
      mgf: pss.MaskGenerator;
      saltLength: number;
      prng: { getBytesSync(count: number): string };
    }): pss.Scheme;
  };
  export = pss;
}

declare module 'node-forge/lib/mgf1.js' {
  import type { MaskGenerator, MessageDigest } from 'node-forge/lib/pss.js';
  const mgf1: { create(md: MessageDigest): MaskGenerator };
  export = mgf1;
}

declare module 'node-forge/lib/sha256.js' {
  import type { MessageDigest } from 'node-forge/lib/pss.js';
  const sha256: { create(): MessageDigest };
  export = sha256;
}

declare module 'node-forge/lib/sha512.js' {
  import type { MessageDigest } from 'node-forge/lib/pss.js';
  const sha512: { create(): MessageDigest; readonly sha384: { create(): MessageDigest } };
  export = sha512;
}
