// Black-box tests of the `loyalty` command line, as an operator uses it: state kept in a
// folder between runs, damaged journals, malformed input, usage errors, invariants after a
// long random run, native and wasm giving byte-identical results, and replay.
//
//   node --test --test-reporter=spec tests/cli/
//
// Binaries: build/bin/loyalty and build/wasm-bin/loyalty.js under the repository root, or
// the paths in LOYALTY_CLI and LOYALTY_CLI_WASM.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { generateCommandStream, programDocument, WRITE_COMMANDS } from './command_stream.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATIVE = process.env.LOYALTY_CLI || path.join(root, 'build', 'bin', 'loyalty');
const WASM = process.env.LOYALTY_CLI_WASM || path.join(root, 'build', 'wasm-bin', 'loyalty.js');

// The generated stream of (f) and (g): at least 5,000 commands, the same every run.
const STREAM_SEED = 20260101;
const STREAM_COMMANDS = 6000;
const MIN_ACCEPTED_WRITES = 2200;

// ----- helpers ----------------------------------------------------------------------------

function run(which, args, lines) {
  const input = lines === undefined ? '' : lines.map((line) => line + '\n').join('');
  const [command, commandArgs] = which === 'wasm'
    ? [process.execPath, ['--no-experimental-fetch', WASM, ...args]]
    : [NATIVE, args];
  const result = spawnSync(command, commandArgs, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  // A program that stops before reading its input (a damaged journal) closes the pipe
  // while the input is still being written: EPIPE is then expected, not a failure to run.
  const stoppedEarly = result.error?.code === 'EPIPE' && result.status !== null;
  assert.ok(result.error === undefined || stoppedEarly, `could not run ${which} loyalty: ${result.error}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Runs and expects a clean exit; returns the result lines as text and parsed.
function apply(which, args, lines) {
  const result = run(which, ['apply', ...args], lines);
  assert.equal(result.status, 0, `${which} loyalty apply exited ${result.status}: ${result.stderr}`);
  const text = result.stdout.split('\n');
  assert.equal(text.pop(), '', 'output must end with a newline');
  return { text, results: text.map((line) => JSON.parse(line)), stderr: result.stderr };
}

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-cli-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const json = (value) => JSON.stringify(value);
const SEED_PROGRAM = programDocument();
const saveProgram = (time = '2026-01-01T00:00:00+07:00') =>
  json({ command: 'save_program', time, actor: 'chu-cua-hang', program: SEED_PROGRAM });
const createMember = (time, id, phone, name, extra = {}) =>
  json({ command: 'create_member', time, member_id: id, phone, name, ...extra });
const order = (time, id, member, status, amount, extra = {}) =>
  json({ command: 'order', time, order_id: id, member_id: member, status, amount_vnd: amount, actor: 'pos-quay-1', ...extra });
const getMember = (id) => json({ command: 'get_member', member_id: id });

function journalLines(dir) {
  const file = path.join(dir, 'journal.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
}

// The store's clock, followed independently of the program (docs/commands.md, "the
// store's clock"): a write with a valid time later than the clock moves it. An accepted
// write is journaled as it is (replay moves the clock the same way); a write that moved
// the clock but was refused or already applied is journaled as a process_due line of its
// time; a process_due is journaled when it moved the clock.
function validTimeSeconds(text) {
  if (typeof text !== 'string' || text.length <= 10 || !/(Z|z|[+-]\d\d:\d\d)$/.test(text)) return null;
  const milliseconds = Date.parse(text);
  return Number.isNaN(milliseconds) ? null : Math.floor(milliseconds / 1000);
}
const isoSeconds = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function followClock(lines, results) {
  const byLine = new Map(results.map((result) => [result.line, result]));
  let clock = 0;
  const accepted = [];
  const clockLines = [];
  lines.forEach((line, index) => {
    const result = byLine.get(index + 1);
    let command = null;
    try { command = JSON.parse(line); } catch { return; }
    if (!result || !command || typeof command !== 'object' || !WRITE_COMMANDS.has(command.command)) return;
    const time = validTimeSeconds(command.time);
    const moved = time !== null && time > clock;
    if (moved) clock = time;
    if (command.command === 'process_due') {
      if (moved && result.result === 'ok') accepted.push(line);
    } else if (result.result === 'ok') {
      accepted.push(line);
    } else if (moved) {
      clockLines.push(json({ command: 'process_due', time: isoSeconds(time) }));
    }
  });
  return { accepted, clockLines };
}
const acceptedWrites = (lines, results) => followClock(lines, results).accepted;

let cachedStream;
function stream() {
  cachedStream ??= generateCommandStream({ seed: STREAM_SEED, count: STREAM_COMMANDS });
  return cachedStream;
}

test('the binaries exist', () => {
  assert.ok(fs.existsSync(NATIVE), `missing ${NATIVE}: run make build or set LOYALTY_CLI`);
  assert.ok(fs.existsSync(WASM), `missing ${WASM}: run make build or set LOYALTY_CLI_WASM`);
});

// ----- (a) --state keeps the store between runs -----------------------------------------

test('(a) --state DIR keeps the store between runs and journals only accepted writes', (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'store');   // created when missing
  const first = [
    saveProgram(),
    createMember('2026-01-05T09:00:00+07:00', 'AN', '0912 345 678', 'Nguyễn Văn An'),
    createMember('2026-01-06T09:00:00+07:00', 'BINH', '+84 987 654 321', 'Trần Thị Bình', { referrer_id: 'AN' }),
    createMember('2026-01-06T09:05:00+07:00', 'BINH', '0987654321', 'Trần Thị Bình'),         // retry: already_applied
    order('2026-02-02T10:00:00+07:00', 'DH-1', 'BINH', 'completed', 1_000_000),
    order('2026-02-03T10:00:00+07:00', 'DH-2', 'AN', 'placed', 2_000_000),
    order('2026-02-03T11:00:00+07:00', 'DH-3', 'NOBODY', 'completed', 2_000_000),             // member_not_found
    getMember('BINH'),
    '{"command":"audit"',                                                                     // malformed
  ];
  const run1 = apply('native', ['--state', state], first);
  assert.deepEqual(run1.results.map((r) => r.result),
    ['ok', 'ok', 'ok', 'already_applied', 'ok', 'ok', 'member_not_found', 'ok', 'malformed_json']);
  // The retry of BINH's creation (09:05) and the order for NOBODY (11:00) were not
  // accepted, but their times moved the store's clock: that is journaled in their place.
  assert.deepEqual(journalLines(state), [first[0], first[1], first[2], '{"command":"process_due","time":"2026-01-06T02:05:00Z"}',
    first[4], first[5], '{"command":"process_due","time":"2026-02-03T04:00:00Z"}'],
    'the journal holds the accepted writes verbatim and in order, and the clock\'s moves of the others');

  const second = [
    getMember('BINH'),
    getMember('AN'),
    order('2026-02-02T10:00:00+07:00', 'DH-1', 'BINH', 'completed', 1_000_000),              // repeated: already_applied
    order('2026-02-04T10:00:00+07:00', 'DH-2', 'AN', 'completed', 2_000_000),                 // the placed order completes
    json({ command: 'get_program' }),
  ];
  const run2 = apply('native', ['--state', state], second);
  const [binh, an, repeated, completed, program] = run2.results;
  assert.equal(binh.line, 1, 'line numbers start again at 1 in each run');
  assert.deepEqual(binh.data.balances, { points: 10, pending: 0, held: 0, tier_points_lifetime: 50, points_value_vnd: 10000 });
  assert.equal(binh.data.member.referrer_id, 'AN');
  assert.deepEqual(an.data.balances, { points: 5, pending: 0, held: 0, tier_points_lifetime: 0, points_value_vnd: 5000 });
  assert.equal(repeated.result, 'already_applied');
  assert.deepEqual(repeated.transactions, []);
  assert.equal(completed.result, 'ok');
  assert.deepEqual(completed.balances.AN, { points: 25, pending: 0, held: 0, tier_points_lifetime: 100, points_value_vnd: 25000 }, "5 as referrer + 20");
  assert.equal(program.result, 'ok');
  assert.equal(program.data.version, 1);
  assert.equal(journalLines(state).length, 8, 'only the completion of DH-2 was added (the repeat is dated before the clock)');
  assert.equal(journalLines(state)[7], second[3]);

  const run3 = apply('native', ['--state', state], [getMember('AN'), json({ command: 'audit' })]);
  assert.equal(run3.results[0].data.balances.points, 25);
  assert.equal(run3.results[1].data.invariants_hold, true);
  assert.equal(run3.results[1].data.orders, 2);
});

// ----- (b) a damaged journal stops the program ------------------------------------------

test('(b) a damaged journal makes the program exit non-zero, naming the journal line', async (t) => {
  const writes = [
    saveProgram(),
    createMember('2026-01-05T09:00:00+07:00', 'AN', '0912345678', 'Nguyễn Văn An'),
    order('2026-02-02T10:00:00+07:00', 'DH-1', 'AN', 'completed', 1_000_000),
  ];

  await t.test('a line that no longer applies', (t) => {
    const dir = tempDir(t);
    // The member's creation was lost: the order (journal line 2) names nobody now.
    const damaged = [writes[0], writes[2]].join('\n') + '\n';
    fs.writeFileSync(path.join(dir, 'journal.jsonl'), damaged);
    const result = run('native', ['apply', '--state', dir], [getMember('AN')]);
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '', 'nothing is answered from a damaged store');
    assert.match(result.stderr, /journal\.jsonl line 2 was refused on replay \(member_not_found\)/);
    assert.equal(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8'), damaged, 'the journal is left as it was');
  });

  await t.test('garbage', (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, 'journal.jsonl'), [...writes, '\u0000garbage{{', ''].join('\n'));
    const result = run('native', ['apply', '--state', dir], [getMember('AN')]);
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /journal\.jsonl line 4 was refused on replay \(malformed_json\)/);
  });

  await t.test('a line that is JSON but was never accepted', (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, 'journal.jsonl'),
      [...writes, order('2026-02-02T10:00:00+07:00', 'DH-1', 'AN', 'completed', 1_000_000)].join('\n') + '\n');
    const result = run('native', ['apply', '--state', dir], []);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /line 4 was refused on replay \(already_applied, but it changed nothing/);
  });

  await t.test('the wasm build refuses it the same way', (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, 'journal.jsonl'), [writes[0], writes[2]].join('\n') + '\n');
    const result = run('wasm', ['apply', '--state', dir], [getMember('AN')]);
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /journal\.jsonl line 2 was refused on replay \(member_not_found\)/);
  });
});

// ----- (c) malformed lines ------------------------------------------------------------------

test('(c) malformed lines are answered with their line number and the run goes on', () => {
  const lines = [
    saveProgram(),                                                                            // 1
    '',                                                                                       // 2: blank, skipped
    '  \t ',                                                                                  // 3: blank, skipped
    '{"command":"create_member","phone":',                                                    // 4
    json({ command: 'order', time: '2026-02-01T00:00:00Z', order_id: 'DH-1', member_id: 'AN',
      status: 'completed', amount_vnd: '1000000' }),                                          // 5: amount as text
    json({ command: 'get_member', member_id: 'AN', memberid: 'AN' }),                          // 6: a typo
    json({ command: 'order', time: '2026-02-01T09:00:00', order_id: 'DH-1', member_id: 'AN',
      status: 'done', amount_vnd: 1 }),                                                       // 7: no zone, bad status
    '[1,2,3]',                                                                                // 8: not an object
    json({ command: 'teleport' }),                                                            // 9
    createMember('2026-01-05T09:00:00+07:00', 'AN', '0912345678', 'Nguyễn Văn An') + '\r',    // 10: CRLF
    getMember('AN'),                                                                          // 11
  ];
  const { results } = apply('native', [], lines);
  assert.deepEqual(results.map((r) => r.line), [1, 4, 5, 6, 7, 8, 9, 10, 11], 'blank lines are skipped but counted');
  const [, malformed, textAmount, typo, badTime, array, unknown, created, member] = results;
  assert.equal(malformed.result, 'malformed_json');
  assert.equal(malformed.command, '');
  assert.equal(malformed.errors[0].field, '$');
  assert.match(malformed.errors[0].en, /invalid JSON at byte \d+/);
  assert.equal(textAmount.result, 'invalid_field');
  assert.deepEqual(textAmount.errors.map((e) => e.field), ['amount_vnd']);
  assert.equal(textAmount.errors[0].en, 'must be a whole number');
  assert.equal(typo.result, 'invalid_field');
  assert.deepEqual(typo.errors.map((e) => [e.field, e.en]), [['memberid', 'unknown field']]);
  assert.equal(badTime.result, 'invalid_field');
  assert.deepEqual(badTime.errors.map((e) => e.field), ['time', 'status']);
  assert.equal(array.result, 'invalid_field');
  assert.equal(array.errors[0].field, '$');
  assert.equal(unknown.result, 'unknown_command');
  assert.equal(created.result, 'ok', 'a line ending in \\r is read without it');
  assert.equal(member.result, 'ok');
  assert.equal(member.data.member.name, 'Nguyễn Văn An');
  for (const result of results) {
    assert.equal(typeof result.message.vi, 'string');
    assert.equal(typeof result.message.en, 'string');
  }
});

// ----- (d) usage errors -------------------------------------------------------------------------

test('(d) usage errors exit 2 with the usage on stderr; --help exits 0', () => {
  for (const which of ['native', 'wasm']) {
    for (const args of [[], ['frobnicate'], ['apply', '--verbose'], ['apply', '--state']]) {
      const result = run(which, args, []);
      assert.equal(result.status, 2, `${which} ${args.join(' ')}: exit status`);
      assert.match(result.stderr, /usage: loyalty apply \[--state DIR\]/, `${which} ${args.join(' ')}: usage on stderr`);
      assert.equal(result.stdout, '', `${which} ${args.join(' ')}: nothing on stdout`);
    }
    assert.match(run(which, ['apply', '--verbose'], []).stderr, /unknown argument '--verbose'/);
    const help = run(which, ['--help'], []);
    assert.equal(help.status, 0, `${which} --help: exit status`);
    assert.match(help.stdout, /usage: loyalty apply \[--state DIR\]/);
    assert.equal(help.stderr, '');
  }
});

// ----- (e) invariants after a long random run ---------------------------------------------------

test('(e) the invariants hold throughout a long random run (audit)', () => {
  const { lines } = generateCommandStream({ seed: 7, count: 5000 });
  const { results } = apply('native', [], lines);
  const audits = results.filter((r) => r.command === 'audit');
  assert.ok(audits.length >= 20, `only ${audits.length} audits in the stream`);
  for (const audit of audits) {
    assert.equal(audit.result, 'ok');
    assert.equal(audit.data.invariants_hold, true, `line ${audit.line}: ${audit.data.problem}`);
    assert.equal(audit.data.points_funded, 1_000_000_000);
    assert.ok(audit.data.pool >= 0 && audit.data.pool <= audit.data.points_funded);
  }
  const last = results.at(-1);
  assert.equal(last.command, 'audit');
  assert.ok(last.data.orders > 500 && last.data.members > 300, json(last.data));
});

// ----- (f) native and wasm give identical results ------------------------------------------------

// The insight reads (program_impact, backtest_program, metrics) over the store the stream
// built: its whole span, its last 90 and 30 days, a candidate program.
function insightReads(lines) {
  const times = lines.map((line) => { try { return JSON.parse(line).time; } catch { return undefined; } })
    .filter((time) => typeof time === 'string').map((time) => Date.parse(time)).filter((time) => !Number.isNaN(time));
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const first = iso(Math.min(...times));
  const last = Math.max(...times);
  const candidate = programDocument({ buyerRateBp: 150, referrerRateBp: 80, rounding: 'half_up', windowMonths: 6 });
  return [
    { command: 'program_impact', program: candidate, sample_limit: 20 },
    { command: 'backtest_program', from: first, to: iso(last + 1000), program: candidate, sample_limit: 20 },
    { command: 'backtest_program', from: iso(last - 90 * 86400e3), to: iso(last + 1000), program: programDocument() },
    { command: 'metrics', from: first, to: iso(last + 1000), bucket: 'month' },
    { command: 'metrics', from: first, to: iso(last + 1000), bucket: 'week' },
    { command: 'metrics', from: iso(last - 30 * 86400e3), to: iso(last + 1000), bucket: 'day' },
  ].map((command) => JSON.stringify(command));
}

test('(f) native and wasm give byte-identical results on a generated stream', () => {
  const generated = stream().lines;   // it ends with an audit, which stays last
  const lines = [...generated.slice(0, -1), ...insightReads(generated), generated.at(-1)];
  assert.ok(lines.length >= 5000);
  const native = apply('native', [], lines);
  const wasm = apply('wasm', [], lines);
  const inputCount = lines.filter((line) => line.trim() !== '').length;
  assert.equal(native.text.length, inputCount, 'native: one result per non-blank input line');
  for (let i = 0; i < Math.max(native.text.length, wasm.text.length); i++) {
    if (native.text[i] !== wasm.text[i]) {
      const line = native.results[i]?.line ?? i + 1;
      assert.fail(`native and wasm differ first at result ${i + 1} (input line ${line}):\n` +
        `  input:  ${lines[line - 1]}\n  native: ${native.text[i]}\n  wasm:   ${wasm.text[i]}`);
    }
  }

  // The stream must be meaningful: many writes accepted, every command succeeding, and
  // the refusals it was built to provoke.
  const accepted = native.results.filter((r) => WRITE_COMMANDS.has(r.command) && r.result === 'ok');
  assert.ok(accepted.length >= MIN_ACCEPTED_WRITES, `only ${accepted.length} writes were accepted`);
  const seen = new Set(native.results.map((r) => `${r.command}:${r.result}`));
  for (const expected of ['save_program:ok', 'save_program:program_invalid', 'save_program:program_time_before_latest',
    'create_member:ok', 'create_member:already_applied', 'create_member:phone_taken', 'create_member:member_exists',
    'create_member:invalid_field', 'set_referrer:ok', 'order:ok', 'order:already_applied', 'order:order_amount_mismatch',
    'order:member_not_found', 'refund:ok', 'refund:already_applied', 'refund:refund_exceeds_order', 'adjust_points:ok',
    'adjust_points:already_applied', 'adjust_points:idempotency_key_conflict', 'review_tiers:ok', 'get_member:ok',
    'search_members:ok', 'ledger_history:ok', 'preview:ok', 'rules_text:ok', 'audit:ok', ':malformed_json',
    // The life of a point.
    'process_due:ok', 'redeem_points:ok', 'redeem_points:already_applied', 'redeem_points:insufficient_points',
    'hold_points:ok', 'hold_points:points_share_exceeded', 'hold_points:insufficient_points', 'order:hold_member_mismatch',
    'release_hold:ok', 'release_hold:already_applied', 'release_hold:hold_already_captured', 'release_hold:hold_not_found',
    'transfer_points:ok', 'transfer_points:already_applied', 'transfer_points:transfers_disabled',
    'transfer_points:insufficient_points', 'release_pending:ok', 'release_pending:nothing_pending', 'cancel_pending:ok',
    'grant_birthday_bonuses:ok', 'liability:ok', 'expiring_points:ok',
    // Program impact and metrics.
    'program_impact:ok', 'backtest_program:ok', 'metrics:ok']) {
    assert.ok(seen.has(expected), `the stream never produced ${expected}`);
  }
  // New successful writes of the life of a point, and time doing its work.
  const okCount = (command) => native.results.filter((r) => r.command === command && r.result === 'ok').length;
  assert.ok(okCount('redeem_points') >= 10 && okCount('transfer_points') >= 10 && okCount('hold_points') >= 20,
    `too few point-life writes: ${['redeem_points', 'transfer_points', 'hold_points'].map((c) => `${c} ${okCount(c)}`).join(', ')}`);
  const captured = native.results.filter((r) => r.command === 'order' && r.result === 'ok' &&
    r.events.some((e) => e.kind === 'hold_captured'));
  assert.ok(captured.length >= 10, `only ${captured.length} orders paid with held points`);
  const dueKinds = new Set(native.results.flatMap((r) => [...(r.due?.events ?? []),
    ...(r.command === 'process_due' && r.result === 'ok' ? r.events : [])].map((e) => e.kind)));
  for (const kind of ['points_available', 'hold_released', 'points_expired']) {
    assert.ok(dueKinds.has(kind), `time passing never produced ${kind}`);
  }
  const searches = native.results.filter((r) => r.command === 'search_members');
  assert.ok(searches.filter((r) => r.data.members.length > 0).length > searches.length / 2, 'most searches find someone');
  assert.ok(searches.some((r) => r.data.members.some((m) => m.match === 'phone_suffix')));
  assert.equal(native.results.at(-1).data.invariants_hold, true);
  console.log(`# stream: ${lines.length} commands, ${accepted.length} accepted writes, ` +
    `${native.results.filter((r) => r.result !== 'ok').length} other results`);
});

// ----- (g) replay gives the same store --------------------------------------------------------------

test('(g) a store rebuilt from the journal answers like the store that wrote it', (t) => {
  const { lines, memberIds } = stream();
  const reads = [...memberIds.map(getMember), json({ command: 'audit' })];
  const dir = tempDir(t);

  const writing = apply('native', ['--state', dir], lines);
  const single = apply('native', [], [...lines, ...reads]);
  assert.deepEqual(writing.text, single.text.slice(0, lines.length), '--state does not change any result');
  // The journal holds exactly the accepted writes and, for each write that moved the clock
  // but was not accepted, a process_due line of its time, in order.
  const journal = journalLines(dir);
  const isDue = (line) => JSON.parse(line).command === 'process_due';
  const { accepted, clockLines } = followClock(lines, writing.results);
  assert.deepEqual(journal.filter((line) => !isDue(line)), accepted.filter((line) => !isDue(line)),
    'the journal holds exactly the accepted writes');
  const dueLines = journal.filter(isDue);
  const expectedDue = [...clockLines, ...accepted.filter(isDue)];
  assert.deepEqual([...dueLines].sort(), [...expectedDue].sort(), 'the journal holds the clock\'s moves of writes not accepted');
  assert.ok(dueLines.length > 0, 'time passing was never journaled');

  const withoutLine = (result) => { const { line, ...rest } = result; return rest; };
  const expected = single.results.slice(lines.length).map(withoutLine);
  for (const which of ['native', 'wasm']) {
    const replayed = apply(which, ['--state', dir], reads);
    assert.equal(replayed.results.length, reads.length);
    replayed.results.forEach((result, i) => {
      assert.deepEqual(withoutLine(result), expected[i], `${which} after replay, ${reads[i]}`);
    });
    assert.equal(replayed.results.at(-1).data.invariants_hold, true);
  }
  assert.ok(expected.filter((r) => r.result === 'ok').length > memberIds.length * 0.9);
});
