import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  createSigV4Verifier,
  sha256Hex,
  type HttpRequestToVerify,
} from '../../src/auth/sigv4/index.js';
import { fromShared } from '../support/shared.js';

// The AWS SigV4 test suite: credentials, region, service and time are fixed by the suite.
const SECRET = SecretBytes.copyOf(Buffer.from('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'));
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const suite = fromShared('vectors/sigv4');

interface Case {
  readonly name: string;
  readonly dir: string;
}

function findCases(dir: string): Case[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) return [];
    const own = readdirSync(path).some((file) => file === `${name}.req`) ? [{ name, dir: path }] : [];
    return [...own, ...findCases(path)];
  });
}

/** Parses a suite `.req` file: request line, headers (with folded continuation lines), blank line, body. */
function parseRequest(text: string): HttpRequestToVerify {
  const lines = text.split('\n');
  const requestLine = lines.shift() ?? '';
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const headers: Record<string, string[]> = {};
  let last = '';
  while (lines.length > 0) {
    const line = lines.shift()!;
    if (line === '') break;
    if (/^\s/.test(line) || !line.includes(':')) {
      const values = headers[last]!;
      values[values.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    last = line.slice(0, colon).toLowerCase();
    (headers[last] ??= []).push(line.slice(colon + 1));
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

const read = (c: Case, extension: string) => readFileSync(join(c.dir, `${c.name}.${extension}`), 'utf8');
const cases = suite.skip ? [] : findCases(suite.path);

describe('AWS SigV4 test suite, stage by stage', { skip: suite.skip }, () => {
  test('the suite has its cases', () => assert.ok(cases.length >= 25, `found ${cases.length}`));

  for (const c of cases) {
    test(c.name, async () => {
      // The signed request carries every header that was signed (the session token is added while signing).
      const signed = parseRequest(read(c, 'sreq'));
      const { authorization: _signature, ...unsignedHeaders } = signed.headers;
      const request = { ...signed, headers: unsignedHeaders };
      assert.equal(parseRequest(read(c, 'req')).path, request.path);
      const authorization = read(c, 'authz').trim();
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
      // The suite's requests carry decoded paths, so the path is encoded once ("single encoding").
      const canonical = buildCanonicalRequest(request, signedHeaders, sha256Hex(request.body), { doubleEncodePath: false });
      assert.equal(canonical, read(c, 'creq'), 'canonical request');
      const stringToSign = buildStringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical);
      assert.equal(stringToSign, read(c, 'sts'), 'string to sign');

      // Verified with the suite's authorization header (.authz): in get-vanilla-with-session-token the .sreq
      // file carries get-vanilla's signature by mistake, while its .authz is right.
      const verifier = createSigV4Verifier({ service: 'service', now: () => SUITE_TIME, doubleEncodePath: false });
      const authorized = { ...request, headers: { ...request.headers, authorization: [authorization] } };
      const verified = await verifier.verify(authorized, () => SECRET);
      assert.equal(verified.accessKeyId, 'AKIDEXAMPLE');
      assert.equal(verified.region, 'us-east-1');

      const flipped = authorization.replace(/Signature=(.)/, (_, first: string) => `Signature=${first === '0' ? '1' : '0'}`);
      const forged = { ...request, headers: { ...request.headers, authorization: [flipped] } };
      await assert.rejects(verifier.verify(forged, () => SECRET), { name: 'InvalidSignatureException' });
    });
  }
});
