// The reading mode of the default theme (larger text, more line spacing, high contrast) on a
// served build of the bundled site.
//
// usage: node tests/browser/reading.mjs --base-url http://127.0.0.1:PORT/
//
// Checks, one line each:
//   - without JavaScript the switch is neither shown nor in the accessibility tree;
//   - `prefers-contrast: more` alone (no script, no switch) darkens the secondary text;
//   - the switch is reached with Tab, is a button named in the page's language, and Enter
//     and Space turn the mode on and off, with aria-pressed following;
//   - the mode is remembered: on the next page and after a reload it is on before <body>
//     exists (so before the first paint), and the button says pressed;
//   - it makes the text larger, with more line spacing, and larger still in steps;
//   - in print the switch is hidden and the sizes are print's own;
//   - with the browser's text size doubled, PAGES do not scroll sideways at 320 and 360 px,
//     with the mode off and on.
// Exit 0 when all pass, 1 otherwise.
import { StepFailed, launch, parseArgs, waitFor } from './chromium.mjs';

/** A home page, a service guide, a steps page and a law page, in both languages. */
const PAGES = [
  '/', '/services/renewal/', '/how-to/renew-online/', '/law/identity-card-law/',
  '/en/', '/en/services/renewal/', '/en/how-to/renew-online/', '/en/law/identity-card-law/',
];
const LABELS = { 'zh-CN': '长者模式', en: 'Large text' };
const KEY = 'sp-reading';

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['base-url']);
} catch (e) {
  console.error(`reading.mjs: ${e.message}`);
  process.exit(2);
}
if (!opts['base-url']) {
  console.error('usage: node reading.mjs --base-url URL');
  process.exit(2);
}
const base = opts['base-url'].replace(/\/$/, '');

let failed = false;
/** Run one named check; a StepFailed is reported and the run goes on. */
async function check(name, body) {
  try {
    const detail = await body();
    console.log(`ok: ${name}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    if (!(e instanceof StepFailed)) throw e;
    failed = true;
    console.log(`FAILED: ${name}: ${e.message}`);
  }
}

function expect(cond, message) {
  if (!cond) throw new StepFailed(message);
}

const hasMode = (page) => page.evaluate(() => document.documentElement.classList.contains('sp-reading'));
const px = (page, sel, prop) => page.$eval(sel, (e, p) => parseFloat(getComputedStyle(e)[p]), prop);

/** Record, as <body> is inserted, whether <html> already carries the mode. */
function watchBodyInsertion() {
  window.__modeAtBody = null;
  new MutationObserver((records, observer) => {
    if (document.body) {
      window.__modeAtBody = document.documentElement.classList.contains('sp-reading');
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function withoutJavaScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/services/renewal/`);
    const shown = await page.locator('.sp-reading-toggle').isVisible();
    const inTree = await page.getByRole('button', { name: LABELS['zh-CN'] }).count();
    expect(!shown && inTree === 0, `the switch is shown (${shown}) or in the tree (${inTree}) without JavaScript`);
    await page.emulateMedia({ contrast: 'more' });
    const more = await page.$eval('.sp-page-header, .sp-lead, body', (e) => getComputedStyle(e).getPropertyValue('--sp-text-secondary').trim());
    await page.emulateMedia({ contrast: 'no-preference' });
    const normal = await page.$eval('.sp-page-header, .sp-lead, body', (e) => getComputedStyle(e).getPropertyValue('--sp-text-secondary').trim());
    expect(more !== normal, `prefers-contrast: more leaves the secondary text at ${normal}`);
    return `secondary text ${normal} -> ${more} under prefers-contrast: more`;
  } finally {
    await context.close();
  }
}

/** Tab from the top of the page until the switch has focus. */
async function tabToSwitch(page) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('sp-reading-toggle'))) return i + 1;
  }
  throw new StepFailed('the switch was not reached with 40 presses of Tab');
}

async function keyboardAndMemory(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(watchBodyInsertion);
  const page = await context.newPage();
  try {
    await check('keyboard: Tab reaches the switch; Enter and Space toggle it; aria-pressed follows', async () => {
      await page.goto(`${base}/services/renewal/`);
      const off = page.getByRole('button', { name: LABELS['zh-CN'], pressed: false });
      expect(await off.count() === 1, 'no button named 长者模式 with aria-pressed=false');
      expect(!(await hasMode(page)), 'the mode is on before anyone asked');
      const tabs = await tabToSwitch(page);
      await page.keyboard.press('Enter');
      await waitFor('the mode on after Enter', () => hasMode(page));
      expect(await page.getByRole('button', { name: LABELS['zh-CN'], pressed: true }).count() === 1, 'aria-pressed is not true after Enter');
      await page.keyboard.press('Space');
      await waitFor('the mode off after Space', async () => !(await hasMode(page)));
      expect(await off.count() === 1, 'aria-pressed is not false after Space');
      await page.keyboard.press('Space');
      await waitFor('the mode on again', () => hasMode(page));
      return `${tabs} presses of Tab`;
    });
    await check('memory: the next page, in the other language, opens in the mode before <body> exists', async () => {
      await page.goto(`${base}/en/how-to/renew-online/`);
      expect(await page.evaluate(() => window.__modeAtBody) === true, 'the mode was not on when <body> was inserted');
      expect(await page.getByRole('button', { name: LABELS.en, pressed: true }).count() === 1, 'no pressed button named Large text');
      await page.reload();
      expect(await page.evaluate(() => window.__modeAtBody) === true, 'after a reload the mode was not on when <body> was inserted');
      return `localStorage ${KEY}=${await page.evaluate((k) => localStorage.getItem(k), KEY)}`;
    });
    await check('looks: larger text, wider line spacing, steps larger still; print keeps its own', async () => {
      const on = { body: await px(page, '.sp-main p', 'fontSize'), line: await px(page, '.sp-main p', 'lineHeight'), step: await px(page, '.sp-step p', 'fontSize') };
      await page.getByRole('button', { name: LABELS.en }).click();
      await waitFor('the mode off after a click', async () => !(await hasMode(page)));
      const off = { body: await px(page, '.sp-main p', 'fontSize'), line: await px(page, '.sp-main p', 'lineHeight'), step: await px(page, '.sp-step p', 'fontSize') };
      expect(on.body >= off.body * 1.2, `text ${off.body}px -> ${on.body}px`);
      expect(on.line / on.body >= 1.8 && on.line / on.body > off.line / off.body, `line spacing ${off.line / off.body} -> ${on.line / on.body}`);
      expect(on.step > on.body, `step text ${on.step}px is not larger than other text ${on.body}px`);
      await page.getByRole('button', { name: LABELS.en }).click();
      await waitFor('the mode on after a click', () => hasMode(page));
      await page.emulateMedia({ media: 'print' });
      const printed = { shown: await page.locator('.sp-reading-toggle').isVisible(), body: await px(page, '.sp-main p', 'fontSize') };
      await page.emulateMedia({ media: 'screen' });
      expect(!printed.shown, 'the switch is printed');
      expect(printed.body < on.body, `printed text ${printed.body}px is the mode's ${on.body}px`);
      return `text ${off.body} -> ${on.body} px, line ${(off.line / off.body).toFixed(2)} -> ${(on.line / on.body).toFixed(2)}, steps ${on.step} px`;
    });
    await check('memory: turning it off is remembered too', async () => {
      await page.getByRole('button', { name: LABELS.en }).click();
      await page.goto(`${base}/`);
      expect(await page.evaluate(() => window.__modeAtBody) === false, 'the mode came back on the next page');
      expect(await page.getByRole('button', { name: LABELS['zh-CN'], pressed: false }).count() === 1, 'the button says pressed');
    });
  } finally {
    await context.close();
  }
}

/** No sideways scrolling with the browser's text size doubled (32 px), in both modes. */
async function reflow(browser) {
  for (const mode of ['off', 'on']) {
    for (const width of [320, 360]) {
      await check(`200% text at ${width} px, mode ${mode}: no sideways scrolling on ${PAGES.length} pages`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        if (mode === 'on') await context.addInitScript((k) => localStorage.setItem(k, 'on'), KEY);
        const page = await context.newPage();
        // The browser's own text-size setting, which rem and em follow.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.enable');
        await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
        const wide = [];
        try {
          for (const path of PAGES) {
            await page.goto(base + path);
            const m = await page.evaluate(() => ({
              scroll: document.documentElement.scrollWidth,
              root: parseFloat(getComputedStyle(document.documentElement).fontSize),
              mode: document.documentElement.classList.contains('sp-reading'),
            }));
            expect(m.root >= 32 && m.mode === (mode === 'on'), `${path}: root font ${m.root}px, mode ${m.mode}: the setting did not apply`);
            if (m.scroll > width) wide.push(`${path} is ${m.scroll} px wide`);
          }
        } finally {
          await context.close();
        }
        expect(wide.length === 0, wide.join('; '));
      });
    }
  }
}

const browser = await launch();
try {
  await check('without JavaScript: no switch; prefers-contrast: more still applies', () => withoutJavaScript(browser));
  await keyboardAndMemory(browser);
  await reflow(browser);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
