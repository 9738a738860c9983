// The Sunshine console in a real browser (headless Debian chromium through playwright-core).
//   node console.test.mjs URL ARTEFACT_DIR CHROMIUM PROFILE_DIR
// A records officer signs in, opens a request, searches and adds records, reviews a record's
// redactions, exports the package and downloads it; every cookie must be a session cookie.
// Then compliance staff sign in and verify the audit chain, and an administrator opens the
// accounts page. Screenshots go to ARTEFACT_DIR.
import { chromium } from 'playwright-core';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const [url, artefacts, executablePath, profile] = process.argv.slice(2);
const base = url.replace(/\/$/, '');

let failures = 0;
function check(condition, what) {
  if (condition) {
    console.log(`ok   ${what}`);
  } else {
    console.log(`FAIL ${what}`);
    failures += 1;
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
}

// Office policy: session cookies only. A session cookie has no Expires/Max-Age, which the
// browser reports as expires == -1.
async function checkCookies(context, when) {
  const cookies = await context.cookies();
  check(cookies.length <= 1, `${when}: at most one cookie (${cookies.length})`);
  for (const cookie of cookies) {
    check(cookie.name === 'sunshine_session', `${when}: cookie is sunshine_session (${cookie.name})`);
    check(cookie.expires === -1, `${when}: ${cookie.name} is a session cookie (expires ${cookie.expires})`);
    check(cookie.httpOnly === true, `${when}: ${cookie.name} is HttpOnly`);
    check(cookie.sameSite === 'Strict', `${when}: ${cookie.name} is SameSite=Strict`);
  }
}

async function signIn(page, name, password) {
  await page.goto(`${base}/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// Nothing may be fetched from anywhere but the console itself.
const foreign = [];
context.on('request', (request) => {
  if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
    foreign.push(request.url());
  }
});
const page = context.pages()[0] ?? (await context.newPage());
const scriptErrors = [];
// Errors other than the deliberate 403/404 navigations below, e.g. a Content-Security-Policy
// violation (an inline style or script the policy blocked) or a script error.
page.on('console', (message) => {
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
    scriptErrors.push(message.text());
  }
});
page.on('pageerror', (error) => scriptErrors.push(String(error)));

try {
  // 1. Anonymous visitors land on the login page.
  await page.goto(`${base}/officer`);
  check(page.url().endsWith('/login'), `unauthenticated /officer redirects to /login (${page.url()})`);
  await shot(page, '01-login');

  // 2. The records officer signs in.
  await signIn(page, 'olivia', 'officer-password-1');
  check(page.url().endsWith('/officer'), `officer lands on the dashboard (${page.url()})`);
  check(await page.isVisible('#nightly'), 'dashboard shows the nightly run');
  await shot(page, '02-officer-dashboard');
  await checkCookies(context, 'after officer sign-in');

  // 3. Open a request.
  await page.click('text=Open a request');
  await page.fill('#requester', 'Jane Q. Public');
  await page.fill('#contact', 'jane@example.org');
  await page.fill('#received', '2026-11-23 10:00');
  await page.fill('#description', 'All correspondence about the parking fee increase since January');
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]:has-text("Open request")')]);
  const match = page.url().match(/\/requests\/([0-9]{4}-[0-9]{4})/);
  check(match !== null, `request opened (${page.url()})`);
  const requestId = match ? match[1] : '';
  check((await page.textContent('main')).includes('opened; due by the end of'), 'due date shown');
  await shot(page, '03-request-opened');

  // 4. Search and add records.
  await page.fill('#q', 'parking fee');
  await Promise.all([page.waitForLoadState('load'), page.click('#search')]);
  const boxes = await page.$$('#hits input[type=checkbox]');
  check(boxes.length >= 2, `search finds records (${boxes.length})`);
  await shot(page, '04-search');
  // The mails about the fee increase itself (the example inbox has three).
  const rows = await page.$$('#hits tbody tr:has-text("fee increase") input[type=checkbox]');
  check(rows.length >= 2, `hits about the fee increase (${rows.length})`);
  for (const box of rows) await box.check();
  await Promise.all([page.waitForLoadState('load'), page.click('#add-selected')]);
  const added = await page.$$('#responsive tbody tr');
  check(added.length === rows.length, `records added to the request (${added.length})`);
  await shot(page, '05-request-records');

  // 5. Review a record's redactions.
  await Promise.all([page.waitForLoadState('load'), page.click('#responsive a:has-text("redactions")')]);
  check(await page.isVisible('#redactions'), 'redaction review page shows the spans');
  await shot(page, '06-redactions');
  await page.goto(`${base}/requests/${requestId}`);

  // 6. Export and download the package.
  await Promise.all([page.waitForLoadState('load'), page.click('#export')]);
  check(await page.isVisible('#export-result'), 'package published');
  await shot(page, '07-exported');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#export-result a.download'),
  ]);
  const saved = path.join(artefacts, 'package.zip');
  await download.saveAs(saved);
  const zip = readFileSync(saved);
  check(statSync(saved).size > 100 && zip.subarray(0, 2).toString() === 'PK',
        `downloaded ${download.suggestedFilename()} is a ZIP (${statSync(saved).size} bytes)`);
  // A download path with ../ finds nothing.
  const traversal = await page.goto(`${base}/packages/..%2Fsunshine.toml`);
  check(traversal.status() === 404, `download path with ../ finds nothing (${traversal.status()})`);
  await checkCookies(context, 'after the download');

  // 7. An officer may not read the audit trail.
  const forbidden = await page.goto(`${base}/audit`);
  check(forbidden.status() === 403, `officer gets 403 on /audit (${forbidden.status()})`);
  await page.goto(`${base}/officer`);
  await Promise.all([page.waitForLoadState('load'), page.click('text=Sign out')]);
  check(page.url().includes('/login'), 'signed out');

  // 8. Compliance staff verify the audit chain.
  await signIn(page, 'carl', 'compliance-password-2');
  check(page.url().endsWith('/audit'), `compliance lands on the audit trail (${page.url()})`);
  await shot(page, '08-audit-trail');
  await Promise.all([page.waitForLoadState('load'), page.click('#verify')]);
  const verdict = await page.textContent('#verify-result');
  check(verdict.includes('Audit chain OK'), `audit chain verifies (${verdict.trim().slice(0, 60)})`);
  await shot(page, '09-audit-verified');
  await page.goto(`${base}/audit?action=request.`);
  check((await page.textContent('#audit')).includes('request.export'), 'the export is in the trail');
  await page.goto(`${base}/accounting`);
  check((await page.textContent('main')).includes(requestId), 'disclosure accounting lists the request');
  await shot(page, '10-accounting');
  await page.goto(`${base}/visits`);
  check(await page.isVisible('#visit-report'), 'visit statistics report is embedded');
  await page.waitForTimeout(300);
  await shot(page, '11-visits');
  await page.goto(`${base}/certificates`);
  await shot(page, '12-certificates');
  await checkCookies(context, 'after compliance pages');
  await Promise.all([page.waitForLoadState('load'), page.click('text=Sign out')]);

  // 9. An administrator manages accounts (and sees the officer's last sign-in).
  await signIn(page, 'ada', 'admin-password-3333');
  check(page.url().endsWith('/admin/users'), `admin lands on the accounts page (${page.url()})`);
  check((await page.textContent('main')).includes('olivia'), 'accounts page lists the officer');
  await shot(page, '13-accounts');
  await checkCookies(context, 'after admin pages');
  check(scriptErrors.length === 0, `no console errors (${scriptErrors.join(' | ')})`);
  check(foreign.length === 0, `nothing fetched from elsewhere (${foreign.join(' ')})`);
} catch (error) {
  console.log(`FAIL exception: ${error.stack}`);
  failures += 1;
  await shot(page, 'failure').catch(() => {});
} finally {
  await context.close();
}

console.log(failures === 0 ? 'browser test passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
