// A `--relative-urls` build opened straight from disk (issue 6): navigation and search over file://.
//
// usage: node tests/browser/fileurl.mjs --out DIR
//
// DIR is the output of `signpost build --relative-urls` of the bundled site. In headless Chromium:
//   1. open file://DIR/index.html: the theme's stylesheet applies (the header's thick bottom border);
//   2. click the first header navigation link: a page loads over file:// with an <h1>;
//   3. follow the language switcher to English: an `en/` page loads over file:// with <html lang="en">;
//   4. search/index.html?q=挂失 and en/search/index.html?q=lost list results (the index files load
//      as scripts, since browsers refuse fetch() over file://), and clicking the FAQ hit
//      loads the FAQ page over file://;
//   5. the header search box of an English page leads to en/search/index.html?q=… with results.
// Throughout, every request must be file:// (nothing over http(s)) and none may fail.
// Each wait is at most 10 s. Prints one line per step; exit 0 when all pass, 1 otherwise.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StepFailed, WAIT_MS, launch, parseArgs, waitFor } from './chromium.mjs';

const FAQ = 'faq/lost-card/index.html';

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['out']);
} catch (e) {
  console.error(`fileurl.mjs: ${e.message}`);
  process.exit(2);
}
if (!opts.out) {
  console.error('usage: node fileurl.mjs --out DIR');
  process.exit(2);
}
// The output folder as a file:// URL ending in `/`.
const root = pathToFileURL(path.resolve(opts.out) + path.sep).href;


const log = (msg) => console.log(`fileurl: ${msg}`);
/** The path of a file:// URL below the output folder (`en/index.html`), for messages. */
const rel = (url) => (url.startsWith(root) ? decodeURI(url.slice(root.length)) : url);

let browser;
let failed = false;
const consoleLines = [];
const offDisk = [];
const failedRequests = [];
try {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('request', (r) => { if (!r.url().startsWith('file:')) offDisk.push(`${r.method()} ${r.url()}`); });
  context.on('requestfailed', (r) => {
    const error = r.failure() && r.failure().errorText;
    // ERR_ABORTED: the page navigated away first (the favicon, typically); a missing file is
    // ERR_FILE_NOT_FOUND.
    if (error !== 'net::ERR_ABORTED') failedRequests.push(`${rel(r.url())}: ${error}`);
  });
  const page = await context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e}`));

  /** The loaded page: where it is, its <h1> and <html lang>. */
  const here = () => page.evaluate(() => ({
    url: location.href,
    protocol: location.protocol,
    lang: document.documentElement.lang,
    h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent.trim()),
  }));
  /** Check the page at `expected` (a path below the output folder) loaded over file:// with one <h1>. */
  const loaded = async (expected) => {
    const at = await here();
    const url = at.url.split(/[?#]/)[0];
    if (at.protocol !== 'file:') throw new StepFailed(`${at.url} is not a file:// URL`);
    if (url !== new URL(expected, root).href) throw new StepFailed(`expected ${expected}, at ${rel(at.url)}`);
    if (at.h1.length !== 1 || !at.h1[0]) throw new StepFailed(`${rel(at.url)} has <h1>s ${JSON.stringify(at.h1)}`);
    return at;
  };
  /** The stylesheet applied: the theme gives the header a solid bottom border (browsers give none). */
  const styled = async () => {
    const border = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('.sp-header'));
      return { style: s.borderBottomStyle, width: s.borderBottomWidth };
    });
    if (border.style !== 'solid' || parseFloat(border.width) < 4) {
      throw new StepFailed(`style.css did not apply on ${rel(page.url())}: header border-bottom ` +
        `${border.style} ${border.width} (expected the theme's 0.625rem solid)`);
    }
  };
  /** Click `link` and wait for the page it leads to (a full load). */
  const follow = async (link) => {
    const href = await link.evaluate((a) => a.href);
    const before = page.url();
    await Promise.all([
      page.waitForURL((u) => u.href !== before, { waitUntil: 'load', timeout: WAIT_MS }),
      link.click({ timeout: WAIT_MS }),
    ]);
    return href;
  };
  /** Wait for the search page to list hits; returns their hrefs (best first) and <mark> count. */
  const results = async (query) => {
    const hits = await waitFor(`results for ${JSON.stringify(query)}`, async () => {
      const r = await page.evaluate(() => ({
        hrefs: Array.from(document.querySelectorAll('.sp-search-list .sp-search-result a')).map((a) => a.href),
        marks: document.querySelectorAll('.sp-search-list mark').length,
        fallback: !!document.querySelector('.sp-search-fallback:not([hidden])'),
      }));
      return r.hrefs.length || r.fallback ? r : null;
    }).catch((e) => {
      throw new StepFailed(`${e.message}; the search index did not load over file:// or found nothing`);
    });
    if (hits.fallback) {
      throw new StepFailed(`the search page says search is unavailable for ${JSON.stringify(query)} ` +
        '(its index, search/manifest.js and the files it names, did not load over file://)');
    }
    if (hits.marks === 0) throw new StepFailed(`no <mark> in the snippets for ${JSON.stringify(query)}`);
    for (const h of hits.hrefs) {
      if (!h.startsWith(root)) throw new StepFailed(`result link ${h} is not a file:// URL in the output`);
    }
    return hits;
  };
  /** Open the search page at `searchPath` and click the hit for the FAQ page below `prefix`. */
  const searchAndOpenFaq = async (searchPath, query, prefix) => {
    await page.goto(new URL(`${searchPath}?q=${encodeURIComponent(query)}`, root).href, { waitUntil: 'load' });
    await loaded(searchPath);
    await styled();
    const hits = await results(query);
    const faq = new URL(prefix + FAQ, root).href;
    const index = hits.hrefs.findIndex((h) => h.split('#')[0] === faq);
    if (index < 0) {
      throw new StepFailed(`no hit for ${prefix}${FAQ} among ${hits.hrefs.map(rel).join(', ')}`);
    }
    await follow(page.locator('.sp-search-list .sp-search-result a').nth(index));
    const at = await loaded(prefix + FAQ);
    log(`ok: ${searchPath}?q=${query}: ${hits.hrefs.length} results, clicked #${index + 1} → ` +
      `${rel(at.url)} (<h1> ${at.h1[0]})`);
  };

  // 1. The home page, with its stylesheet.
  await page.goto(new URL('index.html', root).href, { waitUntil: 'load' });
  const home = await loaded('index.html');
  await styled();
  log(`ok: opened ${home.url} (lang ${home.lang}); style.css applies`);

  // 2. A header navigation link.
  const nav = page.locator('.sp-nav a').first();
  if ((await nav.count()) === 0) throw new StepFailed('no header navigation link (.sp-nav a) on the home page');
  const navHref = await follow(nav);
  if (!navHref.startsWith(root)) throw new StepFailed(`the navigation link ${navHref} leaves the output folder`);
  const section = await loaded(rel(navHref));
  await styled();
  log(`ok: header navigation → ${rel(section.url)} (<h1> ${section.h1[0]})`);

  // 3. The language switcher.
  const switcher = page.locator('.sp-languages a[hreflang="en"]');
  if ((await switcher.count()) === 0) throw new StepFailed(`no link to English (.sp-languages a[hreflang="en"]) on ${rel(section.url)}`);
  const enHref = await follow(switcher.first());
  const english = await loaded(rel(enHref));
  if (!rel(english.url).startsWith('en/') || english.lang !== 'en') {
    throw new StepFailed(`the language switcher led to ${rel(english.url)} (lang ${english.lang}), not an English en/ page`);
  }
  await styled();
  log(`ok: language switcher → ${rel(english.url)} (<h1> ${english.h1[0]})`);

  // 4. Search on both sides, then the FAQ hit.
  await searchAndOpenFaq('search/index.html', '挂失', '');
  await searchAndOpenFaq('en/search/index.html', 'lost', 'en/');

  // 5. The header search box of the English FAQ page (we are on it) submits to the search page.
  await page.fill('#sp-header-q', 'lost card');
  const before = page.url();
  await Promise.all([
    page.waitForURL((u) => u.href !== before, { waitUntil: 'load', timeout: WAIT_MS }),
    page.press('#sp-header-q', 'Enter'),
  ]);
  await loaded('en/search/index.html');
  const boxHits = await results('lost card');
  log(`ok: header search box → ${rel(page.url())}: ${boxHits.hrefs.length} results`);

  if (offDisk.length) throw new StepFailed('some requests were not file:// (below)');
  if (failedRequests.length) throw new StepFailed('some requests failed (below)');
  log('ok: every request was file://, none failed');
} catch (e) {
  failed = true;
  console.log(`fileurl: FAILED: ${e instanceof StepFailed ? e.message : (e && e.stack) || e}`);
  if (offDisk.length) console.log(`fileurl: requests that were not file://:\n  ${offDisk.join('\n  ')}`);
  if (failedRequests.length) console.log(`fileurl: failed requests:\n  ${failedRequests.join('\n  ')}`);
  if (consoleLines.length) console.log(`fileurl: browser console:\n  ${consoleLines.join('\n  ')}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
