// The console's files as a browser gets them: the build's gzip copies to clients that accept
// gzip (the wasm too), never compressed twice nor on the fly, tags per encoding, a year of
// caching for versioned names and revalidation for index.html and unversioned names.
//
//   node --test tests/api/static_compression.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeTempDir, startServer } from './server_harness.mjs';

// GET with exactly the headers given (fetch would add Accept-Encoding and decompress).
function get(port, pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: pathname, method: 'GET', agent: false, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

// A web root as `make build-wasm` leaves it: files and their gzip copies, one copy stale.
function makeBuiltWebRoot(baseDir) {
  const webRoot = path.join(baseDir, 'web');
  fs.mkdirSync(webRoot, { recursive: true });
  const files = {
    'index.html': '<!doctype html><title>Loyalty</title><script src="boot.js?v=0123abcd"></script>' + '<p>Đang tải…</p>'.repeat(20),
    'boot.js': 'console.log("boot"); '.repeat(200),
    'console.wasm': Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(20_000, 7)]),
    'console.css': 'body { margin: 0 } '.repeat(100),
  };
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(path.join(webRoot, name), body);
    fs.writeFileSync(path.join(webRoot, `${name}.gz`), zlib.gzipSync(Buffer.from(body), { level: 9 }));
  }
  // console.css was rebuilt after its copy was made: the copy is out of date.
  const stale = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(webRoot, 'console.css.gz'), stale, stale);
  return { webRoot, files };
}

test('gzip copies go to clients that accept gzip, the original to the others', async (t) => {
  const baseDir = makeTempDir(t);
  const { webRoot, files } = makeBuiltWebRoot(baseDir);
  const server = await startServer(t, { baseDir, webRoot });
  for (const name of ['console.wasm', 'boot.js', 'index.html']) {
    const original = Buffer.from(files[name]);
    const zipped = await get(server.port, `/${name}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(zipped.status, 200, name);
    assert.equal(zipped.headers['content-encoding'], 'gzip', `${name} not sent compressed`);
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.body.length < original.length, `${name}: ${zipped.body.length} bytes for ${original.length}`);
    // Compressed once: one gunzip gives the file back.
    assert.deepEqual(zlib.gunzipSync(zipped.body), original, name);
    const plain = await get(server.port, `/${name}`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined, `${name} compressed for a client that takes no gzip`);
    assert.deepEqual(plain.body, original, name);
    // The two answers are different bytes: different tags, and each revalidates as itself.
    assert.notEqual(zipped.headers.etag, plain.headers.etag, name);
    const again = await get(server.port, `/${name}`, { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag });
    assert.equal(again.status, 304, name);
    const mixed = await get(server.port, `/${name}`, { 'If-None-Match': zipped.headers.etag });
    assert.equal(mixed.status, 200, `${name}: the gzip tag validated the uncompressed file`);
  }
  // A client that refuses gzip (q=0), or only takes brotli, gets the file as it is: the
  // server never compresses on the fly.
  for (const accept of ['gzip;q=0, br', 'br']) {
    const answer = await get(server.port, '/boot.js', { 'Accept-Encoding': accept });
    assert.equal(answer.headers['content-encoding'], undefined, accept);
    assert.deepEqual(answer.body, Buffer.from(files['boot.js']), accept);
  }
  // An out-of-date copy is never sent.
  const css = await get(server.port, '/console.css', { 'Accept-Encoding': 'gzip' });
  assert.equal(css.headers['content-encoding'], undefined, 'a stale gzip copy was sent');
  assert.deepEqual(css.body, Buffer.from(files['console.css']));
});

test('versioned names are kept for a year; index.html and unversioned names are revalidated', async (t) => {
  const baseDir = makeTempDir(t);
  const { webRoot } = makeBuiltWebRoot(baseDir);
  const server = await startServer(t, { baseDir, webRoot });
  const versioned = await get(server.port, '/console.wasm?v=0123abcd', { 'Accept-Encoding': 'gzip' });
  assert.equal(versioned.status, 200);
  assert.equal(versioned.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(versioned.headers['content-type'], 'application/wasm');
  assert.equal((await get(server.port, '/console.wasm')).headers['cache-control'], 'no-cache');
  for (const page of ['/', '/index.html', '/index.html?v=0123abcd']) {
    const answer = await get(server.port, page, { 'Accept-Encoding': 'gzip' });
    assert.equal(answer.status, 200, page);
    assert.equal(answer.headers['cache-control'], 'no-cache', page);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8', page);
  }
});
