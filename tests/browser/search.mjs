// The search page of a served build, with the real static/search.js (issue 6).
//
// usage: node tests/browser/search.mjs --base-url http://127.0.0.1:PORT/
//
// The caller serves a normal build of the bundled site with a plain static server. In headless
// Chromium, each query of QUERIES must list hits (the expected page first) with <mark>ed terms in
// the snippets and the status line saying how many (and that they are close matches, when no
// page has every word), or say "no results"; clicking the best hit
// loads that page; and the header search box of a content page leads to the search page with
// results. No request may fail and no script error happen. Each wait is at most 10 s.
// Prints one line per check; exit 0 when all pass, 1 otherwise.
import { StepFailed, WAIT_MS, launch, parseArgs, waitFor } from './chromium.mjs';

/** [search page, query, what the first hit's path must satisfy (null: no results)]. */
const QUERIES = [
  ['/search/', '身份证', { lang: 'zh-CN', test: (p) => !p.startsWith('/en/'), want: 'a Chinese page (not under /en/)' }],
  // The steps page, the service guide and the FAQ answer all tell how to get a lost card replaced.
  ['/search/', '补领', { lang: 'zh-CN', test: (p) => ['/how-to/replace-lost-card/', '/services/lost-card/', '/faq/lost-card/'].includes(p), want: 'a page on replacing a lost card' }],
  ['/search/', '挂失', { lang: 'zh-CN', test: (p, h) => p === '/faq/lost-card/' && h !== '', want: 'an answer on /faq/lost-card/' }],
  ['/search/', '第七条', { lang: 'zh-CN', test: (p, h) => h === '#article-7', want: '#article-7' }],
  ['/search/', '身分证', { lang: 'zh-CN', test: (p) => !p.startsWith('/en/'), want: 'a Chinese page (a variant of 身份证)' }],
  ['/en/search/', 'lost crad', { lang: 'en', test: (p) => p === '/en/faq/lost-card/', want: '/en/faq/lost-card/ (a typo of card)' }],
  ['/en/search/', 'identity card', { lang: 'en', test: (p) => p.startsWith('/en/'), want: 'an English page (under /en/)' }],
  // A question no page holds word for word: close matches, the lost-card answers first, and the
  // status (a live region) says they are close matches.
  ['/search/', '身份证丢了怎么办', { lang: 'zh-CN', close: true, test: (p) => p === '/faq/lost-card/', want: '/faq/lost-card/ (a close match)' }],
  ['/en/search/', 'zzqxnonsense', null],
];
/** [content page, query typed in its header search box, the search page it must lead to]. */
const HEADER_BOXES = [
  ['/faq/lost-card/', '身份证', '/search/'],
  ['/en/how-to/renew-online/', 'identity card', '/en/search/'],
];

let opts;
try {
  opts = parseArgs(process.argv.slice(2), ['base-url']);
} catch (e) {
  console.error(`search.mjs: ${e.message}`);
  process.exit(2);
}
if (!opts['base-url']) {
  console.error('usage: node search.mjs --base-url URL');
  process.exit(2);
}
const base = opts['base-url'];


const log = (msg) => console.log(`search: ${msg}`);

let browser;
let failed = false;
const consoleLines = [];
const problems = [];
try {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('requestfailed', (r) => {
    const error = r.failure() && r.failure().errorText;
    // ERR_ABORTED: the page navigated away first (the favicon, typically); a missing file is
    // an HTTP error status, caught below.
    if (error !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()}: ${error}`);
  });
  context.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const page = await context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e}`));

  /**
   * Wait until the search page has finished (results listed, or a status line that is not the
   * "loading" message), and return what it shows.
   */
  const outcome = (what) => waitFor(`the search page to finish for ${what}`, async () => {
    const r = await page.evaluate(() => {
      const root = document.querySelector('.sp-search[data-manifest]');
      const msg = (name) => (root && root.getAttribute(`data-msg-${name}`)) || '';
      const status = (document.querySelector('.sp-search-status') || {}).textContent || '';
      return {
        lang: document.documentElement.lang,
        input: (document.querySelector('#sp-search-q') || {}).value,
        status,
        loading: msg('loading'),
        msgs: { one: msg('one'), many: msg('many'), none: msg('none'), close: msg('close') },
        live: (document.querySelector('.sp-search-status') || { getAttribute: () => null }).getAttribute('role'),
        hits: Array.from(document.querySelectorAll('.sp-search-list .sp-search-result')).map((li) => ({
          href: li.querySelector('a').href,
          title: li.querySelector('a').textContent,
          marks: li.querySelectorAll('.sp-search-snippet mark').length,
        })),
        paged: !!document.querySelector('.sp-search-pages:not([hidden])'),
        fallback: !!document.querySelector('.sp-search-fallback:not([hidden])'),
      };
    });
    return r.fallback || r.hits.length || (r.status && r.status !== r.loading) ? r : null;
  });
  /** Check what the search page shows for `query`; returns the hits. */
  const checkResults = (r, query, expect) => {
    const q = JSON.stringify(query);
    if (r.fallback) throw new StepFailed(`the search page says search is unavailable for ${q} (the index did not load)`);
    if (r.input !== query) throw new StepFailed(`the search box shows ${JSON.stringify(r.input)}, not ${q}`);
    const fill = (m, n) => m.replace('{count}', String(n)).replace('{query}', query);
    if (!expect) {
      if (r.hits.length) throw new StepFailed(`${r.hits.length} results for ${q}, expected none: ${r.hits.map((h) => h.href).join(', ')}`);
      if (r.status !== fill(r.msgs.none, 0)) throw new StepFailed(`status for ${q} is ${JSON.stringify(r.status)}, expected the "no results" message ${JSON.stringify(fill(r.msgs.none, 0))}`);
      return r.hits;
    }
    if (!r.hits.length) throw new StepFailed(`no results for ${q}; status ${JSON.stringify(r.status)}`);
    // Without more pages of results, the count said is the number listed.
    const said = fill(expect.close ? r.msgs.close : r.hits.length === 1 ? r.msgs.one : r.msgs.many, r.hits.length);
    if (expect.close && (!r.msgs.close || r.live !== 'status')) throw new StepFailed(`no close-match message in a status region for ${q}`);
    if (!r.paged && r.status !== said) throw new StepFailed(`status for ${q} is ${JSON.stringify(r.status)}, expected ${JSON.stringify(said)}`);
    if (r.lang !== expect.lang) throw new StepFailed(`the search page for ${q} has lang ${r.lang}, expected ${expect.lang}`);
    const first = new URL(r.hits[0].href);
    if (first.origin !== new URL(base).origin) throw new StepFailed(`the first hit for ${q} leaves the site: ${first.href}`);
    if (!expect.test(decodeURI(first.pathname), decodeURI(first.hash))) {
      throw new StepFailed(`the first hit for ${q} is ${decodeURI(first.pathname)}, expected ${expect.want}; ` +
        `hits: ${r.hits.map((h) => decodeURI(new URL(h.href).pathname)).join(', ')}`);
    }
    if (!r.hits.some((h) => h.marks > 0)) throw new StepFailed(`no <mark> in any snippet for ${q}`);
    return r.hits;
  };

  for (const [searchPath, query, expect] of QUERIES) {
    const url = new URL(`${searchPath.replace(/^\//, '')}?q=${encodeURIComponent(query)}`, base).href;
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    if (!resp || !resp.ok()) throw new StepFailed(`${url}: HTTP ${resp ? resp.status() : 'no response'}`);
    const hits = checkResults(await outcome(JSON.stringify(query)), query, expect);
    if (!expect) {
      log(`ok: ${searchPath}?q=${query}: no results, says so`);
      continue;
    }
    const first = decodeURI(new URL(hits[0].href).pathname);
    log(`ok: ${searchPath}?q=${query}: ${hits.length} results, first ${first} (${hits[0].title})`);
    // The best hit opens its page.
    await Promise.all([
      page.waitForURL((u) => u.pathname === new URL(hits[0].href).pathname, { waitUntil: 'load', timeout: WAIT_MS }),
      page.locator('.sp-search-list .sp-search-result a').first().click({ timeout: WAIT_MS }),
    ]);
    const h1 = await page.locator('h1').allTextContents();
    if (h1.length !== 1) throw new StepFailed(`${page.url()} (the first hit for ${query}) has ${h1.length} <h1>`);
  }

  for (const [contentPath, query, searchPath] of HEADER_BOXES) {
    const resp = await page.goto(new URL(contentPath.replace(/^\//, ''), base).href, { waitUntil: 'load', timeout: 30_000 });
    if (!resp || !resp.ok()) throw new StepFailed(`${contentPath}: HTTP ${resp ? resp.status() : 'no response'}`);
    if ((await page.locator('#sp-header-q').count()) !== 1) throw new StepFailed(`no header search box (#sp-header-q) on ${contentPath}`);
    await page.fill('#sp-header-q', query);
    await Promise.all([
      page.waitForURL((u) => u.pathname === searchPath, { waitUntil: 'load', timeout: WAIT_MS }),
      page.press('#sp-header-q', 'Enter'),
    ]).catch((e) => { throw new StepFailed(`the header search box of ${contentPath} did not lead to ${searchPath}: ${e.message.split('\n')[0]} (at ${page.url()})`); });
    const got = new URL(page.url()).searchParams.get('q');
    if (got !== query) throw new StepFailed(`the header search box sent q=${JSON.stringify(got)}, not ${JSON.stringify(query)}`);
    const r = await outcome(`the header search box of ${contentPath}`);
    if (r.fallback || !r.hits.length) throw new StepFailed(`no results after the header search box of ${contentPath}; status ${JSON.stringify(r.status)}`);
    log(`ok: header search box of ${contentPath} → ${decodeURI(new URL(page.url()).pathname)}?q=${got}: ${r.hits.length} results`);
  }

  if (problems.length) throw new StepFailed('failed requests or script errors (below)');
} catch (e) {
  failed = true;
  console.log(`search: FAILED: ${e instanceof StepFailed ? e.message : (e && e.stack) || e}`);
  if (problems.length) console.log(`search: failed requests and script errors:\n  ${problems.join('\n  ')}`);
  if (consoleLines.length) console.log(`search: browser console:\n  ${consoleLines.join('\n  ')}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
