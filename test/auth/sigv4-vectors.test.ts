import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  buildCanonicalRequest,
  buildStringToSign,
  createSigV4Verifier,
  sha256Hex,
  signRequest,
  type HttpRequestToVerify,
} from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { fromShared } from '../support/shared.js';

// The AWS SigV4 test suite (../shared/vectors/sigv4): every case is signed with these credentials, for
// region us-east-1 and service 'service', at 20150830T123600Z.
const SECRET = SecretBytes.copyOf(Buffer.from('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'));
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const SCOPE = '20150830/us-east-1/service/aws4_request';
const suite = fromShared('vectors/sigv4');

interface Case {
  readonly name: string;
  readonly dir: string;
}

/** Case folders hold `<name>.req`; normalize-path/ and post-sts-token/ group further cases. */
function findCases(dir: string): Case[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) return [];
    const own = readdirSync(path).includes(`${name}.req`) ? [{ name, dir: path }] : [];
    return [...own, ...findCases(path)];
  });
}

/**
 * Parses a suite request: request line, headers (repeats kept apart, as node's headersDistinct gives
 * them; a folded continuation line joins its header's value with a space, as RFC 9112 tells recipients),
 * a blank line, the body.
 */
function parseRequest(text: string): HttpRequestToVerify {
  const lines = text.split('\n');
  const requestLine = lines.shift() ?? '';
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const headers: Record<string, string[]> = {};
  let previous: string[] | undefined;
  while (lines.length > 0) {
    const line = lines.shift()!;
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && previous !== undefined) {
      previous[previous.length - 1] += ` ${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    const values = (headers[line.slice(0, colon).toLowerCase()] ??= []);
    values.push(line.slice(colon + 1));
    previous = values;
  }
  const queryStart = target.indexOf('?');
  return {
    method,
    path: queryStart === -1 ? target : target.slice(0, queryStart),
    query: queryStart === -1 ? '' : target.slice(queryStart + 1),
    headers,
    body: Buffer.from(lines.join('\n')),
  };
}

/** As node:http delivers headers: leading and trailing spaces and tabs of each value removed. */
function asNodeDelivers(request: HttpRequestToVerify): HttpRequestToVerify {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, values]) => [name, [values ?? []].flat().map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''))]),
  );
  return { ...request, headers };
}

function withoutAuthorization(request: HttpRequestToVerify): HttpRequestToVerify {
  const { authorization: _authorization, ...headers } = request.headers;
  return { ...request, headers };
}

function withAuthorization(request: HttpRequestToVerify, authorization: string): HttpRequestToVerify {
  return { ...request, headers: { ...request.headers, authorization: [authorization] } };
}

/** The same authorization with the first signature character changed. */
function flipSignature(authorization: string): string {
  return authorization.replace(/Signature=(.)/, (_, first: string) => `Signature=${first === '0' ? '1' : '0'}`);
}

const read = (c: Case, extension: string) => readFileSync(join(c.dir, `${c.name}.${extension}`), 'utf8');
const cases = suite.skip ? [] : findCases(suite.path);
const verifier = createSigV4Verifier({ service: 'service', now: () => SUITE_TIME });
const lookup = (accessKeyId: string) => (accessKeyId === 'AKIDEXAMPLE' ? SECRET : undefined);

describe('AWS SigV4 test suite, stage by stage', { skip: suite.skip }, () => {
  test('the suite has all its cases', () => assert.equal(cases.length, 34));

  for (const c of cases) {
    describe(c.name, () => {
      const authorization = read(c, 'authz');
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
      // .sreq carries every header that was signed (the session-token cases add theirs while signing).
      const rawSignedRequest = parseRequest(read(c, 'sreq'));
      const signedRequest = asNodeDelivers(rawSignedRequest);
      const request = withoutAuthorization(signedRequest);

      test('canonical request (.creq), from the header values as written', () => {
        const raw = withoutAuthorization(rawSignedRequest);
        const canonical = buildCanonicalRequest({ ...raw, signedHeaders, payloadHash: sha256Hex(raw.body) });
        assert.equal(canonical, read(c, 'creq'));
      });

      test('string to sign (.sts)', () => {
        assert.equal(buildStringToSign('20150830T123600Z', SCOPE, read(c, 'creq')), read(c, 'sts'));
      });

      test('authorization header (.authz), signing the unsigned request (.req)', () => {
        const unsigned = parseRequest(read(c, 'req'));
        const token = signedRequest.headers['x-amz-security-token'];
        // get-vanilla-with-session-token signs a token its .req lacks; post-sts-header-after adds one unsigned.
        const signsToken = signedHeaders.includes('x-amz-security-token') && unsigned.headers['x-amz-security-token'] === undefined;
        const added = signRequest(unsigned, {
          accessKeyId: 'AKIDEXAMPLE',
          secret: SECRET,
          region: 'us-east-1',
          service: 'service',
          now: SUITE_TIME,
          signPayloadHash: false,
          ...(signsToken && token !== undefined ? { sessionToken: String(token) } : {}),
        });
        assert.equal(added['authorization'], authorization);
      });

      test('the signed request verifies; a changed signature does not', async () => {
        // get-vanilla-with-session-token's .sreq carries get-relative-relative's signature (a known defect of
        // the suite): for that case the request is verified with its .authz, which is right.
        const sreqAuthorization = String(signedRequest.headers['authorization']);
        const presented = c.name === 'get-vanilla-with-session-token' ? withAuthorization(request, authorization) : signedRequest;
        assert.equal(sreqAuthorization === authorization, c.name !== 'get-vanilla-with-session-token');
        const verified = await verifier.verify(presented, lookup);
        assert.deepEqual(
          { accessKeyId: verified.accessKeyId, region: verified.region, service: verified.service, signedAt: verified.signedAt },
          { accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service', signedAt: SUITE_TIME },
        );
        await assert.rejects(verifier.verify(withAuthorization(request, flipSignature(authorization)), lookup), {
          name: 'InvalidSignatureException',
          message: /^The request signature we calculated does not match/,
        });
      });
    });
  }

  test('get-vanilla-with-session-token: its .sreq signature is the defect, not the verifier', async () => {
    const c = cases.find((candidate) => candidate.name === 'get-vanilla-with-session-token');
    assert.ok(c);
    await assert.rejects(verifier.verify(asNodeDelivers(parseRequest(read(c, 'sreq'))), lookup), {
      name: 'InvalidSignatureException',
    });
  });

  test('post-sts-header-after: a session token added after signing is passed through', async () => {
    const c = cases.find((candidate) => candidate.name === 'post-sts-header-after');
    assert.ok(c);
    const verified = await verifier.verify(asNodeDelivers(parseRequest(read(c, 'sreq'))), lookup);
    assert.match(verified.sessionToken ?? '', /^AQoDYXdzEPT/);
  });
});
