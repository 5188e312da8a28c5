// A member's details and card, as support staff change them on the profile: a Vietnamese
// name typed through the input method (the text agent) and a birthday are saved and still
// there after a reload; a bad phone or birthday is said next to its field and changes
// nothing; blocking and unblocking go through a confirmation, show on the profile and
// survive a reload. Offline on a static host (the demo store in the page, kept in
// IndexedDB) and connected to the store server with the demo store, signed in as support.
//
//   node --test --test-reporter=spec tests/e2e/member_details.test.mjs
// Screenshots: build/test-artifacts/member-*.png.
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, consoleState, openConsole, reloadConsole, repoDir, startConsoleHarness, textRect, waitForState, waitForText,
} from './console_page.mjs';
import { assertNoProblems, click, openAn, openMember, signIn, support, type, viewport } from './staff_screens.mjs';

const newName = 'Nguyễn Văn Ân';

async function openRenamed(page) {
  return openMember(page, 'nguyen van an', newName, 'KH00001');
}

// The journey, the same in both modes; `afterReload` says what the mode needs once the
// page is reloaded (offline: the demo store again; connected: the session again).
async function editAndBlock(page, afterReload, label) {
  await openAn(page);
  await waitForState(page, { 'profile.phone': '0910007919', 'profile.birthday': '05/04', 'profile.status': 'active' });

  // A bad phone: the core's reason under the phone field, and nothing saved.
  await type(page, 'profile_phone', '12345');
  await click(page, 'profile_save_details');
  const phoneError = await waitForText(page, 'profile_phone_error');
  assert.match(phoneError.text, /Số điện thoại/);
  // Another member's phone: the core names no field, yet it is the phone's problem.
  await type(page, 'profile_phone', '0912 169 806');   // Lý Quốc An's
  await click(page, 'profile_save_details');
  await waitForText(page, 'profile_phone_error', 'Số điện thoại đã thuộc về thành viên khác.');
  // A birthday that is no date: said before anything is sent.
  await type(page, 'profile_birthday', 'mùng 5');
  await waitForText(page, 'profile_birthday_error', 'Nhập ngày sinh như 14/02/1990 hoặc 14/02, hoặc để trống.');
  // A date the core refuses (31 February): its reason under the birthday field.
  await type(page, 'profile_phone', '0910007919');
  await type(page, 'profile_birthday', '31/02');
  await click(page, 'profile_save_details');
  await waitForText(page, 'profile_birthday_error', 'ngày sinh không hợp lệ');
  let state = await consoleState(page);
  assert.equal(state['profile.phone'], '0910007919');
  assert.equal(state['profile.birthday'], '05/04');
  assert.equal(state['profile.name'], 'Nguyễn Văn An');

  // The new name through the input method, and a birthday with its year.
  await type(page, 'profile_name', newName);
  await type(page, 'profile_birthday', '14/02/1990');
  await click(page, 'profile_save_details');
  await waitForState(page, { 'profile.name': newName, 'profile.birthday': '14/02/1990' });
  await waitForText(page, 'profile_details_saved', 'Đã lưu.');
  assert.equal((await textRect(page, 'profile_member_name')).text, newName);

  // Blocking asks first; nothing changes before Confirm.
  await click(page, 'profile_block_button');
  assert.match((await waitForText(page, 'confirm_summary')).text, /^Khóa thẻ của Nguyễn Văn Ân\?/);
  assert.equal((await consoleState(page))['profile.status'], 'active');
  await click(page, 'confirm_yes');
  await waitForState(page, { 'profile.status': 'blocked' });
  await waitForText(page, 'profile_card_done', 'Đã lưu.');
  await waitForText(page, 'profile_blocked_badge', 'Thẻ đang bị khóa');
  await waitForText(page, 'profile_unblock_button', 'Mở khóa thẻ');
  await page.screenshot({ path: path.join(artifactDir, `member-blocked-${label}.png`) });

  // A reload: the name, the birthday and the block are still there.
  await reloadConsole(page);
  await afterReload();
  await openRenamed(page);
  await waitForState(page, { 'profile.birthday': '14/02/1990', 'profile.status': 'blocked' });
  await waitForText(page, 'profile_blocked_badge');

  // Unblocking, confirmed; a reload keeps it unblocked.
  await click(page, 'profile_unblock_button');
  assert.match((await waitForText(page, 'confirm_summary')).text, /^Mở khóa thẻ của Nguyễn Văn Ân\?/);
  await click(page, 'confirm_yes');
  await waitForState(page, { 'profile.status': 'active' });
  await waitForText(page, 'profile_block_button', 'Khóa thẻ');
  assert.equal(await page.evaluate(() => window.consoleTextRects?.profile_blocked_badge ?? null), null);
  await reloadConsole(page);
  await afterReload();
  await openRenamed(page);
  await waitForState(page, { 'profile.status': 'active', 'profile.birthday': '14/02/1990' });
  state = await consoleState(page);
  assert.equal(state['profile.phone'], '0910007919');
}

describe('offline demo on a static host', () => {
  let harness;
  before(async () => { harness = await startConsoleHarness({ host: 'static' }); });
  after(async () => { await harness?.stop(); });

  test('edit details, block and unblock; every change survives a reload', async () => {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '0' });
      await editAndBlock(page, () => waitForState(page, { 'session.mode': 'offline' }), 'offline');
      // Refused saves are no changes: the details, the block and the unblock are three.
      await waitForState(page, { 'demo.changes_kept': '3' });
      await assertNoProblems(page, problems);
    } finally {
      await context.close();
    }
  });
});

describe('connected to the store server (demo store)', () => {
  let harness;
  before(async () => {
    harness = await startConsoleHarness({ host: 'server', demoStore: path.join(repoDir, 'assets', 'demo_store.jsonl') });
  });
  after(async () => { await harness?.stop(); });

  test('support staff edit details, block and unblock; every change survives a reload', async () => {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'signed_out' });
      await signIn(page, support);
      await waitForState(page, { 'session.role': 'support' });
      await editAndBlock(page, () => waitForState(page, { 'session.mode': 'signed_in' }), 'connected');
      await assertNoProblems(page, problems);
    } finally {
      await context.close();
    }
  });
});
