// Drives the query API's pages in Debian's Chromium with Playwright, as a reader would, for BrowserIT.
// Usage: node browser.mjs REPORT.json   (settings in the environment, see below)
// Writes what it saw to REPORT.json and a screenshot of each page to $SHOTS. Between the first look at the
// indexing page and the wait for its change it prints "INDEXING" and reads one line "PUBLISHED <chunks>" from
// stdin: the test publishes more documents meanwhile.
import {chromium} from 'playwright-core';
import {writeFileSync} from 'node:fs';
import {createInterface} from 'node:readline';

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('BROWSER_BASE_URL');
const INDEX = env('BROWSER_INDEX');
const QUERY = env('BROWSER_QUERY');
const GLOB = env('BROWSER_PATH_GLOB');
const TOKEN = env('BROWSER_ADMIN_TOKEN');
const SHOTS = env('BROWSER_SHOTS');
const CHROMIUM = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
const WAIT = 60_000;

const lines = createInterface({input: process.stdin})[Symbol.asyncIterator]();
const report = {};

async function hits(page, scope = '#results') {
  return page.locator(`${scope} article.hit`).evaluateAll(nodes => nodes.map(n => ({
    chunk_id: n.dataset.chunkId,
    source: n.querySelector('.source').textContent,
    score: n.querySelector('.score').textContent,
    parts: n.querySelector('.parts').textContent,
    marks: [...n.querySelectorAll('.text mark')].map(m => m.textContent),
    shared: n.classList.contains('shared'),
  })));
}

/** Clicks a button and waits until the region shows a new answer (its data-answers count goes up). */
async function submit(page, button, region) {
  const before = await page.locator(region).evaluate(n => Number(n.dataset.answers || 0));
  await page.getByRole('button', {name: button, exact: true}).click();
  await page.waitForFunction(([r, n]) => Number(document.querySelector(r).dataset.answers || 0) > n,
    [region, before], {timeout: WAIT});
}

async function searchPage(page) {
  await page.goto(`${BASE}/`);
  // auth is on and no token is set yet: the index list is refused and the token field opens
  await page.waitForSelector('#token-box[open]', {timeout: WAIT});
  report.tokenAsked = await page.locator('#token-status').textContent();
  await page.getByLabel('API token', {exact: true}).fill(TOKEN);
  await page.getByRole('button', {name: 'Use token'}).click();
  await page.waitForSelector(`#index option[value="${INDEX}"]`, {state: 'attached', timeout: WAIT});
  await page.getByLabel('Index', {exact: true}).selectOption(INDEX);
  await page.getByLabel('Mode', {exact: true}).selectOption('hybrid');
  await page.getByLabel('Results per page', {exact: true}).fill('5');
  await page.getByLabel('Query', {exact: true}).fill(QUERY);
  await submit(page, 'Search', '#results');
  report.search = {summary: await page.locator('#summary').textContent(), hits: await hits(page)};

  await submit(page, 'Next page', '#results');
  report.nextPage = {summary: await page.locator('#summary').textContent(), hits: await hits(page)};

  await page.getByLabel('Path glob', {exact: true}).fill(GLOB);
  await submit(page, 'Search', '#results');
  report.filtered = {summary: await page.locator('#summary').textContent(), hits: await hits(page),
    url: page.url()};

  const first = report.filtered.hits[0];
  await page.locator('#results article.hit').first().getByRole('link', {name: 'Open the whole chunk'}).click();
  await page.waitForSelector('#chunk pre', {timeout: WAIT});
  report.chunk = {
    title: await page.locator('#chunk h2').textContent(),
    meta: await page.locator('#chunk .meta').textContent(),
    text: await page.locator('#chunk pre').textContent(),
    marks: await page.locator('#chunk pre mark').count(),
    focused: await page.evaluate(() => document.activeElement && document.activeElement.id),
    of: first,
  };
  await page.screenshot({path: `${SHOTS}/search.png`, fullPage: true});

  // every control reachable by keyboard, in reading order: the query field first in the form
  await page.getByLabel('Query', {exact: true}).focus();
  const order = [];
  for (let i = 0; i < 9; i++) {
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent));
    await page.keyboard.press('Tab');
  }
  report.focusOrder = order;

  await page.setViewportSize({width: 380, height: 800});
  await page.reload();
  await page.waitForSelector('#summary', {timeout: WAIT});
  report.narrow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth}));
  await page.screenshot({path: `${SHOTS}/search-narrow.png`, fullPage: false});
  await page.setViewportSize({width: 1280, height: 900});
}

async function comparePage(page) {
  const params = new URLSearchParams({q: QUERY, index: INDEX, mode: 'hybrid', top_k: '5'});
  await page.goto(`${BASE}/compare?${params}`);
  await page.waitForSelector('#agreement', {timeout: WAIT});
  report.compare = {
    agreement: await page.locator('#agreement').textContent(),
    postgres: await hits(page, '#column-postgres'),
    chroma: await hits(page, '#column-chroma'),
  };
  // the shadow replays a sample of live searches in the background: refresh until they are drawn
  const deadline = Date.now() + WAIT;
  while (await page.locator('#timeline-chart').count() === 0 && Date.now() < deadline) {
    await page.waitForTimeout(1000);
    await page.getByRole('button', {name: 'Refresh'}).click();
  }
  await page.waitForSelector('#timeline-chart', {timeout: 5_000});
  report.shadow = {
    summary: await page.locator('#shadow-summary').textContent(),
    modes: await page.locator('#by-mode tbody tr th, #by-mode tbody tr td:first-child').allTextContents(),
    points: await page.locator('#timeline-chart circle').count(),
    worst: await page.locator('#shadow details.worst').count(),
  };
  await page.locator('#shadow details.worst').first().locator('summary').click();
  await page.screenshot({path: `${SHOTS}/compare.png`, fullPage: true});
}

async function indexingView(page) {
  const row = page.locator(`#indexes tr[data-index="${INDEX}"]`);
  return {
    postgres: await row.locator('td[data-backend="postgres"]').textContent(),
    chroma: await row.locator('td[data-backend="chroma"]').textContent(),
    lag: await page.locator('#sinks tbody tr').evaluateAll(rows => Object.fromEntries(
      rows.map(r => [r.dataset.backend, r.querySelector('td').textContent]))),
    deadLetters: await page.locator('#dead-letters').textContent(),
    updated: await page.locator('#updated').textContent(),
  };
}

async function indexingPage(page) {
  await page.goto(`${BASE}/indexing`);
  await page.waitForSelector(`#indexes tr[data-index="${INDEX}"]`, {timeout: WAIT});
  const before = await indexingView(page);
  console.log('INDEXING');
  const line = (await lines.next()).value || '';
  const expected = line.match(/^PUBLISHED (\d+)$/);
  if (!expected) throw new Error(`expected "PUBLISHED <chunks>" on stdin, read "${line}"`);
  const seen = [before];
  const deadline = Date.now() + 2 * WAIT;
  let now = before;
  const settled = v => v.postgres === expected[1] && v.chroma === expected[1]
    && v.lag.postgres === '0' && v.lag.chroma === '0';
  const shown = v => JSON.stringify([v.postgres, v.chroma, v.lag]);
  while (!settled(now) && Date.now() < deadline) {
    await page.waitForTimeout(500);
    now = await indexingView(page);
    if (shown(now) !== shown(seen.at(-1))) seen.push(now);
  }
  report.indexing = {expected: expected[1], seen, last: now};
  await page.screenshot({path: `${SHOTS}/indexing.png`, fullPage: true});
}

const browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']});
try {
  const page = await browser.newPage({viewport: {width: 1280, height: 900}});
  const problems = [];
  // refused requests (the 401 before the token is set) are the browser's log lines, not script errors
  page.on('console', m => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', e => problems.push(String(e)));
  await searchPage(page);
  await comparePage(page);
  await indexingPage(page);
  report.consoleErrors = problems;
} finally {
  writeFileSync(process.argv[2], JSON.stringify(report, null, 2));
  await browser.close();
}
process.exit(0);
