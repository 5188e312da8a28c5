// API tests for loyalty-server: each test runs the real binary on a free port, with a
// database and a web root in a fresh temporary folder, and talks to it over HTTP.
//
//   node --test --test-reporter=spec tests/api/
//   LOYALTY_SERVER=build/server-bin/loyalty-server node --test tests/api/   (another build)
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  assertApiError, freePort, launchProgram, makeTempDir, runToExit, sqlite, startServer as startHarnessServer, waitFor,
} from './server_harness.mjs';

const startTimeoutMs = 60_000;   // generous: start-up on a busy 2-core machine
const expectedMigrationCount = 4;

// ---------------------------------------------------------------- helpers

// The small stand-in for build/web: one file per content type the console ships.
const webFiles = {
  'index.html': { body: '<!doctype html><title>Loyalty</title><p>console</p>', type: 'text/html; charset=utf-8' },
  'console.js': { body: 'console.log("loyalty console");', type: 'text/javascript' },
  'console.wasm': { body: Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), type: 'application/wasm' },
  'console.data': { body: Buffer.from([1, 2, 3, 4, 5]), type: 'application/octet-stream' },
  'style.css': { body: 'body { margin: 0 }', type: 'text/css' },
  'fonts/NotoSans-Regular.ttf': { body: Buffer.from([0, 1, 0, 0, 9, 9]), type: 'font/ttf' },
  'icons/logo.png': { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), type: 'image/png' },
  'icons/logo.svg': { body: '<svg xmlns="http://www.w3.org/2000/svg"/>', type: 'image/svg+xml' },
  'demo/store.json': { body: '{"name":"Cửa hàng mẫu"}', type: 'application/json' },
};

function makeWebRoot(baseDir) {
  const webRoot = path.join(baseDir, 'web');
  for (const [name, { body }] of Object.entries(webFiles)) {
    fs.mkdirSync(path.dirname(path.join(webRoot, name)), { recursive: true });
    fs.writeFileSync(path.join(webRoot, name), body);
  }
  fs.writeFileSync(path.join(webRoot, '.hidden'), 'not for the browser');
  // A file beside the web root, which traversal attempts try to reach.
  fs.writeFileSync(path.join(baseDir, 'secret.txt'), 'TOP-SECRET-OUTSIDE-WEB-ROOT');
  return webRoot;
}

// A GET whose path is sent exactly as written: fetch() would resolve "/../" and "%2e%2e"
// before sending, and so would never test the server's own defence.
function rawGet(port, rawPath) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET', agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

// The harness's server, with this file's web root (every content type, a hidden file and
// a secret beside it for the traversal tests).
function startServer(t, options = {}) {
  const baseDir = options.baseDir ?? makeTempDir(t);
  return startHarnessServer(t, { ...options, baseDir, webRoot: options.webRoot ?? makeWebRoot(baseDir) });
}

// ---------------------------------------------------------------- one shared server

// The read-only checks share one server; tests that stop or restart servers start their own.
let shared;
const sharedContext = { after: (fn) => { sharedCleanups.push(fn); } };
const sharedCleanups = [];

before(async () => {
  const baseDir = makeTempDir(sharedContext);
  shared = await startServer(sharedContext, {
    baseDir,
    databasePath: path.join(baseDir, 'not-yet', 'nested', 'loyalty.db'),
  });
});

after(async () => {
  for (const cleanup of sharedCleanups.reverse()) await cleanup();
});

test('GET /api/health answers 200 with status, database, version, time and uptime', async () => {
  const requestedAtMs = Date.now();
  const response = await fetch(shared.url('/api/health'));
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  const body = await response.json();
  const answerReadAtMs = Date.now();
  assert.equal(body.status, 'ok');
  assert.equal(body.database, 'ok');
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  assert.match(body.time_utc, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  // The server's clock read while it answered: between the moments before the request
  // and after the answer (to the whole second it is written in), however slow the machine.
  const answeredAtMs = Date.parse(body.time_utc);
  assert.ok(answeredAtMs >= Math.floor(requestedAtMs / 1000) * 1000 && answeredAtMs <= answerReadAtMs,
    `time_utc ${body.time_utc} is not between ${new Date(requestedAtMs).toISOString()} and ${new Date(answerReadAtMs).toISOString()}`);
  assert.ok(Number.isInteger(body.uptime_s) && body.uptime_s >= 0, `uptime_s ${body.uptime_s}`);
});

test('start-up prints the address and the database', () => {
  assert.ok(
    shared.output.stdout.includes(`Loyalty server listening on http://127.0.0.1:${shared.port}/ (database: ${shared.databasePath})`),
    `stdout was: ${shared.output.stdout}`,
  );
});

test('the database is created, with its missing folders, in WAL mode with the schema tables', () => {
  assert.ok(fs.existsSync(shared.databasePath), 'database file exists');
  const tables = sqlite(shared.databasePath, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n');
  for (const table of ['journal', 'schema_migrations', 'stores']) assert.ok(tables.includes(table), `table ${table} in ${tables}`);
  assert.equal(sqlite(shared.databasePath, 'PRAGMA journal_mode'), 'wal');
  assert.equal(sqlite(shared.databasePath, 'SELECT COUNT(*) FROM schema_migrations'), String(expectedMigrationCount));
  const journalColumns = sqlite(shared.databasePath, "SELECT name FROM pragma_table_info('journal') ORDER BY cid").split('\n');
  assert.deepEqual(journalColumns, ['store_id', 'sequence', 'command_json', 'recorded_at_utc']);
  const storeColumns = sqlite(shared.databasePath, "SELECT name FROM pragma_table_info('stores') ORDER BY cid").split('\n');
  assert.deepEqual(storeColumns, ['id', 'name', 'time_zone', 'created_at_utc']);
});

test('the journal table is append-only and numbers entries per store', () => {
  // Written through a second connection (the sqlite3 shell), as a reader of the schema.
  const db = shared.databasePath;
  sqlite(db, "INSERT INTO stores (id, name, created_at_utc) VALUES ('journal-test', 'Cửa hàng A', '2026-01-01T00:00:00Z')");
  sqlite(db, "INSERT INTO journal VALUES ('journal-test', 1, '{\"type\":\"noop\"}', '2026-01-01T00:00:00Z')");
  assert.throws(() => execFileSync('sqlite3', [db, "INSERT INTO journal VALUES ('journal-test', 1, '{}', 'x')"], { stdio: 'pipe' }), 'duplicate sequence is refused');
  assert.throws(() => execFileSync('sqlite3', [db, "UPDATE journal SET command_json = '{}'"], { stdio: 'pipe' }), /append-only/);
  assert.throws(() => execFileSync('sqlite3', [db, 'DELETE FROM journal'], { stdio: 'pipe' }), /append-only/);
  assert.throws(() => execFileSync('sqlite3', [db, 'PRAGMA foreign_keys=ON; INSERT INTO journal VALUES (\'no-such-store\', 1, \'{}\', \'x\')'], { stdio: 'pipe' }), /FOREIGN KEY/);
  assert.equal(sqlite(db, "SELECT COUNT(*) FROM journal WHERE store_id = 'journal-test'"), '1');
});

test('static files are served with their content types', async () => {
  for (const [name, { body, type }] of Object.entries(webFiles)) {
    const response = await fetch(shared.url(`/${name}`));
    assert.equal(response.status, 200, name);
    const contentType = response.headers.get('content-type');
    assert.ok(contentType === type || contentType.startsWith(`${type};`), `${name}: ${contentType}, expected ${type}`);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.from(body), name);
  }
});

test('/ serves index.html, never cached without revalidation', async () => {
  const response = await fetch(shared.url('/'));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  assert.equal(await response.text(), webFiles['index.html'].body);
  const direct = await fetch(shared.url('/index.html'));
  assert.equal(direct.headers.get('cache-control'), 'no-cache');
  await direct.arrayBuffer();
});

test('a file unchanged since the browser last saw it answers 304', async () => {
  const first = await fetch(shared.url('/console.wasm'));
  await first.arrayBuffer();
  const tag = first.headers.get('etag');
  assert.ok(tag, 'ETag header');
  const second = await fetch(shared.url('/console.wasm'), { headers: { 'If-None-Match': tag } });
  assert.equal(second.status, 304);
  await second.arrayBuffer();
});

test('directory traversal is refused and never leaks a file', async () => {
  const attempts = [
    '/../etc/passwd',
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/fonts/../../secret.txt',
    '/fonts/%2e%2e/%2e%2e/secret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/./../secret.txt',
    '//etc/passwd',
    '/.hidden',
  ];
  for (const attempt of attempts) {
    const response = await rawGet(shared.port, attempt);
    assert.ok([400, 403, 404].includes(response.status), `${attempt} gave ${response.status}`);
    assert.ok(!response.body.includes('TOP-SECRET'), `${attempt} leaked secret.txt`);
    assert.ok(!response.body.includes('root:'), `${attempt} leaked /etc/passwd`);
    assert.ok(!response.body.includes('not for the browser'), `${attempt} leaked a dot file`);
  }
});

test('a missing file answers 404 in the API error shape', async () => {
  const response = await fetch(shared.url('/no-such-file.js'));
  assert.equal(response.status, 404);
  assertApiError(await response.json(), 'not_found');
});

test('an unknown /api path answers a JSON 404 with vi and en messages', async () => {
  for (const [method, pathname] of [['GET', '/api/no-such-thing'], ['GET', '/api'], ['POST', '/api/v1/nothing'], ['DELETE', '/api/health/x']]) {
    const response = await fetch(shared.url(pathname), {
      method,
      ...(method === 'POST' ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : {}),
    });
    assert.equal(response.status, 404, `${method} ${pathname}`);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    assertApiError(await response.json(), 'not_found');
  }
});

test('each request is logged on one stderr line with method, path, status and duration', async () => {
  const response = await fetch(shared.url('/api/health?probe=log'));
  await response.arrayBuffer();
  // The line may reach our pipe after the answer: wait for it rather than for a while.
  await waitFor(() => /^GET \/api\/health 200 \d+\.\dms$/m.test(shared.output.stderr), 'the request log line');
  assert.match(shared.output.stderr, /^GET \/api\/health 200 \d+\.\dms$/m);
  assert.match(shared.output.stderr, /^GET \/api\/no-such-thing 404 \d+\.\dms$/m);
});

// ---------------------------------------------------------------- life cycle

test('a busy port is refused with a clear message and a non-zero exit', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const second = await runToExit(['--port', String(shared.port), '--database', path.join(baseDir, 'second.db'), '--web-root', shared.webRoot]);
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, new RegExp(`${shared.port}`));
  assert.match(second.stderr, /in use|busy/i);
  assert.ok(!fs.existsSync(path.join(baseDir, 'second.db')), 'no database is created when the port is busy');
  // The first server is unaffected.
  const response = await fetch(shared.url('/api/health'));
  assert.equal(response.status, 200);
  await response.arrayBuffer();
});

test('--port abc exits 2 naming --port', async () => {
  const result = await runToExit(['--port', 'abc']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--port/);
  assert.match(result.stderr, /abc/);
});

test('other bad settings exit 2 naming the flag or variable', async () => {
  const cases = [
    { args: ['--port', '70000'], env: {}, names: /--port/ },
    { args: ['--port=0'], env: {}, names: /--port/ },
    { args: ['--port'], env: {}, names: /--port/ },
    { args: [], env: { PORT: 'eighty' }, names: /PORT/ },
    { args: ['--database', ''], env: {}, names: /--database/ },
    { args: ['--no-such-flag'], env: {}, names: /--no-such-flag/ },
  ];
  for (const { args, env, names } of cases) {
    const result = await runToExit(args, { env });
    assert.equal(result.code, 2, `${args.join(' ')} ${JSON.stringify(env)}: ${result.stderr}`);
    assert.match(result.stderr, names);
  }
});

test('--help lists every flag with its environment variable and exits 0', async () => {
  const result = await runToExit(['--help']);
  assert.equal(result.code, 0);
  for (const word of ['--port', 'PORT', '--host', 'HOST', '--database', 'LOYALTY_DATABASE', '--web-root', 'LOYALTY_WEB_ROOT', '8080', '127.0.0.1', 'data/loyalty.db', 'build/web']) {
    assert.ok(result.stdout.includes(word), `help mentions ${word}`);
  }
});

test('environment variables configure the server when flags are absent', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const port = await freePort();
  const databasePath = path.join(baseDir, 'from-env.db');
  const webRoot = makeWebRoot(baseDir);
  const program = launchProgram([], { env: { PORT: String(port), HOST: '127.0.0.1', LOYALTY_DATABASE: databasePath, LOYALTY_WEB_ROOT: webRoot }, cwd: baseDir });
  t.after(async () => { program.child.kill('SIGKILL'); await program.exited; });
  const deadline = Date.now() + startTimeoutMs;
  let status = 0;
  while (Date.now() < deadline && status !== 200) {
    status = await fetch(`http://127.0.0.1:${port}/`).then(async (response) => { await response.arrayBuffer(); return response.status; }, () => 0);
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.equal(status, 200, program.output.stderr);
  assert.ok(fs.existsSync(databasePath));
  assert.match(program.output.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/ \\(database: ${databasePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
});

test('a database that cannot be opened stops start-up with a message naming it', async (t) => {
  const baseDir = makeTempDir(t);
  const folderPath = path.join(baseDir, 'a-folder.db');
  fs.mkdirSync(folderPath);
  const garbagePath = path.join(baseDir, 'garbage.db');
  fs.writeFileSync(garbagePath, 'this is not an SQLite database, only some text that is long enough '.repeat(20));
  const blockedPath = path.join(baseDir, 'plain-file', 'loyalty.db');
  fs.writeFileSync(path.join(baseDir, 'plain-file'), 'a file where a folder should be');
  for (const databasePath of [folderPath, garbagePath, blockedPath]) {
    const result = await runToExit(['--port', String(await freePort()), '--database', databasePath, '--web-root', baseDir]);
    assert.equal(result.code, 1, `${databasePath}: ${result.stderr}`);
    assert.ok(result.stderr.includes(databasePath), `message names ${databasePath}: ${result.stderr}`);
  }
});

test('SIGTERM stops the server with exit 0, even with a keep-alive connection open', { timeout: 120_000 }, async (t) => {
  const server = await startServer(t);
  // An idle keep-alive connection holds one of the server's workers until it times out;
  // shutdown must not wait for the client to hang up: the server closes it. (How fast is a
  // matter of the machine; the test's own timeout catches a server that never stops.)
  const socket = net.connect(server.port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.on('error', () => {});
  socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  const socketClosed = new Promise((resolve) => socket.once('close', resolve));
  const result = await server.stop('SIGTERM');
  assert.deepEqual(result, { code: 0, signal: null });
  await socketClosed;   // the kept-alive connection was closed by the server, not by us
  assert.match(server.output.stdout, /Loyalty server stopped/);
  // A clean close checkpoints the WAL into the database file and removes it.
  assert.ok(!fs.existsSync(`${server.databasePath}-wal`), 'WAL file removed on clean close');
});

test('SIGINT (Ctrl+C) also stops the server with exit 0', { timeout: 120_000 }, async (t) => {
  const server = await startServer(t);
  const result = await server.stop('SIGINT');
  assert.deepEqual(result, { code: 0, signal: null });
});

test('restarting on the same database applies each migration once', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const webRoot = makeWebRoot(baseDir);
  const first = await startServer(t, { baseDir, databasePath, webRoot });
  assert.deepEqual(await first.stop(), { code: 0, signal: null });
  const appliedAt = sqlite(databasePath, 'SELECT applied_at_utc FROM schema_migrations WHERE version = 1');
  for (let run = 0; run < 2; run += 1) {
    const again = await startServer(t, { baseDir, databasePath, webRoot });
    const health = await (await fetch(again.url('/api/health'))).json();
    assert.equal(health.database, 'ok');
    assert.deepEqual(await again.stop(), { code: 0, signal: null });
  }
  assert.equal(sqlite(databasePath, 'SELECT COUNT(*) FROM schema_migrations'), String(expectedMigrationCount));
  assert.equal(sqlite(databasePath, 'SELECT COUNT(DISTINCT version) FROM schema_migrations'), String(expectedMigrationCount));
  assert.equal(sqlite(databasePath, 'SELECT applied_at_utc FROM schema_migrations WHERE version = 1'), appliedAt, 'not re-applied');
});

test('a database from a newer server is refused rather than used', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'newer.db');
  const first = await startServer(t, { baseDir, databasePath });
  await first.stop();
  sqlite(databasePath, "INSERT INTO schema_migrations VALUES (999, 'from the future', '2030-01-01T00:00:00Z')");
  const result = await runToExit(['--port', String(await freePort()), '--database', databasePath, '--web-root', first.webRoot]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /newer/);
});
