// The header of a served build at phone and desktop widths (issue 17).
//
// usage: node tests/browser/header.mjs --base-url http://127.0.0.1:PORT/ --out DIR
//
// For each page of PAGES: at 320 px the page does not scroll sideways; at 360 px the header
// is under 120 px tall, so the page's title shows without scrolling; at 1280 px the header
// search box stays on the title's row (the menu has a row of its own below). A screenshot of
// each page at 360 px is written to DIR for a person to look at. Prints one line per check;
// exit 0 when all pass, 1 otherwise.
import path from 'node:path';
import { StepFailed, launch, parseArgs } from './chromium.mjs';

const PAGES = ['/', '/en/', '/how-to/renew-online/', '/en/how-to/renew-online/', '/en/faq/lost-card/', '/search/'];
const MAX_HEADER = 120;

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['base-url', 'out']);
} catch (e) {
  console.error(`header.mjs: ${e.message}`);
  process.exit(2);
}
if (!opts['base-url'] || !opts.out) {
  console.error('usage: node header.mjs --base-url URL --out DIR');
  process.exit(2);
}
const base = opts['base-url'].replace(/\/$/, '');

/** Geometry of the header parts of the page open in `page`. */
const measure = (page) => page.evaluate(() => {
  const box = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().toJSON() : null; };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    header: box('header'),
    title: box('.sp-header-title'),
    form: box('.sp-header-search'),
  };
});

const browser = await launch();
let failed = false;
try {
  for (const url of PAGES) {
    for (const width of [320, 360, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await page.goto(base + url, { waitUntil: 'load', timeout: 30_000 });
        const m = await measure(page);
        if (width === 320 && m.scrollWidth > width) {
          throw new StepFailed(`${url} at 320 px is ${m.scrollWidth} px wide: it scrolls sideways`);
        }
        if (width === 360) {
          await page.screenshot({ path: path.join(opts.out, `header-360${url.replace(/\//g, '_')}.png`) });
          if (m.header.height >= MAX_HEADER) {
            throw new StepFailed(`${url} at 360 px has a header ${Math.round(m.header.height)} px tall (limit ${MAX_HEADER})`);
          }
        }
        if (width === 1280 && m.form && m.form.top >= m.title.bottom) {
          throw new StepFailed(`${url} at 1280 px has its search box below the title's row`);
        }
        console.log(`ok: ${url} at ${width} px (header ${Math.round(m.header.height)} px, page ${m.scrollWidth} px wide)`);
      } catch (e) {
        if (!(e instanceof StepFailed)) throw e;
        failed = true;
        console.log(`FAILED: ${e.message}`);
      } finally {
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
