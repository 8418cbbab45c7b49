import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { KMS_INPUT_SHAPES } from '../../src/api/generated/kms-schema.js';
import { isSupported, maxRsaOaepPlaintext } from '../../src/crypto/asymmetric/index.js';
import { HMAC_KEY_BYTES } from '../../src/crypto/hmac.js';
import {
  algorithmsFor,
  DEFAULT_ENCRYPTION_ALGORITHM,
  DEFAULT_KEY_SPEC,
  isHmacKeySpec,
  isSymmetric,
  KEY_SPECS,
  offersAlgorithm,
  type EncryptionAlgorithm,
  type KeySpec,
} from '../../src/keys/key-spec.js';

/**
 * keys/key-spec.ts is the one place that decides by key spec. The guard below reads every source file outside
 * src/keys/ (and the generated wire code) and fails on a spec name used to decide something: compared,
 * switched on, tested as a prefix or a member, or used as the key of a map or listed in an array. New code
 * asks the table instead.
 *
 * Tables keyed by spec are allowed only where they hold another concern's data: the crypto layer's primitive
 * parameters (modulus, curve, HMAC key length), and AWS's request quotas, which AWS publishes per
 * DataKeyPairSpec and per kind of key. Comparisons are refused there too.
 */

const SPECS = Object.keys(KEY_SPECS) as KeySpec[];
const SPEC_NAMES: ReadonlySet<string> = new Set(SPECS);
const SRC = 'src';
const EXEMPT = [join(SRC, 'keys') + sep, join(SRC, 'api', 'generated') + sep];
const OWN_TABLES = [join(SRC, 'crypto') + sep, join(SRC, 'service', 'quotas', 'quota-table.ts')];
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);
const MEMBER_TESTS = new Set(['includes', 'has', 'indexOf']);

function specLiteral(node: ts.Node): string | undefined {
  return ts.isStringLiteralLike(node) && SPEC_NAMES.has(node.text) ? node.text : undefined;
}

/** A prefix such as 'RSA_', 'ECC' or 'HMAC_' that picks out a family of spec names. */
function specPrefix(node: ts.Node): string | undefined {
  if (!ts.isStringLiteralLike(node) || node.text.length < 3) return undefined;
  const text = node.text;
  return SPECS.some((name) => name.startsWith(text)) ? text : undefined;
}

/** The decisions by spec name in one source file, as `line: what`. */
function specDecisions(source: string, fileName: string, allowTables: boolean): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) =>
    found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const name = specLiteral(node.left) ?? specLiteral(node.right);
      if (name !== undefined) report(node, `compares with '${name}'`);
    } else if (ts.isCaseClause(node)) {
      const name = specLiteral(node.expression);
      if (name !== undefined) report(node, `switches on '${name}'`);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0]) {
      const method = node.expression.name.text;
      const argument = node.arguments[0];
      const prefix = method === 'startsWith' ? specPrefix(argument) : undefined;
      const member = MEMBER_TESTS.has(method) ? specLiteral(argument) : undefined;
      if (prefix !== undefined) report(node, `${method}('${prefix}')`);
      if (member !== undefined) report(node, `${method}('${member}')`);
    } else if (!allowTables && ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
      const key = ts.isIdentifier(node.name) || ts.isStringLiteralLike(node.name) ? node.name.text : undefined;
      if (key !== undefined && SPEC_NAMES.has(key)) report(node, `a map keyed by '${key}'`);
    } else if (!allowTables && ts.isArrayLiteralExpression(node)) {
      const name = node.elements.map(specLiteral).find((element) => element !== undefined);
      if (name !== undefined) report(node, `a list of specs with '${name}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the key-spec table is the only place that decides by spec', () => {
  test('no source file outside src/keys/ decides by a spec name', () => {
    const offences = sourceFiles(SRC)
      .filter((path) => !EXEMPT.some((exempt) => path.startsWith(exempt)))
      .flatMap((path) =>
        specDecisions(readFileSync(path, 'utf8'), path, OWN_TABLES.some((owner) => path.startsWith(owner)))
          .map((found) => `${relative('.', path)}:${found}`),
      );
    assert.deepEqual(offences, [], 'ask the capability table of src/keys/key-spec.ts instead');
  });

  test('the guard finds each kind of decision, and ignores comments, types and the table itself', () => {
    const code = [
      "if (key.spec === 'RSA_2048') {}",
      "if ('SM2' !== spec) {}",
      "switch (spec) { case 'HMAC_256': break; }",
      "if (spec.startsWith('HMAC_') || spec.startsWith('ECC')) {}",
      "if (SPECS.has('ML_DSA_44')) {}",
      "const limits = { RSA_3072: 342 };",
      "const rsa = ['RSA_4096'];",
      "// spec === 'RSA_2048' in a comment",
      "type Pair = 'RSA_2048' | 'SM2';",
      "const algorithm = DEFAULT ?? 'SYMMETRIC_DEFAULT';",
      "if (algorithm.startsWith('RSAES_OAEP_')) {}",
    ].join('\n');
    assert.deepEqual(specDecisions(code, 'sample.ts', false), [
      "1: compares with 'RSA_2048'",
      "2: compares with 'SM2'",
      "3: switches on 'HMAC_256'",
      "4: startsWith('HMAC_')",
      "4: startsWith('ECC')",
      "5: has('ML_DSA_44')",
      "6: a map keyed by 'RSA_3072'",
      "7: a list of specs with 'RSA_4096'",
    ]);
    assert.equal(specDecisions(code, 'sample.ts', true).length, 6, 'the crypto layer may keep its own tables');
  });
});

describe('the capabilities of the key-spec table', () => {
  const shapeEnum = (shape: string) => [...(KMS_INPUT_SHAPES[shape] as { enum?: readonly string[] }).enum ?? []].sort();

  test('it has a row for every KeySpec of the AWS model, and every row is frozen', () => {
    assert.deepEqual([...SPECS].sort(), shapeEnum('KeySpec'));
    assert.ok(Object.isFrozen(KEY_SPECS));
    for (const spec of SPECS) assert.ok(Object.isFrozen(KEY_SPECS[spec]), spec);
  });

  test('key types: one symmetric spec, the HMAC specs, and asymmetric key pairs for the rest', () => {
    const ofType = (type: string) => SPECS.filter((spec) => KEY_SPECS[spec].keyType === type).sort();
    assert.deepEqual(ofType('symmetric'), ['SYMMETRIC_DEFAULT']);
    // isHmacKeySpec narrows to crypto's HmacKeySpec: the HMAC rows must be exactly the specs crypto sizes.
    assert.deepEqual(ofType('hmac'), Object.keys(HMAC_KEY_BYTES).sort());
    assert.equal(ofType('asymmetric').length, SPECS.length - 5);
    for (const spec of ofType('hmac')) assert.deepEqual(KEY_SPECS[spec].usages, ['GENERATE_VERIFY_MAC'], spec);
    assert.deepEqual(SPECS.filter(isSymmetric), ['SYMMETRIC_DEFAULT']);
    assert.deepEqual(SPECS.filter(isHmacKeySpec).sort(), ofType('hmac'));
  });

  test('only the symmetric spec has a default usage, and it is the default spec', () => {
    for (const spec of SPECS) {
      const { defaultUsage, usages } = KEY_SPECS[spec];
      assert.equal(defaultUsage, spec === DEFAULT_KEY_SPEC ? 'ENCRYPT_DECRYPT' : undefined, spec);
      if (defaultUsage !== undefined) assert.ok(usages.includes(defaultUsage), spec);
    }
  });

  test('each usage of a spec offers algorithms, and only its usages do', () => {
    for (const spec of SPECS) {
      const { usages } = KEY_SPECS[spec];
      for (const usage of ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const) {
        const offered = Object.values(algorithmsFor(spec, usage)).flat();
        assert.equal(offered.length > 0, usages.includes(usage), `${spec} ${usage}`);
      }
    }
  });

  test('the default encryption algorithm is offered by the symmetric spec only', () => {
    const offering = SPECS.filter((spec) => offersAlgorithm(spec, 'encryptionAlgorithms', DEFAULT_ENCRYPTION_ALGORITHM));
    assert.deepEqual(offering, ['SYMMETRIC_DEFAULT']);
    assert.equal(offersAlgorithm('RSA_2048', 'encryptionAlgorithms', 'RSAES_OAEP_SHA_256'), true);
    assert.equal(offersAlgorithm('ECC_NIST_P256', 'signingAlgorithms', 'ECDSA_SHA_384'), false);
    assert.equal(offersAlgorithm('HMAC_384', 'macAlgorithms', 'HMAC_SHA_384'), true);
  });

  test("plaintext limits are AWS's documented numbers, and RSA's are what the RSA-OAEP primitive enforces", () => {
    const limits = Object.fromEntries(SPECS.map((spec) => [spec, KEY_SPECS[spec].maxPlaintextBytes]).filter(([, limit]) => Object.keys(limit as object).length > 0));
    assert.deepEqual(limits, {
      RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
      RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
      RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
      SM2: { SM2PKE: 1024 },
    });
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
      for (const algorithm of KEY_SPECS[spec].encryptionAlgorithms) {
        assert.equal(KEY_SPECS[spec].maxPlaintextBytes[algorithm], maxRsaOaepPlaintext(spec, algorithm), `${spec} ${algorithm}`);
      }
    }
    for (const spec of SPECS) {
      const limited = Object.keys(KEY_SPECS[spec].maxPlaintextBytes) as EncryptionAlgorithm[];
      assert.ok(limited.every((algorithm) => KEY_SPECS[spec].encryptionAlgorithms.includes(algorithm)), spec);
    }
  });

  test('secret material lengths: 32 bytes for the symmetric key, AWS\'s import range for HMAC, none for key pairs', () => {
    for (const spec of SPECS) {
      const { keyType, secretMaterialBytes } = KEY_SPECS[spec];
      assert.equal(secretMaterialBytes === undefined, keyType === 'asymmetric', spec);
    }
    assert.deepEqual(KEY_SPECS.SYMMETRIC_DEFAULT.secretMaterialBytes, { min: 32, max: 32 });
    for (const [spec, generated] of Object.entries(HMAC_KEY_BYTES)) {
      // What CreateKey makes (crypto/hmac.ts) is the shortest material the spec accepts: the digest length; the
      // longest is AWS's 1024 bits for every HMAC spec.
      assert.deepEqual(KEY_SPECS[spec as KeySpec].secretMaterialBytes, { min: generated, max: 128 }, spec);
    }
  });

  test('encryption context, data keys and rotation belong to the symmetric encryption key alone', () => {
    for (const column of ['bindsEncryptionContext', 'wrapsDataKeys', 'rotatable'] as const) {
      assert.deepEqual(SPECS.filter((spec) => KEY_SPECS[spec][column]), ['SYMMETRIC_DEFAULT'], column);
    }
  });

  test('every spec is offered here but SM2, and every asymmetric one offered is one the runtime can do', () => {
    assert.deepEqual(SPECS.filter((spec) => !KEY_SPECS[spec].supportedHere), ['SM2']);
    for (const spec of SPECS.filter((name) => KEY_SPECS[name].keyType === 'asymmetric')) {
      assert.equal(KEY_SPECS[spec].supportedHere, isSupported(spec), spec);
    }
  });

  test("GenerateDataKeyPair's specs are asymmetric rows of the table", () => {
    for (const spec of shapeEnum('DataKeyPairSpec')) {
      assert.ok(SPEC_NAMES.has(spec), spec);
      assert.equal(KEY_SPECS[spec as KeySpec].keyType, 'asymmetric', spec);
    }
  });
});
