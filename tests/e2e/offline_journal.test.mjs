// Where the offline demo keeps the user's changes: a journal of the core's commands in
// IndexedDB, replayed over the demo store at start. A correction lands there (and not in
// localStorage); a journal an earlier console kept in localStorage is moved into IndexedDB
// by the next start, once (a second reload does not replay it twice); reset to the demo
// empties it in one click. Without IndexedDB (some private modes) the journal stays in
// localStorage and still survives a reload.
//
//   node --test --test-reporter=spec tests/e2e/offline_journal.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { clickRect, openConsole, reloadConsole, startConsoleHarness, textRect, waitForState } from './console_page.mjs';
import { adjust, assertNoProblems, openAn, viewport } from './staff_screens.mjs';

const legacyKey = 'loyalty.console.offline_journal';

let harness;
before(async () => { harness = await startConsoleHarness({ host: 'static' }); });
after(async () => { await harness?.stop(); });

// The journal's records in IndexedDB, in order (what the page itself would read).
function journalRecords(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const opening = indexedDB.open('loyalty-console');
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const reading = db.transaction('offline_journal', 'readonly').objectStore('offline_journal').getAll();
      reading.onsuccess = () => { db.close(); resolve(reading.result); };
      reading.onerror = () => reject(reading.error);
    };
  }));
}

async function waitForRecords(page, count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const records = await journalRecords(page);
    if (records.length === count) return records;
    await page.waitForTimeout(100);
  }
  throw new Error(`IndexedDB holds ${(await journalRecords(page)).length} records, not ${count}`);
}

test('changes are kept in IndexedDB; a localStorage journal is moved there once; reset empties it', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '0' });
    const before = await openAn(page);
    const after = await adjust(page, 15, 'Quà sinh nhật', before);
    await waitForState(page, { 'demo.changes_kept': '1' });
    const records = await waitForRecords(page, 1);
    const line = JSON.parse(records[0].trim());
    assert.equal(line.command, 'adjust_points');
    assert.equal(line.member_id, 'KH00001');
    assert.equal(line.points, 15);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), legacyKey), null, 'written to localStorage too');

    // Reset: one click, and nothing is kept any more.
    await clickRect(page, await textRect(page, 'demo_reset_button'));
    await waitForState(page, { 'demo.changes_kept': '0' });
    await waitForRecords(page, 0);

    // As an earlier console left it: the same correction in localStorage only.
    await page.evaluate(([key, text]) => localStorage.setItem(key, text), [legacyKey, records[0]]);
    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '1' });
    assert.equal(await openAn(page), after);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), legacyKey), null, 'the old journal is left behind');
    assert.deepEqual(await waitForRecords(page, 1), records);
    // Moved once: a second start replays it once.
    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '1' });
    assert.equal(await openAn(page), after);
    await assertNoProblems(page, problems);
  } finally {
    await context.close();
  }
});

test('without IndexedDB the journal stays in localStorage and survives a reload', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    // From the next load on, the page has no IndexedDB (as in some private modes).
    await context.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '0' });
    assert.equal(await page.evaluate(() => window.indexedDB), undefined);
    const before = await openAn(page);
    const after = await adjust(page, 7, 'Khách quen', before);
    await waitForState(page, { 'demo.changes_kept': '1' });
    const kept = await page.evaluate((key) => localStorage.getItem(key), legacyKey);
    assert.equal(JSON.parse(kept.trim()).points, 7);
    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '1' });
    assert.equal(await openAn(page), after);
    await clickRect(page, await textRect(page, 'demo_reset_button'));
    await waitForState(page, { 'demo.changes_kept': '0' });
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), legacyKey), null);
    await assertNoProblems(page, problems);
  } finally {
    await context.close();
  }
});
