// staff_screens.mjs: driving the staff screens as a person does, for the journeys' tests:
// the demo store's accounts, scrolling to a control, clicking it, typing (Vietnamese through
// the text agent), signing in, finding Nguyễn Văn An, correcting points, the program editor.
// Screens are drawn for `viewport` (what scrollTo keeps within).
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactDir, clickRect, consoleState, textRect, typeInto, waitForState, waitForText } from './console_page.mjs';

export const owner = { email: 'chu@demo.vn', password: 'demo-chu-cua-hang' };
export const support = { email: 'hotro@demo.vn', password: 'demo-ho-tro' };
export const viewport = { width: 1280, height: 1000 };
const contentTop = 110;   // under the top bar and the banner

// [SECTION] Driving the screens --------------------------------------------------------------
const cdpSessions = new WeakMap();
export async function cdpOf(page) {
  if (!cdpSessions.has(page)) cdpSessions.set(page, await page.context().newCDPSession(page));
  return cdpSessions.get(page);
}

export async function rectOf(page, id) {
  return page.evaluate((key) => window.consoleTextRects?.[key] ?? window.consoleInputs?.[key] ?? null, id);
}

// Scrolls the open screen with the wheel until `id` is drawn inside the window.
export async function scrollTo(page, id) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const rect = await rectOf(page, id);
    if (rect && rect.y >= contentTop && rect.y + rect.height <= viewport.height - 8) return rect;
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    const down = !rect || rect.y + rect.height > viewport.height - 8;
    await page.mouse.wheel(0, down ? 240 : -240);
    await page.waitForTimeout(60);
  }
  throw new Error(`could not scroll "${id}" into view: ${JSON.stringify(await rectOf(page, id))}`);
}

export async function click(page, id) {
  await page.waitForFunction((key) => !!(window.consoleTextRects?.[key] || window.consoleInputs?.[key]), id, { timeout: 15_000 })
    .catch(() => { throw new Error(`nothing drawn as "${id}"`); });
  await clickRect(page, await scrollTo(page, id));
}

// Types into an input as a keyboard does. Letters outside the US layout ("ạ") arrive as
// text an input method commits (CDP Input.insertText into the console's text agent).
export async function type(page, id, text) {
  await page.waitForFunction((key) => !!window.consoleInputs?.[key], id, { timeout: 15_000 })
    .catch(async () => {
      await page.screenshot({ path: path.join(artifactDir, `journey-failed-${id}.png`) });
      throw new Error(`no input "${id}" on screen ${await page.evaluate(() => window.consoleScreen)}`);
    });
  await scrollTo(page, id);
  const ascii = [...text].every((character) => character.charCodeAt(0) < 128);
  if (ascii) return typeInto(page, id, text);
  await typeInto(page, id, '');
  for (const character of text) {
    if (character.charCodeAt(0) < 128) await page.keyboard.type(character, { delay: 15 });
    else await (await cdpOf(page)).send('Input.insertText', { text: character });
  }
  await page.waitForFunction(([key, expected]) => window.consoleInputs?.[key]?.text === expected, [id, text], { timeout: 10_000 })
    .catch(async () => { throw new Error(`"${id}" holds ${JSON.stringify(await rectOf(page, id))}, not "${text}"`); });
}

export async function openScreen(page, navigationId) {
  await page.mouse.move(viewport.width / 2, viewport.height / 2);
  await clickRect(page, await textRect(page, navigationId));
}

export async function signIn(page, { email, password }) {
  await typeInto(page, 'sign_in_email', email);
  await typeInto(page, 'sign_in_password', password, { masked: true });
  await clickRect(page, await textRect(page, 'sign_in_button'));
  await waitForState(page, { 'session.mode': 'signed_in' });
}

// Finds a member by typing `query` (without diacritics) and opens the first result, which
// must be `name`; returns the member's spendable points.
export async function openMember(page, query, name, memberId) {
  await openScreen(page, 'nav_members');
  // The screen keeps the member last opened: back to the search.
  await page.waitForFunction(() => window.consoleScreen === 'members' &&
    !!(window.consoleTextRects?.profile_back || window.consoleInputs?.members_search), null, { timeout: 15_000 });
  if (await rectOf(page, 'profile_back')) await click(page, 'profile_back');
  await type(page, 'members_search', query);
  await waitForState(page, { 'members.first_result': name });
  assert.equal((await textRect(page, 'member_row_0')).text, name);
  await click(page, 'member_row_0');
  await waitForState(page, { 'profile.name': name, 'profile.member_id': memberId });
  return Number((await consoleState(page))['profile.points']);
}

// Finds An by typing without diacritics and opens the profile; returns her points.
export async function openAn(page) {
  return openMember(page, 'nguyen van', 'Nguyễn Văn An', 'KH00001');
}

// Gives points with a reason, through the confirmation; returns the new balance.
export async function adjust(page, points, reason, before) {
  await type(page, 'profile_adjust_points', String(points));
  await type(page, 'profile_reason', reason);
  await click(page, 'profile_adjust_button');
  await waitForText(page, 'confirm_summary');
  const summary = (await textRect(page, 'confirm_summary')).text;
  assert.match(summary, /Nguyễn Văn An/);
  assert.ok(summary.includes(reason), `the confirmation names the reason: ${summary}`);
  // Nothing has changed before the confirmation.
  assert.equal(Number((await consoleState(page))['profile.points']), before);
  await click(page, 'confirm_yes');
  await waitForState(page, { 'profile.points': String(before + points), 'profile.history_first': reason });
  return before + points;
}

export async function openEditor(page) {
  await openScreen(page, 'nav_wallet_tiers');
  await click(page, 'program_tab_edit');
  await page.waitForFunction(() => !!window.consoleInputs?.program_field_wallet_point_value_vnd, null, { timeout: 15_000 });
}

export async function save(page, version) {
  await waitForState(page, { 'program.problems': '0' });
  await click(page, 'program_save_button');
  await waitForState(page, { 'program.version': String(version), 'program.unsaved': 'no' }, 15_000);
}

// No errors in the page, and every glyph the screens drew was in the font.
export async function assertNoProblems(page, problems) {
  assert.deepEqual(problems, [], 'errors in the page');
  assert.deepEqual(await page.evaluate(() => window.consoleMissingCodepoints), [], 'glyphs missing from the font');
}
