// Shared by the browser test scripts: start Debian's Chromium through playwright-core.
//
// No browser is ever downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 at `npm ci`); the
// executable is CHROME_PATH or /usr/bin/chromium. Playwright gives every launch a fresh
// temporary profile and removes it on close.
import { chromium } from 'playwright-core';

export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/** The flags every Chromium of the browser tests gets. */
export const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch headless Chromium (`headless: true` adds `--headless` itself). */
export async function launch() {
  return chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: CHROME_FLAGS.filter((f) => f !== '--headless'),
    timeout: 60_000,
  });
}

/** Parse `--name value` options; the remaining words are returned as `rest`. */
export function parseArgs(argv, names) {
  const opts = { rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && names.includes(a.slice(2))) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      opts[a.slice(2)] = argv[++i];
    } else {
      opts.rest.push(a);
    }
  }
  return opts;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scenario step that did not hold: the scripts print it and exit 1. */
export class StepFailed extends Error {}

/** How long a step may take. */
export const WAIT_MS = 10_000;

/** Poll `check` (an async function returning truthy when done) for up to WAIT_MS. */
export async function waitFor(what, check) {
  const deadline = Date.now() + WAIT_MS;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new StepFailed(`timed out after ${WAIT_MS / 1000} s waiting for ${what}` +
        (last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : ''));
    }
    await sleep(100);
  }
}
