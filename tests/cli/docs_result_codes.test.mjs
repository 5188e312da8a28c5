// The result-code table of docs/commands.md must list every code of core/basics/results.hpp,
// in the same order, with the same Vietnamese and English messages.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('docs/commands.md lists every result code with its messages', () => {
  const header = fs.readFileSync(path.join(root, 'core/basics/results.hpp'), 'utf8');
  const codes = [...header.matchAll(/^\s*X\((\w+), "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\)/gm)].map((match) => ({
    code: match[1], vi: match[2].replace(/\\"/g, '"'), en: match[3].replace(/\\"/g, '"'),
  }));
  assert.ok(codes.length >= 30, `read ${codes.length} codes from core/basics/results.hpp`);
  const docs = fs.readFileSync(path.join(root, 'docs/commands.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Result codes'));
  const rows = [...section.matchAll(/^\| `(\w+)` \| (.*?) \| (.*?) \|$/gm)].map((match) => ({ code: match[1], vi: match[2], en: match[3] }));
  assert.deepEqual(rows.map((row) => row.code), codes.map((code) => code.code), 'the codes, in order');
  for (const [index, row] of rows.entries()) {
    assert.equal(row.vi, codes[index].vi, `${row.code}: Vietnamese message`);
    assert.equal(row.en, codes[index].en, `${row.code}: English message`);
  }
});
