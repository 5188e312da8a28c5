// Regenerates the ```json output blocks of docs/commands.md from its ```jsonl inputs, by
// running them in order through the real program. Run it after changing a command's output,
// review the diff, and commit: tests/cli/docs_examples.test.mjs fails while they differ.
// usage: node scripts/regenerate_command_docs.mjs build/bin/loyalty docs/commands.md
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
const [bin, doc, flag] = process.argv.slice(2);
const lines = fs.readFileSync(doc, 'utf8').split('\n');
const blocks = [];
for (let i = 0; i < lines.length; i++) {
  const open = /^```(\S*)\s*$/.exec(lines[i]);
  if (!open) continue;
  let end = i + 1;
  while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
  blocks.push({ lang: open[1], start: i + 1, end });
  i = end;
}
const pairs = [];
blocks.forEach((b, k) => { if (b.lang === 'jsonl') pairs.push({ input: b, output: blocks[k + 1] }); });
const inputs = pairs.flatMap((p) => lines.slice(p.input.start, p.input.end));
const run = spawnSync(bin, ['apply'], { input: inputs.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
if (run.status !== 0) { console.error('exit', run.status, run.stderr); }
const out = run.stdout.split('\n').filter((l) => l !== '');
let next = 0;
const replacements = [];
let changed = 0;
for (const p of pairs) {
  const n = lines.slice(p.input.start, p.input.end).filter((l) => l.trim() !== '').length;
  const got = out.slice(next, next + n);
  next += n;
  const old = lines.slice(p.output.start, p.output.end).filter((l) => l.trim() !== '');
  if (JSON.stringify(old) !== JSON.stringify(got)) changed++;
  replacements.push({ start: p.output.start, end: p.output.end, got });
}
console.error(`${pairs.length} examples, ${inputs.length} input lines, ${out.length} outputs, ${changed} blocks changed`);
if (flag !== '--check') {
  for (const r of replacements.reverse()) lines.splice(r.start, r.end - r.start, ...r.got);
  fs.writeFileSync(doc, lines.join('\n'));
}
