// Accessibility checks of a served site in headless Chromium, one page at a time:
//   - axe-core (via @axe-core/playwright) with the WCAG 2.0/2.1/2.2 A+AA and best-practice rules,
//     then its colour-contrast rules again in the dark colour scheme (the theme has one);
//   - reflow: no horizontal scrolling at 320 CSS px wide (WCAG 1.4.10);
//   - exactly one <h1>.
// With `--reading on`, every page is checked with the theme's reading mode on (larger text,
// more line spacing, high contrast), as a reader who turned it on would see it.
//
// usage: node tests/browser/axe.mjs --base-url http://127.0.0.1:PORT/ [--reading on] PATH...
//        (PATHs are URL paths such as `/` or `/faq/lost-card/`; `--paths-file FILE` reads
//        them one a line instead)
//
// Prints one JSON line per page: {"path","url","status","violations":[...],"h1":N,
// "scrollWidth320":N,"problems":[...]}, then a summary line on stderr. Exit 0: no
// violation of any impact and no problem; 1: something was found; 2: could not run.
import fs from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, parseArgs, CHROME_PATH } from './chromium.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const DARK_RULES = ['color-contrast', 'link-in-text-block'];
const NARROW = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 800 };

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['base-url', 'paths-file', 'reading']);
} catch (e) {
  console.error(`axe.mjs: ${e.message}`);
  process.exit(2);
}
const base = opts['base-url'];
const paths = [...opts.rest];
if (opts['paths-file']) {
  paths.push(...fs.readFileSync(opts['paths-file'], 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));
}
if (!base || paths.length === 0) {
  console.error('usage: node axe.mjs --base-url URL [--reading on] [--paths-file FILE] PATH...');
  process.exit(2);
}

/** A violation as printed: the rule, its impact and the elements (shortened). */
const summarise = (v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  helpUrl: v.helpUrl,
  nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
});

let failed = 0;
let broken = 0;
let browser;
try {
  browser = await launch();
  const context = await browser.newContext({ viewport: WIDE, colorScheme: 'light' });
  const reading = opts.reading === 'on';
  // What the theme's switch stores (static/reading.js), in place before any page loads.
  if (reading) await context.addInitScript(() => localStorage.setItem('sp-reading', 'on'));
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  for (const p of paths) {
    const url = new URL(p.replace(/^\//, ''), base).href;
    const rec = { path: p, url, problems: [] };
    consoleErrors.length = 0;
    try {
      await page.setViewportSize(WIDE);
      const resp = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
      rec.status = resp ? resp.status() : null;
      if (!resp || !resp.ok()) rec.problems.push(`HTTP status ${rec.status}`);

      const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      rec.axe = result.testEngine && result.testEngine.version;
      rec.violations = result.violations.map(summarise);

      // The same page in the dark colour scheme: contrast only (nothing else depends on it).
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await new AxeBuilder({ page }).withRules(DARK_RULES).analyze();
      await page.emulateMedia({ colorScheme: 'light' });
      for (const v of dark.violations) rec.violations.push({ ...summarise(v), id: `${v.id} (dark)` });

      if (reading && !(await page.evaluate(() => document.documentElement.classList.contains('sp-reading')))) {
        rec.problems.push('the reading mode is not on');
      }
      rec.h1 = await page.locator('h1').count();
      if (rec.h1 !== 1) rec.problems.push(`expected exactly one <h1>, found ${rec.h1}`);

      await page.setViewportSize(NARROW);
      // Let layout settle after the resize (two animation frames).
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      rec.scrollWidth320 = await page.evaluate(() => document.documentElement.scrollWidth);
      if (rec.scrollWidth320 > NARROW.width) {
        const wide = await page.evaluate((limit) => {
          // The outermost elements that stick out to the right, to say what to fix.
          const out = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > limit + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5)) {
              const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
              out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} (right edge ${Math.round(r.right)})`);
            }
            if (out.length >= 5) break;
          }
          return out;
        }, NARROW.width);
        rec.problems.push(`horizontal scrolling at ${NARROW.width}px: scrollWidth ${rec.scrollWidth320}; wide: ${wide.join(', ')}`);
      }
      if (consoleErrors.length) rec.consoleErrors = [...consoleErrors];
    } catch (e) {
      rec.error = String(e && e.message ? e.message.split('\n')[0] : e);
      rec.problems.push(`could not check the page: ${rec.error}`);
      broken++;
    }
    if ((rec.violations && rec.violations.length) || rec.problems.length) failed++;
    console.log(JSON.stringify(rec));
  }
} catch (e) {
  console.error(`axe.mjs: could not run Chromium (${CHROME_PATH}): ${e && e.message ? e.message : e}`);
  process.exit(2);
} finally {
  if (browser) await browser.close().catch(() => {});
}
console.error(`axe.mjs: ${paths.length} pages checked${opts.reading === 'on' ? ' in the reading mode' : ''} with tags ${AXE_TAGS.join(',')}; ` +
  `${failed} with violations or problems${broken ? ` (${broken} could not be checked)` : ''}`);
process.exit(failed ? 1 : 0);
