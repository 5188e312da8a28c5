// The program editor offers the rules of Core IV: a store owner sets a welcome bonus of 50
// points and places members in tiers by what they spend. The difference and the rules in
// words say both before saving; saved, a reload finds them in the program in force. On a
// static host (the offline demo), where the core in the page checks the draft.
//
//   node --test --test-reporter=spec tests/e2e/program_rules_editor.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactDir, consoleState, openConsole, reloadConsole, startConsoleHarness, waitForState } from './console_page.mjs';
import { assertNoProblems, click, openEditor, save, type, viewport } from './staff_screens.mjs';

let harness;
before(async () => { harness = await startConsoleHarness({ host: 'static' }); });
after(async () => { await harness?.stop(); });

test('a welcome bonus and tiers by spend: said before saving, kept after a reload', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await waitForState(page, { 'session.mode': 'offline' });
    await openEditor(page);
    await waitForState(page, { 'program.version': '1', 'program.unsaved': 'no' });
    const inForce = JSON.parse((await consoleState(page))['program.export']);
    assert.equal(inForce.bonuses, undefined, 'the demo program starts without bonuses');
    const thresholds = inForce.tiers.map((tier) => tier.tier_points_needed);

    await type(page, 'program_field_bonuses_welcome_points', '50');
    await click(page, 'program_qualify_spend');
    // The thresholds keep their numbers, now read as VND spent.
    await waitForState(page, { 'program.unsaved': 'yes', 'program.problems': '0' });
    let state = await consoleState(page);
    const draft = JSON.parse(state['program.export']);
    assert.equal(draft.bonuses.welcome_points, 50);
    assert.equal(draft.tier_points.qualify_by, 'spend_vnd');
    assert.deepEqual(draft.tiers.map((tier) => tier.spend_needed_vnd), thresholds);
    assert.ok(draft.tiers.every((tier) => tier.tier_points_needed === undefined));

    const diff = state['program.diff'].trim().split('\n');
    // The two changes, nothing else: the thresholds kept their numbers under their new name.
    assert.deepEqual(diff.sort(), ['Thưởng chào mừng khi tham gia (điểm): — → 50', 'Xếp hạng theo: — → Chi tiêu (₫)']);
    assert.match(state['program.rules_text'], /Thành viên mới được tặng 50 điểm chào mừng\./);
    assert.match(state['program.rules_text'], /Hạng thành viên được xét theo số tiền chi tiêu cho hàng hóa\./);

    // A list typed with commas is the document's array, each id trimmed.
    await type(page, 'program_field_earning_excluded_categories', 'thuoc-la, ruou');
    await page.waitForFunction(() => JSON.stringify(JSON.parse(window.consoleState?.['program.export'] ?? '{}').earning?.excluded_categories) ===
      '["thuoc-la","ruou"]', null, { timeout: 10_000 });

    // A bad value is refused by the core next to its field, and the draft cannot be saved.
    await type(page, 'program_field_bonuses_first_order_points', '-3');
    await page.waitForFunction(() => Number(window.consoleState?.['program.problems']) >= 1, null, { timeout: 10_000 });
    await type(page, 'program_field_bonuses_first_order_points', '0');
    await page.screenshot({ path: path.join(artifactDir, 'program-rules-editor.png') });
    await save(page, 2);

    await reloadConsole(page);
    await waitForState(page, { 'session.mode': 'offline', 'demo.changes_kept': '1' });
    await openEditor(page);
    await waitForState(page, { 'program.version': '2', 'program.unsaved': 'no' });
    state = await consoleState(page);
    const saved = JSON.parse(state['program.export']);
    assert.equal(saved.bonuses.welcome_points, 50);
    assert.equal(saved.tier_points.qualify_by, 'spend_vnd');
    assert.deepEqual(saved.tiers.map((tier) => tier.spend_needed_vnd), thresholds);
    assert.match(state['program.rules_text'], /50 điểm chào mừng/);
    assert.deepEqual(saved.earning.excluded_categories, ['thuoc-la', 'ruou']);
    await assertNoProblems(page, problems);
  } finally {
    await context.close();
  }
});

test('a promotion: its dates are checked by the core as typed, the rules name it', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await waitForState(page, { 'session.mode': 'offline' });
    await openEditor(page);
    await waitForState(page, { 'program.unsaved': 'no' });
    await click(page, 'program_promotion_add');
    await type(page, 'program_field_promotions_0__name', 'Tuần lễ vàng');
    await type(page, 'program_field_promotions_0__starts_at', '2028-07-06T00:00:00+07:00');
    // Ends before it starts: refused, by the field's path.
    await type(page, 'program_field_promotions_0__ends_at', '2028-07-01T00:00:00+07:00');
    await page.waitForFunction(() => Number(window.consoleState?.['program.problems']) === 1, null, { timeout: 10_000 });
    await type(page, 'program_field_promotions_0__ends_at', '2028-07-08T00:00:00+07:00');
    await waitForState(page, { 'program.problems': '0', 'program.unsaved': 'yes' });
    const state = await consoleState(page);
    const promotion = JSON.parse(state['program.export']).promotions[0];
    assert.equal(promotion.multiplier_bp, 20000);
    assert.equal(promotion.combine, 'multiply');
    assert.equal(promotion.tier_id, undefined);
    assert.deepEqual(state['program.diff'].trim().split('\n'), ['Khuyến mãi nhân điểm thay đổi']);
    assert.match(state['program.rules_text'], /Khuyến mãi Tuần lễ vàng \(06\/07\/2028/);
    await assertNoProblems(page, problems);
  } finally {
    await context.close();
  }
});
