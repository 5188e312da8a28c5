// console_bench.mjs: the console's figures in a browser (make bench), on loopback, served
// by the real loyalty-server with the demo store (as `make run` serves it):
//   bench console_transfer_gzip <n> KiB   everything the first load downloads (a fresh
//                                          browser profile), as it came over the wire
//   bench console_ready <n> ms            navigation start to window.consoleReady, median of
//                                          CONSOLE_BENCH_RUNS (default 5) fresh loads
//   bench console_idle_frames <n> per_s   frames drawn per second while nothing happens
//
//   node bench/console/console_bench.mjs      (needs make build: build/web, build/bin)
import path from 'node:path';
import { repoDir, startConsoleHarness } from '../../tests/e2e/console_page.mjs';

const runs = Number(process.env.CONSOLE_BENCH_RUNS || 5);
const idleSeconds = 3;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const harness = await startConsoleHarness({ host: 'server', demoStore: path.join(repoDir, 'assets', 'demo_store.jsonl') });
try {
  const transfers = [];
  const readies = [];
  let idleFramesPerSecond = null;
  for (let run = 0; run < runs; run++) {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // Bytes on the wire (headers and compressed bodies), from Chromium's network log.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
    await page.goto(`${harness.server.baseUrl}/`);
    await page.waitForFunction(() => window.consoleReady === true || !!window.consoleFailed, null, { timeout: 60_000 });
    const failed = await page.evaluate(() => window.consoleFailed || null);
    if (failed) throw new Error(`the console failed to start: ${failed}`);
    readies.push(await page.evaluate(() => window.consoleReadyAtMs));
    // Everything the first screen asked for has come (the session probe included).
    await page.waitForLoadState('networkidle');
    transfers.push(bytes);
    if (run === 0) {
      await page.waitForTimeout(1000);   // past the frames that settle the first screen
      const before = await page.evaluate(() => window.consoleFramesDrawn);
      await page.waitForTimeout(idleSeconds * 1000);
      const after = await page.evaluate(() => window.consoleFramesDrawn);
      idleFramesPerSecond = (after - before) / idleSeconds;
    }
    await context.close();
  }
  console.log(`bench console_transfer_gzip ${(median(transfers) / 1024).toFixed(1)} KiB`);
  console.log(`bench console_ready ${median(readies).toFixed(0)} ms`);
  console.log(`bench console_idle_frames ${idleFramesPerSecond.toFixed(1)} per_s`);
} finally {
  await harness.stop();
}
