// Browser tests of "Ví điểm & hạng", the offline rule preview: the program in use, its rules
// in plain words, and the calculator ("what does a customer get for this order?").
//
// The seed's example program: 1 point = 1,000 ₫, buyer 1 %, referrer 0.5 %, 20,000 ₫ per
// tier point; tiers Bạc 0, Vàng 500, Bạch kim 2,000. Screenshots go to
// build/test-artifacts/preview*.png.
//
//   node --test --test-reporter=spec tests/e2e/
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, clickRect, consoleState, inkPixels, inputRect, openConsole, screenshotRect,
  startConsoleHarness, textRect, typeInto, waitForText,
} from './console_page.mjs';

let harness;

before(async () => {
  harness = await startConsoleHarness({ host: 'static' });   // the offline demo
});

after(async () => {
  await harness?.stop();
});

// Opens the console and the rule preview screen.
async function openPreview(options) {
  const opened = await openConsole(harness, options);
  await clickRect(opened.page, await textRect(opened.page, 'nav_wallet_tiers'));
  await opened.page.waitForFunction(() => window.consoleScreen === 'wallet_tiers', null, { timeout: 10_000 });
  await waitForText(opened.page, 'preview_rules_text');
  return opened;
}

async function missingGlyphs(page) {
  return page.evaluate(() => ({
    count: window.consoleMissingGlyphs, codepoints: window.consoleMissingCodepoints,
  }));
}

async function assertNoMissingGlyphs(page) {
  const missing = await missingGlyphs(page);
  assert.equal(missing.count, 0, `glyphs missing from the font: ${missing.codepoints}`);
}

// Waits until the published state has every key/value of `expected`.
async function waitForState(page, expected) {
  await page.waitForFunction((wanted) => {
    const state = window.consoleState || {};
    return Object.entries(wanted).every(([key, value]) => state[key] === value);
  }, expected, { timeout: 10_000 }).catch(async (error) => {
    const state = await consoleState(page);
    delete state['preview.rules_text'];
    throw new Error(`${error.message}\nwanted ${JSON.stringify(expected)}\nhave ${JSON.stringify(state)}`);
  });
}

async function hasText(page, id) {
  return page.evaluate((key) => !!window.consoleTextRects?.[key], id);
}

// The error is drawn right under its input, starting at its left edge.
async function assertErrorUnder(page, field, message) {
  const error = await waitForText(page, `${field}_error`, message);
  const input = await inputRect(page, field);
  assert.ok(error.y >= input.y + input.height && error.y <= input.y + input.height + 16,
    `${field}: the message is not under its input (${JSON.stringify({ error, input })})`);
  assert.ok(Math.abs(error.x - input.x) <= 2, `${field}: the message is not aligned with its input`);
  assert.ok(inkPixels(await screenshotRect(page, error)) > 40, `${field}: no ink where the message is drawn`);
}

test('the preview screen shows the program, its tiers and its rules in Vietnamese', async () => {
  // Tall enough for the whole screen, rules text included, to be in the picture.
  const { context, page, problems } = await openPreview({ viewport: { width: 1366, height: 1300 } });
  try {
    assert.equal((await textRect(page, 'nav_wallet_tiers')).text, 'Ví điểm & hạng');
    assert.equal(await hasText(page, 'coming_soon_badge'), false, 'the screen still says "coming soon"');

    // The program in use, from the core's example program.
    assert.equal((await textRect(page, 'preview_point_value')).text, '1.000 ₫');
    assert.equal((await textRect(page, 'preview_buyer_rate')).text, '1 % giá trị đơn');
    assert.equal((await textRect(page, 'preview_referrer_rate')).text, '0,5 % giá trị đơn');
    assert.equal((await textRect(page, 'preview_tier_rate')).text, '1 điểm / 20.000 ₫');
    assert.equal((await textRect(page, 'preview_tier_window')).text, 'Tính trong 12 tháng gần nhất');
    for (const [id, name, threshold] of [
      ['bac', 'Bạc', 'Từ 0 điểm phân hạng'],
      ['vang', 'Vàng', 'Từ 500 điểm phân hạng'],
      ['bach_kim', 'Bạch kim', 'Từ 2.000 điểm phân hạng'],
    ]) {
      assert.equal((await textRect(page, `preview_tier_${id}_name`)).text, name);
      assert.equal((await textRect(page, `preview_tier_${id}_threshold`)).text, threshold);
    }
    assert.equal((await textRect(page, 'preview_tier_vang_perk_1')).text, 'Tích điểm x1,2');

    // The rules in plain words (describe_program), drawn with every glyph.
    const rules = await textRect(page, 'preview_rules_text');
    assert.match(rules.text, /^Mỗi đơn hàng hoàn thành được tích 1 % giá trị đơn hàng/);
    assert.match(rules.text, /đơn hàng 1\.000\.000 ₫ được tích 10 điểm \(làm tròn xuống\)/);
    assert.ok(rules.height > 60, `the rules text is not wrapped into a block: ${JSON.stringify(rules)}`);
    const rulesInk = inkPixels(await screenshotRect(page, rules));
    assert.ok(rulesInk > 2000, `only ${rulesInk} ink pixels where the rules text is drawn`);
    assert.match((await textRect(page, 'preview_rules_line_1')).text, /^Bạc: từ 0 điểm phân hạng/);
    const state = await consoleState(page);
    assert.match(state['preview.rules_text'], /\n- Bạch kim: từ 2\.000 điểm phân hạng/);
    await assertNoMissingGlyphs(page);

    // The calculator starts on the seed's example order.
    assert.equal((await inputRect(page, 'preview_amount_vnd')).text, '1000000');
    assert.equal((await textRect(page, 'preview_amount_vnd_formatted')).text, '1.000.000 ₫');
    assert.equal((await textRect(page, 'preview_buyer_points')).text, '10');

    await page.screenshot({ path: path.join(artifactDir, 'preview.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('typing an order shows points, formulas, and a Bạc → Vàng upgrade', async () => {
  const { context, page, problems } = await openPreview({ viewport: { width: 1280, height: 1000 } });
  try {
    await typeInto(page, 'preview_amount_vnd', '1000000');
    await waitForState(page, { 'preview.valid': 'true', 'preview.buyer_points': '10' });
    assert.equal((await waitForText(page, 'preview_amount_vnd_formatted', '1.000.000 ₫')).text, '1.000.000 ₫');
    assert.equal((await textRect(page, 'preview_buyer_points')).text, '10');
    assert.equal((await textRect(page, 'preview_tier_points_earned')).text, '50');
    assert.equal((await textRect(page, 'preview_referrer_points')).text, '5');
    // The formula shows the exact value and the rounding; "→" is drawn by the console.
    const formula = await textRect(page, 'preview_buyer_formula');
    assert.equal(formula.text, '1.000.000 ₫ × 1 % ÷ 1.000 ₫/điểm = 10 → 10 điểm (làm tròn xuống)');
    assert.ok(inkPixels(await screenshotRect(page, formula)) > 300, 'no ink where the formula is drawn');
    assert.equal((await textRect(page, 'preview_tier_formula')).text,
      '1.000.000 ₫ ÷ 20.000 ₫ = 50 → 50 điểm phân hạng (làm tròn xuống)');
    assert.equal((await textRect(page, 'preview_tier_before')).text, 'Bạc');
    assert.equal((await textRect(page, 'preview_tier_after')).text, 'Bạc');
    assert.equal((await textRect(page, 'preview_tier_unchanged')).text, 'Giữ nguyên hạng');
    assert.equal((await textRect(page, 'preview_tier_to_next')).text, 'Còn 450 điểm phân hạng nữa để lên Vàng');
    await assertNoMissingGlyphs(page);

    // 10,000,000 ₫ with 0 tier points: 500 tier points, exactly Vàng's threshold.
    await typeInto(page, 'preview_tier_points', '0');
    await typeInto(page, 'preview_amount_vnd', '10000000');
    await waitForState(page, {
      'preview.buyer_points': '100', 'preview.tier_points_earned': '500',
      'preview.tier_before': 'Bạc', 'preview.tier_after': 'Vàng', 'preview.tier_upgraded': 'true',
    });
    assert.equal((await textRect(page, 'preview_buyer_points')).text, '100');
    assert.equal((await textRect(page, 'preview_tier_points_earned')).text, '500');
    assert.equal((await textRect(page, 'preview_tier_before')).text, 'Bạc');
    assert.equal((await textRect(page, 'preview_tier_after')).text, 'Vàng');
    const upgrade = await textRect(page, 'preview_tier_upgrade');
    assert.equal(upgrade.text, 'Lên hạng!');
    assert.equal(await hasText(page, 'preview_tier_unchanged'), false);
    assert.equal((await textRect(page, 'preview_perks_unlocked')).text, 'Mở khóa khi lên hạng Vàng');
    assert.equal((await textRect(page, 'preview_perk_unlocked_0')).text, 'Tích điểm x1,2');
    assert.equal((await textRect(page, 'preview_tier_to_next')).text,
      'Còn 1.500 điểm phân hạng nữa để lên Bạch kim');
    await assertNoMissingGlyphs(page);
    await page.mouse.move(10, 10);  // no hover highlight in the picture
    await page.screenshot({ path: path.join(artifactDir, 'preview-upgrade.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('bad input shows a clear message next to its field and no result', async () => {
  const { context, page, problems } = await openPreview({ viewport: { width: 1280, height: 900 } });
  try {
    await typeInto(page, 'preview_amount_vnd', '-5');
    await waitForState(page, { 'preview.valid': 'false', 'preview.problem.amount_vnd': 'negative' });
    await assertErrorUnder(page, 'preview_amount_vnd', 'Không được là số âm.');
    assert.equal(await hasText(page, 'preview_buyer_points'), false, 'a result is shown for a negative amount');
    assert.equal((await textRect(page, 'preview_result_invalid')).text,
      'Chưa tính được: hãy sửa ô được đánh dấu đỏ.');
    await page.mouse.move(10, 10);
    await page.screenshot({ path: path.join(artifactDir, 'preview-error.png') });

    await typeInto(page, 'preview_amount_vnd', '12abc');
    await assertErrorUnder(page, 'preview_amount_vnd', 'Chỉ nhập số nguyên, ví dụ 1000000.');
    await typeInto(page, 'preview_amount_vnd', '1,5');
    await assertErrorUnder(page, 'preview_amount_vnd', 'Chỉ nhập số nguyên, ví dụ 1000000.');
    await typeInto(page, 'preview_amount_vnd', '99999999999999999999999');
    await assertErrorUnder(page, 'preview_amount_vnd', 'Quá lớn: tối đa 1.000.000.000.000.000 ₫.');
    await typeInto(page, 'preview_amount_vnd', '');
    await assertErrorUnder(page, 'preview_amount_vnd', 'Hãy nhập giá trị đơn hàng.');
    assert.equal(await hasText(page, 'preview_buyer_points'), false);

    // A discount larger than the amount: the message is on the discount, not the amount.
    await typeInto(page, 'preview_amount_vnd', '100.000');   // grouped the Vietnamese way
    await typeInto(page, 'preview_voucher_discount_vnd', '200000');
    await waitForState(page, {
      'preview.problem.amount_vnd': 'none', 'preview.problem.voucher_discount_vnd': 'discount_exceeds_amount',
    });
    await assertErrorUnder(page, 'preview_voucher_discount_vnd', 'Giảm giá (cùng phí vận chuyển) lớn hơn giá trị đơn hàng.');
    assert.equal(await hasText(page, 'preview_amount_vnd_error'), false);
    assert.equal((await textRect(page, 'preview_amount_vnd_formatted')).text, '100.000 ₫');
    assert.equal(await hasText(page, 'preview_buyer_points'), false);

    // Shipping and discount together above the amount: the core refuses it, so does the preview.
    await typeInto(page, 'preview_voucher_discount_vnd', '80000');
    await typeInto(page, 'preview_shipping_vnd', '30000');
    await waitForState(page, { 'preview.problem.voucher_discount_vnd': 'discount_exceeds_amount' });
    assert.equal(await hasText(page, 'preview_buyer_points'), false);
    await typeInto(page, 'preview_shipping_vnd', '');
    await typeInto(page, 'preview_voucher_discount_vnd', '');

    // Corrected: the result is back (100,000 - 20,000 = 80,000 ₫ earns 0.8 -> 0 points).
    await typeInto(page, 'preview_voucher_discount_vnd', '20000');
    await waitForState(page, { 'preview.valid': 'true', 'preview.earn_base_vnd': '80000' });
    assert.equal((await textRect(page, 'preview_buyer_points')).text, '0');
    assert.equal((await textRect(page, 'preview_tier_points_earned')).text, '4');
    assert.equal((await textRect(page, 'preview_buyer_formula')).text,
      '80.000 ₫ × 1 % ÷ 1.000 ₫/điểm = 0,8 → 0 điểm (làm tròn xuống)');

    // Tier points cannot be negative either.
    await typeInto(page, 'preview_tier_points', '-1');
    await assertErrorUnder(page, 'preview_tier_points', 'Không được là số âm.');
    assert.equal(await hasText(page, 'preview_buyer_points'), false);
    await assertNoMissingGlyphs(page);
    assert.equal(await page.evaluate(() => window.consoleFailed || null), null);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('in English the formulas, rules and messages are English', async () => {
  const { context, page, problems } = await openPreview();
  try {
    await typeInto(page, 'preview_amount_vnd', '1000000');
    const english = await textRect(page, 'language_english');
    await clickRect(page, english);
    await page.waitForFunction(() => window.consoleLanguage === 'en', null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
    assert.equal((await waitForText(page, 'nav_wallet_tiers')).text, 'Points & tiers');
    assert.equal((await textRect(page, 'preview_calculator_heading')).text, 'Try an order');
    assert.equal((await textRect(page, 'preview_buyer_formula')).text,
      '1,000,000 VND × 1% ÷ 1,000 VND/point = 10 → 10 points (rounded down)');
    assert.equal((await textRect(page, 'preview_referrer_formula')).text,
      '1,000,000 VND × 0.5% ÷ 1,000 VND/point = 5 → 5 points (rounded down)');
    assert.equal((await textRect(page, 'preview_amount_vnd_formatted')).text, '1,000,000 VND');
    assert.match((await textRect(page, 'preview_rules_text')).text, /^Every completed order earns 1% of its value/);
    assert.equal((await textRect(page, 'preview_buyer_rate')).text, '1% of the order');
    assert.equal((await textRect(page, 'preview_tier_vang_perk_1')).text, 'Earn points x1.2');
    assert.equal((await textRect(page, 'preview_tier_vang_name')).text, 'Gold');   // the tier's English name
    assert.equal((await textRect(page, 'preview_tier_before')).text, 'Silver');

    await typeInto(page, 'preview_voucher_discount_vnd', '2000000');
    await assertErrorUnder(page, 'preview_voucher_discount_vnd', 'The discount (with shipping) is larger than the order amount.');
    assert.equal((await textRect(page, 'preview_result_invalid')).text,
      'Nothing to show yet: correct the field marked in red.');
    await typeInto(page, 'preview_voucher_discount_vnd', '');
    await waitForState(page, { 'preview.valid': 'true' });
    await assertNoMissingGlyphs(page);
    await page.mouse.move(10, 10);
    await page.screenshot({ path: path.join(artifactDir, 'preview-english.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a narrow window the calculator comes first and nothing runs off the side', async () => {
  const { context, page, problems } = await openPreview({ viewport: { width: 760, height: 1000 } });
  try {
    const amount = await inputRect(page, 'preview_amount_vnd');
    const rules = await textRect(page, 'preview_rules_text');
    assert.ok(amount.y < rules.y, 'the calculator is not above the program on a narrow window');
    const rects = await page.evaluate(() => Object.entries(window.consoleTextRects));
    const overflowing = rects.filter(([id, rect]) => id.startsWith('preview_') && rect.x + rect.width > 760 + 0.5)
      .map(([id]) => id);
    assert.deepEqual(overflowing, [], 'texts drawn past the right edge');
    await assertNoMissingGlyphs(page);
    await page.screenshot({ path: path.join(artifactDir, 'preview-narrow.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
