// Runs every example of docs/commands.md through the native `loyalty apply` and checks
// that the program still prints what the page says: each ```jsonl block holds input lines,
// the ```json block right after it the result lines, and all the input lines of the page
// form one story run in document order through a single process.
//
//   node --test tests/cli/docs_examples.test.mjs     (LOYALTY_CLI overrides the binary)
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = process.env.LOYALTY_CLI || path.join(root, 'build', 'bin', 'loyalty');
const docPath = path.join(root, 'docs', 'commands.md');

// Fenced blocks with their language and 1-based line numbers in the document.
function fencedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    assert.ok(end < lines.length, `docs/commands.md:${i + 1}: code block is never closed`);
    blocks.push({ lang: open[1], docLine: i + 1, lines: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

// Pairs every jsonl block with the json block that must follow it.
function examples(text) {
  const blocks = fencedBlocks(text);
  const pairs = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'jsonl') return;
    const next = blocks[index + 1];
    assert.ok(next && next.lang === 'json',
      `docs/commands.md:${block.docLine}: a \`\`\`jsonl block must be followed by a \`\`\`json block with its output`);
    const inputs = block.lines;
    const outputs = next.lines.filter((line) => line.trim() !== '');
    const nonBlankInputs = inputs.filter((line) => line.trim() !== '').length;
    assert.equal(outputs.length, nonBlankInputs,
      `docs/commands.md:${block.docLine}: ${nonBlankInputs} input line(s) but ${outputs.length} documented output line(s)`);
    pairs.push({ docLine: block.docLine, outputDocLine: next.docLine, inputs, outputs });
  });
  return pairs;
}

test('docs/commands.md examples are the real output of loyalty apply', () => {
  assert.ok(fs.existsSync(cli), `missing ${cli}: build it (make build) or set LOYALTY_CLI`);
  const pairs = examples(fs.readFileSync(docPath, 'utf8'));
  assert.ok(pairs.length >= 14, `expected an example per command, found ${pairs.length} example blocks`);

  const input = pairs.flatMap((pair) => pair.inputs).join('\n') + '\n';
  const run = spawnSync(cli, ['apply'], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `loyalty apply exited ${run.status}: ${run.stderr}`);
  const actual = run.stdout.split('\n').filter((line) => line !== '');

  let next = 0;
  const commandsSeen = new Set();
  for (const pair of pairs) {
    pair.outputs.forEach((documented, k) => {
      const where = `docs/commands.md:${pair.outputDocLine + 1 + k}`;
      let expected;
      assert.doesNotThrow(() => { expected = JSON.parse(documented); }, `${where}: documented output is not JSON`);
      assert.ok(next < actual.length, `${where}: the program printed no result for this example`);
      const got = JSON.parse(actual[next]);
      assert.deepEqual(got, expected,
        `${where}: the program's output differs from the documentation\n  documented: ${documented}\n  actual:     ${actual[next]}`);
      commandsSeen.add(got.command);
      next++;
    });
  }
  assert.equal(next, actual.length, 'the program printed more result lines than the documentation shows');

  for (const command of ['save_program', 'create_member', 'set_referrer', 'order', 'refund', 'adjust_points',
    'review_tiers', 'get_member', 'search_members', 'ledger_history', 'preview', 'rules_text', 'get_program', 'audit']) {
    assert.ok(commandsSeen.has(command), `docs/commands.md has no example of ${command}`);
  }
});
