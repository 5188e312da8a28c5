// Helpers shared by the API tests: the real loyalty-server binary on a free loopback port,
// a database and a web root in a fresh temporary folder, and the command-line runs.
// (Copied from server.test.mjs, with environment variables for the server added.)
//
//   LOYALTY_SERVER=build/auth/bin/loyalty-server node --test tests/api/auth.test.mjs
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverPath = process.env.LOYALTY_SERVER
  ? path.resolve(process.cwd(), process.env.LOYALTY_SERVER)
  : path.join(repoDir, 'build/bin/loyalty-server');
const startTimeoutMs = 60_000;   // generous: start-up on a busy 2-core machine

export function makeTempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-api-test-'));
  t?.after?.(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeWebRoot(baseDir) {
  const webRoot = path.join(baseDir, 'web');
  fs.mkdirSync(webRoot, { recursive: true });
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Loyalty</title><p>console</p>');
  return webRoot;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Variables the server reads; the tests set them explicitly or not at all.
const serverVariables = [
  'PORT', 'HOST', 'LOYALTY_DATABASE', 'LOYALTY_WEB_ROOT', 'LOYALTY_FAST_PASSWORD_HASH',
  'LOYALTY_SESSION_IDLE_S', 'LOYALTY_SESSION_ABSOLUTE_S', 'LOYALTY_SECURE_COOKIES', 'LOYALTY_TRUST_FORWARDED_FOR',
];

function cleanEnv(env) {
  const result = { ...process.env, ...env };
  for (const name of serverVariables) {
    if (!(name in env)) delete result[name];
  }
  return result;
}

// Starts the program and gathers its output; `exited` resolves with { code, signal }.
export function launchProgram(args, { env = {}, cwd, input } = {}) {
  const stdin = input === undefined ? 'ignore' : 'pipe';
  const child = spawn(serverPath, args, { cwd, env: cleanEnv(env), stdio: [stdin, 'pipe', 'pipe'] });
  if (input !== undefined) {
    // A program that refuses its arguments exits without reading: not the test's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  }
  const output = { stdout: '', stderr: '' };
  // Always drained: a full pipe would block the server's request log.
  child.stdout.on('data', (chunk) => { output.stdout += chunk; });
  child.stderr.on('data', (chunk) => { output.stderr += chunk; });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
  });
  return { child, output, exited };
}

// A program that hangs is killed after `timeoutMs`.
export async function runToExit(args, options = {}, timeoutMs = 60_000) {
  const program = launchProgram(args, options);
  const timer = setTimeout(() => program.child.kill('SIGKILL'), timeoutMs);
  const result = await program.exited;
  clearTimeout(timer);
  return { ...result, ...program.output };
}

// Polls `condition` (which may be async) until it holds; fails naming `what` after a
// generous deadline. Tests wait for what they need, never for a fixed time.
export async function waitFor(condition, what, { deadlineMs = 30_000, intervalMs = 10 } = {}) {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// Starts a server and waits until /api/health answers; stops it when the test (or the
// context given) ends.
export async function startServer(t, { baseDir, port, databasePath, webRoot, extraArgs = [], env = {} } = {}) {
  assert.ok(fs.existsSync(serverPath), `no server binary at ${serverPath}: build it first, or set LOYALTY_SERVER`);
  baseDir ??= makeTempDir(t);
  port ??= await freePort();
  databasePath ??= path.join(baseDir, 'data', 'loyalty.db');
  webRoot ??= makeWebRoot(baseDir);
  const program = launchProgram(
    ['--port', String(port), '--database', databasePath, '--web-root', webRoot, ...extraArgs],
    { cwd: baseDir, env },
  );
  const server = {
    ...program,
    port,
    databasePath,
    webRoot,
    baseDir,
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    async stop(signal = 'SIGTERM') {
      if (program.child.exitCode === null && program.child.signalCode === null) program.child.kill(signal);
      return program.exited;
    },
  };
  t.after(async () => {
    if (program.child.exitCode === null && program.child.signalCode === null) program.child.kill('SIGKILL');
    await program.exited;
  });
  let exitedEarly = null;
  program.exited.then((result) => { exitedEarly = result; });
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exitedEarly) {
      assert.fail(`server exited during start-up (${JSON.stringify(exitedEarly)}):\n${program.output.stderr}`);
    }
    try {
      const response = await fetch(server.url('/api/health'));
      await response.arrayBuffer();
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`server did not answer /api/health within ${startTimeoutMs} ms:\n${program.output.stderr}`);
}

export function sqlite(databasePath, sql) {
  return execFileSync('sqlite3', [databasePath, sql], { encoding: 'utf8' }).trim();
}

export function assertApiError(body, code) {
  assert.equal(typeof body.error, 'object', `error object in ${JSON.stringify(body)}`);
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.equal(typeof body.error.message.vi, 'string');
  assert.equal(typeof body.error.message.en, 'string');
  assert.ok(body.error.message.vi.length > 0 && body.error.message.en.length > 0);
}
