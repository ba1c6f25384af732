// Search on a generated 10,000-page site over a throttled connection (issue 14).
//
// usage: node tests/browser/search-scale.mjs --base-url http://127.0.0.1:PORT/ --expect FILE
//
// FILE holds one line per query: `query<TAB>expected count<TAB>path the first hit must have`
// (computed by the caller from the same index in Rust). The connection is throttled through
// the DevTools protocol to 10 Mbit/s down, 5 Mbit/s up, 20 ms latency. For each query the page
// /search/?q=… must list hits, say the expected count, and put the expected page first; the
// time from navigation to the first result shown is printed, and a first query must show one
// within 10 s (the target is 1 s: a loose bound, the machine may be busy). Each wait is at most
// 20 s. Exit 0 when all pass, 1 otherwise.
import fs from 'node:fs';
import { StepFailed, launch, parseArgs } from './chromium.mjs';

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['base-url', 'expect']);
} catch (e) {
  console.error(`search-scale.mjs: ${e.message}`);
  process.exit(2);
}
if (!opts['base-url'] || !opts.expect) {
  console.error('usage: node search-scale.mjs --base-url URL --expect FILE');
  process.exit(2);
}
const base = opts['base-url'];
const expected = fs.readFileSync(opts.expect, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
const LIMIT_MS = 10_000;
const log = (msg) => console.log(`search-scale: ${msg}`);

let browser;
let failed = false;
const problems = [];
try {
  browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`script error: ${e}`));
  context.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8),
  });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  let first = true;
  for (const [query, count, want] of expected) {
    bytes = 0;
    const url = new URL(`search/?q=${encodeURIComponent(query)}`, base).href;
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit', timeout: 30_000 });
    await page.waitForSelector('.sp-search-list .sp-search-result a', { timeout: 20_000 })
      .catch(() => { throw new StepFailed(`no result shown for ${JSON.stringify(query)}`); });
    const ms = Date.now() - started;
    const shown = await page.evaluate(() => ({
      status: document.querySelector('.sp-search-status').textContent,
      first: new URL(document.querySelector('.sp-search-list .sp-search-result a').href).pathname,
      listed: document.querySelectorAll('.sp-search-list .sp-search-result').length,
    }));
    await page.waitForLoadState('load');
    if (!shown.status.includes(count)) {
      throw new StepFailed(`the status for ${JSON.stringify(query)} is ${JSON.stringify(shown.status)}, expected the count ${count}`);
    }
    if (decodeURI(shown.first) !== want) {
      throw new StepFailed(`the first hit for ${JSON.stringify(query)} is ${decodeURI(shown.first)}, expected ${want}`);
    }
    log(`ok: ${JSON.stringify(query)}: ${count} results (${shown.listed} listed), first ${want}; ` +
      `first result after ${ms} ms at 10 Mbit/s, ${(bytes / 1000).toFixed(1)} KB transferred${first ? ' (page and script included)' : ''}`);
    if (first && ms > LIMIT_MS) throw new StepFailed(`the first result took ${ms} ms (limit ${LIMIT_MS} ms)`);
    first = false;
  }
  if (problems.length) throw new StepFailed(`problems:\n  ${problems.join('\n  ')}`);
} catch (e) {
  failed = true;
  console.log(`search-scale: FAILED: ${e instanceof StepFailed ? e.message : (e && e.stack) || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
