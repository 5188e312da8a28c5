// The program as a file: a store owner downloads the program being edited ("Tải xuống
// tệp"), changes it elsewhere and opens it again ("Mở tệp"): the editor shows the
// difference, unsaved, and saving makes it a new version. A file that is not JSON, or not
// a program, or a program with a bad field, is refused with its reason and changes
// nothing. On a static host (the offline demo), where the core in the page checks it.
//
//   node --test --test-reporter=spec tests/e2e/program_file.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  artifactDir, consoleState, openConsole, reloadConsole, startConsoleHarness, textRect, waitForState, waitForText,
} from './console_page.mjs';
import { assertNoProblems, click, openEditor, save, viewport } from './staff_screens.mjs';

let harness;
let folder;
before(async () => {
  harness = await startConsoleHarness({ host: 'static' });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-program-file-'));
});
after(async () => {
  await harness?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

// Opens `content` through the console's file chooser, as a person picks a file.
async function openFile(page, name, content) {
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'program_import_file')]);
  await chooser.setFiles(file);
}

test('download the program, open a changed copy, see the difference, save it', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await waitForState(page, { 'session.mode': 'offline' });
    await openEditor(page);
    await waitForState(page, { 'program.version': '1', 'program.unsaved': 'no', 'program.example_points': '10' });
    const inForce = JSON.parse((await consoleState(page))['program.export']);

    // The download is the program being edited, whole, under the store's name and the day.
    const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'program_export_download')]);
    assert.match(download.suggestedFilename(), /^chuong-trinh-demo-\d{4}-\d{2}-\d{2}\.json$/);
    assert.equal(download.suggestedFilename(), (await consoleState(page))['program.export_file']);
    const downloaded = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(downloaded, inForce);

    // Refused files: each says why, and the draft stays the version in force.
    await openFile(page, 'not-json.json', '{"wallet": {"point_value_vnd": 1000,');
    await waitForText(page, 'program_import_problem_0', 'Nội dung không phải JSON.');
    await waitForState(page, { 'program.import_problems': '1' });
    await openFile(page, 'a-list.json', '[1, 2, 3]');
    await waitForText(page, 'program_import_problem_0', 'JSON phải là một chương trình: một đối tượng {…} như tệp tải xuống.');
    await waitForState(page, { 'program.import_problems': '1' });
    const badRate = structuredClone(downloaded);
    badRate.wallet.buyer_earn_rate_bp = 'hai phần trăm';
    badRate.tiers[1].tier_points_needed = -5;
    await openFile(page, 'bad-fields.json', JSON.stringify(badRate));
    await page.waitForFunction(() => Number(window.consoleState?.['program.import_problems']) >= 2, null, { timeout: 10_000 });
    const refused = await consoleState(page);
    const named = [];
    for (let index = 0; index < Number(refused['program.import_problems']); index++) {
      named.push((await textRect(page, `program_import_problem_${index}`)).text);
    }
    assert.ok(named.some((line) => line.startsWith('wallet.buyer_earn_rate_bp: ')), named.join(' | '));
    assert.ok(named.some((line) => line.startsWith('tiers[1].tier_points_needed: ')), named.join(' | '));
    assert.equal(refused['program.unsaved'], 'no');
    assert.deepEqual(JSON.parse(refused['program.export']), inForce);

    // A changed copy: 2 % and a new name. Opened, it is the draft, marked unsaved.
    const changed = structuredClone(downloaded);
    changed.wallet.buyer_earn_rate_bp = 200;
    changed.program_name = 'Thành viên thân thiết 2027';
    await openFile(page, 'chuong-trinh-moi.json', JSON.stringify(changed, null, 2));
    await waitForState(page, { 'program.unsaved': 'yes', 'program.import_problems': '0', 'program.example_points': '20' });
    assert.match((await textRect(page, 'program_imported_from')).text, /chuong-trinh-moi\.json/);
    const state = await consoleState(page);
    assert.deepEqual(JSON.parse(state['program.export']), changed);
    const diff = state['program.diff'].trim().split('\n');
    assert.ok(diff.includes('Người mua được tích (% giá trị đơn): 1 % → 2 %'), diff.join(' | '));
    assert.equal(diff.length, 2, diff.join(' | '));   // the rate and the name, nothing else
    await page.screenshot({ path: path.join(artifactDir, 'program-file-opened.png') });
    await save(page, 2);

    // Saved: a reload finds version 2 as the file said.
    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '1' });
    await openEditor(page);
    await waitForState(page, { 'program.version': '2', 'program.unsaved': 'no', 'program.example_points': '20' });
    assert.deepEqual(JSON.parse((await consoleState(page))['program.export']), changed);
    await assertNoProblems(page, problems);
  } finally {
    await context.close();
  }
});
