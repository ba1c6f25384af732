// Live reload of `signpost serve` in headless Chromium (issue 5, "Browser test").
//
// usage: node tests/browser/live.mjs --page-url URL --markdown FILE --stylesheet FILE
//                                    --new-text TEXT --fixed-text TEXT
//
// The caller serves a site with `signpost serve` (tests/browser.rs starts it in process);
// FILE is the Markdown source of the page at URL, --stylesheet a CSS file of the site's theme.
// With the page open, and never reloading it ourselves:
//   1. append TEXT (--new-text) to the Markdown: the page must show it;
//   2. add a broken link: the error overlay (#signpost-error-overlay) must appear;
//   3. replace the link by --fixed-text: the overlay must go and the page show the text;
//   4. change the stylesheet only: the new CSS must apply without a reload (window.__marker
//      set before the edit survives).
// Each wait is at most 10 s. Prints one line per step; exit 0 when all pass, 1 otherwise.
import fs from 'node:fs';
import { StepFailed, launch, parseArgs, waitFor } from './chromium.mjs';

const OVERLAY = '#signpost-error-overlay';
const EVENTS_PATH = '/__signpost/events';
const CSS_PROPERTY = '--signpost-live-test';

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['page-url', 'markdown', 'stylesheet', 'new-text', 'fixed-text']);
} catch (e) {
  console.error(`live.mjs: ${e.message}`);
  process.exit(2);
}
for (const name of ['page-url', 'markdown', 'stylesheet', 'new-text', 'fixed-text']) {
  if (!opts[name]) {
    console.error(`live.mjs: --${name} is required`);
    process.exit(2);
  }
}


const original = fs.readFileSync(opts.markdown, 'utf8');
const originalCss = fs.readFileSync(opts.stylesheet, 'utf8');
const log = (msg) => console.log(`live: ${msg}`);

let browser;
let failed = false;
const consoleLines = [];
try {
  browser = await launch();
  const page = await browser.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e}`));

  // Count loads of the page, and which load each live-reload connection belongs to.
  let loads = 0;
  let connectedLoad = -1;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) loads++; });
  page.on('response', (r) => { if (new URL(r.url()).pathname === EVENTS_PATH) connectedLoad = loads; });
  // The page must listen to the server before a file changes, or it misses the rebuild.
  const connected = () => waitFor('the live-reload connection', async () => connectedLoad === loads);
  const bodyText = () => page.evaluate(() => document.body.innerText);
  const overlayShown = () => page.evaluate((sel) => !!document.querySelector(sel), OVERLAY);

  await page.goto(opts['page-url'], { waitUntil: 'load', timeout: 30_000 });
  await connected();
  if ((await bodyText()).includes(opts['new-text'])) throw new StepFailed('the page shows the new text before the edit');
  const loadsAtStart = loads;
  log(`opened ${opts['page-url']}`);

  // 1. A content edit shows without a manual reload.
  fs.writeFileSync(opts.markdown, `${original.trimEnd()}\n\n${opts['new-text']}\n`);
  try {
    await waitFor('the new text', async () => (await bodyText()).includes(opts['new-text']));
  } catch (e) {
    // Say which half failed: the rebuild, or telling the browser about it.
    const served = await fetch(opts['page-url']).then((r) => r.text()).catch(() => '');
    if (served.includes(opts['new-text'])) {
      e.message += '; the server already serves the new text, so the open page was never told to reload ' +
        '(is every live-reload event sent with a non-empty `data:` line? EventSource drops events without data)';
    }
    throw e;
  }
  if (loads === loadsAtStart) throw new StepFailed('the text changed but the page was not reloaded');
  await connected();
  log('ok: content edit shown by live reload');

  // 2. A broken link: the build fails and the overlay appears over the last good page.
  fs.writeFileSync(opts.markdown, `${original.trimEnd()}\n\n${opts['new-text']}\n\n[x](missing-page.md)\n`);
  const overlayText = await waitFor('the error overlay', async () =>
    page.evaluate((sel) => { const o = document.querySelector(sel); return o && o.innerText; }, OVERLAY));
  if (!overlayText.includes('missing-page.md')) {
    throw new StepFailed(`the overlay does not name the broken link: ${JSON.stringify(overlayText.slice(0, 300))}`);
  }
  if (!(await page.locator(OVERLAY).isVisible())) throw new StepFailed('the overlay is in the page but not visible');
  log('ok: broken link shows the error overlay');

  // 2b. The overlay is readable whatever the theme does to `pre`: the text of its report
  // contrasts with the background it is drawn on (WCAG AA, 4.5:1).
  const contrast = await page.evaluate((sel) => {
    const rgba = (css) => (css.match(/[\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
      const lin = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // The colour behind an element: its own background blended over its parents', down to white.
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
      let colour = [255, 255, 255];
      for (const [r, g, b, a = 1] of layers.reverse()) {
        colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
      }
      return colour;
    };
    const pre = document.querySelector(`${sel} pre`);
    const [fg, bg] = [luminance(rgba(getComputedStyle(pre).color)), luminance(behind(pre))];
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }, OVERLAY);
  if (!(contrast >= 4.5)) throw new StepFailed(`the overlay's report has a contrast of ${contrast.toFixed(2)}:1, below 4.5:1`);
  log(`ok: the overlay's report is readable (contrast ${contrast.toFixed(1)}:1)`);

  // 3. Fixing it clears the overlay and shows the fixed content.
  fs.writeFileSync(opts.markdown, `${original.trimEnd()}\n\n${opts['fixed-text']}\n`);
  await waitFor('the fixed text without the overlay', async () =>
    (await bodyText()).includes(opts['fixed-text']) && !(await overlayShown()));
  await connected();
  log('ok: fixing the link clears the overlay and shows the fix');

  // 4. A stylesheet-only change swaps the CSS in place, without reloading the page.
  await page.evaluate(() => { window.__marker = 1; });
  const loadsBeforeCss = loads;
  const cssValue = () => page.evaluate((p) =>
    getComputedStyle(document.documentElement).getPropertyValue(p).trim(), CSS_PROPERTY);
  if ((await cssValue()) !== '') throw new StepFailed(`${CSS_PROPERTY} is set before the CSS edit`);
  fs.writeFileSync(opts.stylesheet, `${originalCss.trimEnd()}\n\n:root { ${CSS_PROPERTY}: 7; }\n`);
  await waitFor(`the new stylesheet (${CSS_PROPERTY}: 7)`, async () => (await cssValue()) === '7');
  const marker = await page.evaluate(() => window.__marker);
  if (marker !== 1 || loads !== loadsBeforeCss) {
    throw new StepFailed(`the page was reloaded for a CSS-only change (window.__marker=${marker}, loads ${loadsBeforeCss}->${loads})`);
  }
  if (!(await bodyText()).includes(opts['fixed-text'])) throw new StepFailed('the content changed during the CSS swap');
  log('ok: CSS-only change swapped the stylesheet without a reload');
} catch (e) {
  failed = true;
  console.log(`live: FAILED: ${e instanceof StepFailed ? e.message : (e && e.stack) || e}`);
  if (consoleLines.length) console.log(`live: browser console:\n  ${consoleLines.join('\n  ')}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
