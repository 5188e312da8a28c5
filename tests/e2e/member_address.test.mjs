// A member's profile has an address (#/members/KH00001): a shared link opens it, Back and
// Forward move between it and the screen before, and a reload keeps it. On the offline
// demo store (a static host), whose member KH00001 is Nguyễn Văn An.
//
//   node --test --test-reporter=spec tests/e2e/member_address.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactDir, consoleState, openConsole, reloadConsole, startConsoleHarness, waitForState } from './console_page.mjs';

let harness;
before(async () => { harness = await startConsoleHarness({ host: 'static' }); });
after(async () => { await harness?.stop(); });

test('a link to a member opens the profile; Back, Forward and a reload keep the address and the member', async () => {
  const { context, page, problems } = await openConsole(harness);
  try {
    await waitForState(page, { 'session.mode': 'offline', route: '#/' }, 30_000);
    await page.goto(`${harness.server.baseUrl}/#/members/KH00001`);
    await waitForState(page, { route: '#/members/KH00001', 'members.open_member_id': 'KH00001' }, 30_000);
    await page.screenshot({ path: path.join(artifactDir, 'member-address-profile.png') });

    await page.goBack();
    await waitForState(page, { route: '#/' });
    await page.goForward();
    await waitForState(page, { route: '#/members/KH00001', 'members.open_member_id': 'KH00001' });

    await reloadConsole(page);
    await waitForState(page, { route: '#/members/KH00001', 'members.open_member_id': 'KH00001' }, 30_000);

    // The search without a member: the address says so and no profile is open.
    await page.goto(`${harness.server.baseUrl}/#/members`);
    await waitForState(page, { route: '#/members', 'members.open_member_id': '' });
    assert.equal((await consoleState(page))['members.open_member_id'], '');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
