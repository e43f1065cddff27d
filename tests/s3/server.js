#!/usr/bin/env node
// tests/s3/server.js: the S3-compatible server the checkpoint store tests talk to.
//
//   node tests/s3/server.js --dir DIR --bucket NAME [--bucket NAME2 ...]
//
// Runs s3rver (npm s3rver@3.7.1, installed by tests/s3/install.sh) on 127.0.0.1 at a free port
// the OS picks, with the buckets created, and prints one line "listening 127.0.0.1:PORT" on
// stdout when it accepts requests. It exits when its stdin reaches end of file (so it never
// outlives the test that started it, even if that test crashes) or on SIGTERM/SIGINT.
//
// s3rver accepts any SigV4 signature (it only checks that the access key is S3RVER), so this
// wrapper checks every signed request itself before s3rver sees it, with its own SigV4
// implementation (Node's crypto, secret S3RVER): the signature over the request as it arrived
// (method, path as sent, query, signed headers) and, for requests with a body, that
// x-amz-content-sha256 is the SHA-256 of the body. A mismatch gets S3's answer, 403
// SignatureDoesNotMatch / 400 XAmzContentSHA256Mismatch, so a signing bug in the C client
// fails the tests. The verifier checks itself against AWS's get-vanilla example at startup.
//
// Test hooks (not S3): "POST /__test/fail?count=N&status=S" makes the next N S3 requests fail
// with status S (SlowDown for 503, InternalError otherwise), for retry tests; "GET
// /__test/stats" returns {"requests": N, "bad_signatures": M, "forced_failures": K}.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { Readable } = require('stream');

const SECRET = 'S3RVER';

function parseArgs(argv) {
  const out = { dir: null, buckets: [] };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--dir') out.dir = argv[++i];
    else if (argv[i] === '--bucket') out.buckets.push(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!out.dir || out.buckets.length === 0) throw new Error('usage: server.js --dir DIR --bucket NAME...');
  return out;
}

// ---- SigV4, written from AWS's description of the algorithm --------------------------------
const sha256hex = (b) => crypto.createHash('sha256').update(b).digest('hex');
const hmac = (key, s) => crypto.createHmac('sha256', key).update(s).digest();

// RFC 3986 encoding of every byte but unreserved characters.
function enc(s) {
  return Array.from(Buffer.from(s, 'utf8')).map((c) => {
    const ch = String.fromCharCode(c);
    return /[A-Za-z0-9\-_.~]/.test(ch) ? ch : '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }).join('');
}

function canonicalQuery(raw) {
  if (!raw) return '';
  const pairs = raw.split('&').filter((p) => p.length).map((p) => {
    const i = p.indexOf('=');
    const k = decodeURIComponent(i < 0 ? p : p.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1));
    return [enc(k), enc(v)];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

// Signature for a request given as { method, path, query (raw), headers (lowercase names) }.
function signature(req, signedHeaders, amzDate, scope, secret) {
  const canonHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const creq = [req.method, req.path, canonicalQuery(req.query), canonHeaders, signedHeaders.join(';'),
    req.headers['x-amz-content-sha256'] ?? sha256hex('')].join('\n');
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope.join('/'), sha256hex(creq)].join('\n');
  let key = hmac('AWS4' + secret, scope[0]);
  for (const part of scope.slice(1)) key = hmac(key, part);
  return { sig: hmac(key, sts).toString('hex'), creq };
}

function selfTest() {
  // AWS SigV4 test suite, get-vanilla (their documented signature)
  const req = { method: 'GET', path: '/', query: '', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' } };
  const { sig } = signature(req, ['host', 'x-amz-date'], '20150830T123600Z',
    ['20150830', 'us-east-1', 'service', 'aws4_request'], 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  if (sig !== '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31') {
    throw new Error('SigV4 verifier self-test failed: ' + sig);
  }
}

// null if the request is correctly signed, else [status, code, message].
function checkSignature(req) {
  const auth = req.headers.authorization;
  if (!auth) return null;   // anonymous: s3rver decides
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return [400, 'AuthorizationHeaderMalformed', 'cannot parse Authorization: ' + auth];
  const [, , date, region, service, signed, given] = m;
  const amzDate = req.headers['x-amz-date'] || '';
  if (amzDate.slice(0, 8) !== date) return [403, 'SignatureDoesNotMatch', 'credential date differs from x-amz-date'];
  const signedHeaders = signed.split(';');
  for (const h of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.includes(h)) return [403, 'SignatureDoesNotMatch', `header ${h} is not signed`];
  }
  const q = req.url.indexOf('?');
  const r = { method: req.method, path: q < 0 ? req.url : req.url.slice(0, q), query: q < 0 ? '' : req.url.slice(q + 1), headers: req.headers };
  const { sig, creq } = signature(r, signedHeaders, amzDate, [date, region, service, 'aws4_request'], SECRET);
  if (sig !== given) return [403, 'SignatureDoesNotMatch', 'expected signature ' + sig + ' for canonical request: ' + JSON.stringify(creq)];
  return null;
}

function xmlError(res, status, code, message) {
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// A readable request carrying the already-read body, for s3rver after the payload check.
function replay(req, body) {
  const r = Readable.from(body.length ? [body] : []);
  for (const k of ['headers', 'rawHeaders', 'url', 'method', 'httpVersion', 'httpVersionMajor',
    'httpVersionMinor', 'socket', 'connection', 'trailers', 'rawTrailers']) r[k] = req[k];
  return r;
}

// Two defects of s3rver 3.7.1 that real S3 does not have, fixed here so the tests exercise the
// client rather than the test server:
//  1. Its ListObjectsV2 continuation tokens are DES-encrypted, and OpenSSL 3 (Node >= 17) has no
//     DES by default: every truncated listing answered 500. Tokens are opaque to clients, so a
//     DES that does not encrypt serves as well.
//  2. It answers a PUT once its hashing stream has seen the body, before its file write has
//     finished, so a GET right after a large PUT could read part of the object. The store's
//     putObject is wrapped to return only when the file holds every byte (read-after-write, as
//     S3 guarantees).
function patchS3rver() {
  let desWorks = true;
  try { crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8)); } catch (e) { desWorks = false; }
  if (!desWorks) {
    const identity = () => ({ update: (d, enc) => Buffer.from(d, enc), final: () => Buffer.alloc(0) });
    const { createCipheriv, createDecipheriv } = crypto;
    crypto.createCipheriv = (alg, ...rest) => (alg === 'des' ? identity() : createCipheriv(alg, ...rest));
    crypto.createDecipheriv = (alg, ...rest) => (alg === 'des' ? identity() : createDecipheriv(alg, ...rest));
  }
  const FilesystemStore = require(path.join(__dirname, 'node_modules', 's3rver', 'lib', 'stores', 'filesystem'));
  const putObject = FilesystemStore.prototype.putObject;
  FilesystemStore.prototype.putObject = async function (object) {
    const res = await putObject.call(this, object);
    const file = this.getResourcePath(object.bucket, object.key, 'object');
    for (let i = 0; i < 2000; i++) {
      const st = await fs.promises.stat(file).catch(() => null);
      if (st && st.size >= res.size) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return res;
  };
}

async function main() {
  const args = parseArgs(process.argv);
  // stdout carries only the "listening" line (the test stops reading it after that); s3rver's
  // request log (S3_TEST_VERBOSE=1) goes to stderr
  const writeStdout = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  selfTest();
  patchS3rver();
  const S3rver = require(path.join(__dirname, 'node_modules', 's3rver'));
  const s3 = new S3rver({
    silent: !process.env.S3_TEST_VERBOSE,
    directory: args.dir,
    configureBuckets: args.buckets.map((name) => ({ name })),
  });
  await s3.configureBuckets();
  const handle = s3.callback();
  const stats = { requests: 0, bad_signatures: 0, forced_failures: 0 };
  let failCount = 0;
  let failStatus = 503;

  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/__test/')) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/__test/fail') {
        failCount = Number(u.searchParams.get('count') || 1);
        failStatus = Number(u.searchParams.get('status') || 503);
        res.end('ok\n');
      } else if (u.pathname === '/__test/stats') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(stats));
      } else {
        res.statusCode = 404;
        res.end();
      }
      return;
    }
    stats.requests++;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (failCount > 0) {
        failCount--;
        stats.forced_failures++;
        xmlError(res, failStatus, failStatus === 503 ? 'SlowDown' : 'InternalError', 'injected failure (test)');
        return;
      }
      const bad = checkSignature(req);
      if (bad) {
        stats.bad_signatures++;
        process.stderr.write(`s3 test server: ${req.method} ${req.url}: ${bad[1]}: ${bad[2]}\n`);
        xmlError(res, bad[0], bad[1], bad[2]);
        return;
      }
      const declared = req.headers['x-amz-content-sha256'];
      if (req.headers.authorization && /^[0-9a-f]{64}$/.test(declared || '') && sha256hex(body) !== declared) {
        xmlError(res, 400, 'XAmzContentSHA256Mismatch', `body SHA-256 is ${sha256hex(body)}, header says ${declared}`);
        return;
      }
      handle(replay(req, body), res);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    writeStdout(`listening ${a.address}:${a.port}\n`);
  });
  const stop = () => { server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

main().catch((e) => {
  process.stderr.write(`s3 test server: ${e.stack || e}\n`);
  process.exit(1);
});
