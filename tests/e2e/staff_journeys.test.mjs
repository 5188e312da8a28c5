// The two daily jobs, as staff do them in the browser: a store owner changes the program
// (1 point = 1,000 VND and 1 %, a Bạch kim tier at 2,000 tier points with the 5 % voucher
// perk) and support staff find "Nguyễn Văn An" by typing "nguyen van", open the profile and
// correct the points with a reason; a reload finds everything still there. Once on the real
// server with the demo store (connected mode), once on a static host (the offline demo,
// where the same screens run the core in the page and keep the changes in the browser).
//
//   node --test --test-reporter=spec tests/e2e/staff_journeys.test.mjs
// Screenshots: build/test-artifacts/journey-*.png.
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, clickRect, consoleState, openConsole, reloadConsole, repoDir, startConsoleHarness, textRect,
  waitForState, waitForText,
} from './console_page.mjs';
import {
  adjust, assertNoProblems, click, openAn, openEditor, openScreen, owner, rectOf, save, signIn, support, type, viewport,
} from './staff_screens.mjs';

// [SECTION] Connected: the real server with the demo store ------------------------------------
describe('connected to the store server (demo store)', () => {
  let harness;
  before(async () => {
    harness = await startConsoleHarness({ host: 'server', demoStore: path.join(repoDir, 'assets', 'demo_store.jsonl') });
  });
  after(async () => { await harness?.stop(); });

  test('an owner changes the program and support corrects a member; a reload finds both', async () => {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'signed_out' });
      await signIn(page, owner);
      await waitForState(page, { 'session.role': 'owner' });

      // The demo store's program is version 1 (1 point = 1,000 VND, 1 %, three tiers). First
      // another program: a point worth 2,000 VND, 2 %, and no Bạch kim tier.
      await openEditor(page);
      await waitForState(page, { 'program.version': '1', 'program.unsaved': 'no', 'program.example_points': '10' });
      await type(page, 'program_field_wallet_point_value_vnd', '2000');
      await type(page, 'program_field_wallet_buyer_earn_rate_bp', '2');
      // 1,000,000 VND x 2 % / 2,000 VND per point = 10 points.
      await waitForState(page, { 'program.example': 'Đơn 1.000.000 ₫ được 10 điểm', 'program.unsaved': 'yes' });
      await click(page, 'program_tier_remove_2');
      await save(page, 2);

      // Then the journey: 1 point = 1,000 VND and 1 %, the example follows every keystroke.
      await type(page, 'program_field_wallet_point_value_vnd', '1000');
      await waitForState(page, { 'program.example': 'Đơn 1.000.000 ₫ được 20 điểm' });
      await type(page, 'program_field_wallet_buyer_earn_rate_bp', '1');
      await waitForState(page, { 'program.example': 'Đơn 1.000.000 ₫ được 10 điểm' });
      // A rate the core refuses is said under its field, in the core's words.
      await type(page, 'program_field_wallet_buyer_earn_rate_bp', 'abc');
      await waitForText(page, 'program_field_wallet_buyer_earn_rate_bp_error');
      assert.notEqual((await consoleState(page))['program.problems'], '0');
      await type(page, 'program_field_wallet_buyer_earn_rate_bp', '1');
      await waitForState(page, { 'program.problems': '0' });

      // A Bạch kim tier at 2,000 tier points, with the 5 % voucher perk.
      await click(page, 'program_tier_add');
      await type(page, 'program_field_tiers_2__name', 'Bạch kim');
      await waitForState(page, { 'program.problems': '0' });
      await type(page, 'program_field_tiers_2__tier_points_needed', '2000');
      await click(page, 'perk_voucher_2_voucher_point_discount_box');
      await type(page, 'program_field_tiers_2__perks_0__discount_bp', '5');
      await waitForState(page, { 'program.problems': '0' });
      const state = await consoleState(page);
      assert.match(state['program.rules_text'], /- Bạch kim: từ 2\.000 điểm phân hạng\. Ưu đãi: Đổi voucher ít hơn 5 % điểm\./);
      // The difference from version 2, in words.
      assert.deepEqual(state['program.diff'].trim().split('\n'), [
        'Giá trị 1 điểm (₫): 2.000 → 1.000',
        'Người mua được tích (% giá trị đơn): 2 % → 1 %',
        'Thêm hạng Bạch kim: từ 2.000 điểm phân hạng',
        'Bạch kim: thêm ưu đãi Đổi voucher ít điểm hơn (%) 5 %',
      ]);
      const draft = JSON.parse(state['program.export']);
      assert.equal(draft.wallet.point_value_vnd, 1000);
      assert.equal(draft.wallet.buyer_earn_rate_bp, 100);
      assert.deepEqual(draft.tiers[2].perks, [{ type: 'voucher_point_discount', enabled: true, discount_bp: 500 }]);
      assert.equal(draft.tiers[2].id, 'bach_kim');
      // How many members each tier holds now and after, from the store.
      await click(page, 'program_impact_button');
      await page.waitForFunction(() => !!window.consoleState?.['impact.bach_kim'], null, { timeout: 15_000 })
        .catch(async (error) => {
          const impactError = await rectOf(page, 'program_impact_error');
          throw new Error(`no impact for Bạch kim (${impactError ? impactError.text : 'no refusal shown'}): ${error.message}`);
        });
      const impact = await consoleState(page);
      assert.match(impact['impact.bach_kim'], /^0->\d+$/, 'no member is Bạch kim under version 2');
      await page.screenshot({ path: path.join(artifactDir, 'journey-program-review.png'), fullPage: true });
      await save(page, 3);

      // Versions: three, the first openable read-only.
      await click(page, 'program_tab_versions');
      await waitForState(page, { 'program.versions': '3' });
      await click(page, 'program_version_open_1');
      await waitForText(page, 'program_version_open_heading', 'Phiên bản 1 (chỉ xem)');

      // Support staff's job, here by the owner: find An, correct her points.
      const before = await openAn(page);
      const reason = 'Bù điểm đơn DH1-1 do lỗi máy POS';
      const after = await adjust(page, 25, reason, before);
      await click(page, 'profile_explain_button');
      await page.waitForFunction(() => !!window.consoleState?.['explain.lots_points'], null, { timeout: 15_000 });
      assert.equal((await consoleState(page))['explain.lots_points'], String(after), 'the lots hold the whole balance');
      assert.deepEqual(await page.evaluate(() => window.consoleMissingCodepoints), [], 'glyphs missing on the profile');
      await page.screenshot({ path: path.join(artifactDir, 'journey-profile.png'), fullPage: true });

      // A reload keeps the session; the program and the correction are on the server.
      await reloadConsole(page);
      await waitForState(page, { 'session.mode': 'signed_in' });
      assert.equal(await openAn(page), after);
      await waitForState(page, { 'profile.history_first': reason });
      await openEditor(page);
      await waitForState(page, { 'program.version': '3', 'program.unsaved': 'no' });
      assert.equal(JSON.parse((await consoleState(page))['program.export']).tiers[2].name, 'Bạch kim');
      await assertNoProblems(page, problems);
    } finally {
      await context.close();
    }
  });

  test('support staff see members but not the liability, and cannot save the program', async () => {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'signed_out' });
      await signIn(page, support);
      await waitForState(page, { 'session.role': 'support' });
      await openScreen(page, 'nav_members');
      await type(page, 'members_search', '0910007919');   // An's phone
      await waitForState(page, { 'members.first_result': 'Nguyễn Văn An' });
      assert.equal(await rectOf(page, 'members_tab_liability'), null, 'support sees the liability tab');
      await openEditor(page);
      await waitForText(page, 'program_save_not_allowed');
      assert.equal(await rectOf(page, 'program_save_button'), null, 'support is offered to save the program');
      await assertNoProblems(page, problems);
    } finally {
      await context.close();
    }
  });
});

// [SECTION] Offline: a static host, the core in the page ----------------------------------------
describe('offline demo on a static host', () => {
  let harness;
  before(async () => { harness = await startConsoleHarness({ host: 'static' }); });
  after(async () => { await harness?.stop(); });

  test('the same screens on the in-page demo store; changes survive a reload until reset', async () => {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '0' });
      assert.match((await textRect(page, 'mode_banner')).text, /không có dữ liệu nào được gửi tới cửa hàng/);

      // The rule preview of the demo store's program, with no server at all.
      await openScreen(page, 'nav_wallet_tiers');
      await waitForState(page, { 'preview.buyer_points': '10' });

      const before = await openAn(page);
      const reason = 'Tặng điểm khách quen';
      const after = await adjust(page, 40, reason, before);
      await waitForState(page, { 'demo.changes_kept': '1' });

      // The owner's view offline: the liability in VND.
      await click(page, 'members_tab_liability');
      await page.waitForFunction(() => !!window.consoleState?.['liability.value_vnd'], null, { timeout: 15_000 });
      await click(page, 'members_tab_search');

      await openEditor(page);
      await type(page, 'program_field_wallet_buyer_earn_rate_bp', '2');
      await waitForState(page, { 'program.example': 'Đơn 1.000.000 ₫ được 20 điểm', 'program.unsaved': 'yes' });
      // Leaving a changed program asks first; staying keeps what was typed.
      await openScreen(page, 'nav_members');
      await waitForText(page, 'leave_heading', 'Rời trang khi chưa lưu?');
      await clickRect(page, await textRect(page, 'leave_no'));
      await waitForState(page, { 'program.unsaved': 'yes', 'program.example_points': '20' });
      assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
      await save(page, 2);
      await page.screenshot({ path: path.join(artifactDir, 'journey-offline.png') });

      await reloadConsole(page);
      await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '2' });
      assert.equal(await openAn(page), after);
      await waitForState(page, { 'profile.history_first': reason });
      await openEditor(page);
      await waitForState(page, { 'program.version': '2', 'program.example_points': '20' });

      // One click back to the demo as shipped.
      await clickRect(page, await textRect(page, 'demo_reset_button'));   // in the banner: never scrolls
      await waitForState(page, { 'demo.changes_kept': '0', 'program.version': '1' });
      assert.equal(await openAn(page), before);
      await reloadConsole(page);
      await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '0' });
      await assertNoProblems(page, problems);
    } finally {
      await context.close();
    }
  });
});
