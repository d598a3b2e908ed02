import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { TEXTS, type Language } from '../../apps/web/src/texts';
import { buildProduct } from '../support/api-process';
import { call, expectStatus } from '../support/api-client';
import { BUSINESS_ID } from '../support/fixtures';
import { freePort, mintToken, startServer, type ServerProcess, REPO_ROOT } from '../support/server-process';
import { syntheticHetu } from '../support/synthetic-hetu';
import { axeSeriousViolations, describeWithChromium, focusIsVisible, openBrowser, tabTo, type ViewportName } from './browser';

/**
 * The citizen's web inbox in a real browser (Debian's chromium), against the compiled product in
 * its own process: per language and per viewport (phone, desktop), sign in through the embedded
 * OpenID Connect provider, see the inbox, open a registered message, acknowledge it, read it; axe
 * on every page (0 serious or critical). Screenshots go to WEB_SCREENSHOTS (docs/screenshots to
 * refresh the README's) or a temporary directory.
 */

const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];
const VIEWPORT_NAMES: readonly ViewportName[] = ['phone', 'desktop'];
const AGENCY = 'kela';

let server: ServerProcess;
let base: string;
let dataDir: string;
let agencyToken: string;
let auditorToken: string;
const screenshots = process.env.WEB_SCREENSHOTS ? join(REPO_ROOT, process.env.WEB_SCREENSHOTS) : join(tmpdir(), `asiointitili-screenshots-${process.pid}`);
const axeCounts: Record<string, number> = {};

interface Citizen {
  readonly hetu: string;
  readonly registeredId: string;
  readonly ordinaryId: string;
}

let nextCitizen = 0;

/** A person with an open account, consent to the agency, one registered decision and one ordinary notice. */
async function citizenWithMail(language: Language): Promise<Citizen> {
  const hetu = syntheticHetu(nextCitizen++);
  const token = await mintToken(dataDir, { role: 'citizen', hetu });
  await expectStatus(call(base, 'POST', '/v1/citizen/account', token, { language }), 201, 'open account');
  await expectStatus(call(base, 'PUT', `/v1/citizen/consents/${AGENCY}`, token), 200, 'consent');
  const ordinary = await expectStatus(
    call(base, 'POST', '/v1/agency/messages', agencyToken, { recipient: { hetu }, kind: 'notice', delivery: 'ordinary', subject: subjectOf('ordinary', language), body: 'Tiedoksi: asumistukenne tarkistetaan vuosittain.' }),
    201,
    'send ordinary',
  );
  const registered = await expectStatus(
    call(base, 'POST', '/v1/agency/messages', agencyToken, {
      recipient: { hetu },
      kind: 'decision',
      delivery: 'registered',
      subject: subjectOf('registered', language),
      body: 'Teille on myönnetty asumistukea 1.1.2027 alkaen. Päätökseen saa hakea muutosta 30 päivän kuluessa.',
      replyAllowed: true,
      appealPeriodDays: 30,
    }),
    201,
    'send registered',
  );
  return { hetu, registeredId: String(registered.body!.id), ordinaryId: String(ordinary.body!.id) };
}

function subjectOf(kind: 'ordinary' | 'registered', language: Language): string {
  const subjects = {
    fi: { ordinary: 'Asumistuen vuositarkistus', registered: 'Päätös asumistuesta' },
    sv: { ordinary: 'Årlig granskning av bostadsbidrag', registered: 'Beslut om bostadsbidrag' },
    en: { ordinary: 'Annual review of housing allowance', registered: 'Decision on housing allowance' },
  } as const;
  return subjects[language][kind];
}

/** Waits until the element shows the text (the page renders after its API calls). */
async function see(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

async function gone(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'detached' });
}

async function countIs(locator: Locator, expected: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = await locator.count();
  while (count !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    count = await locator.count();
  }
  expect(count).toBe(expected);
}

function applicationSubject(language: Language): string {
  return { fi: 'Asumistukihakemus', sv: 'Ansökan om bostadsbidrag', en: 'Application for housing allowance' }[language];
}

/** The text of the elements an element's aria-describedby names (how a screen reader announces its hint and error). */
async function describedBy(page: Page, selector: string): Promise<string> {
  return (await page.evaluate(`(() => {
    const ids = (document.querySelector(${JSON.stringify(selector)})?.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  })()`)) as string;
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  const { serious, all } = await axeSeriousViolations(page);
  axeCounts[name] = all;
  expect({ page: name, serious: serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }).toEqual({ page: name, serious: [] });
}

/**
 * WCAG 1.4.4: with the text at 200 % nothing is cut off or needs sideways scrolling, and the
 * acknowledge button, when there is one, is still on the page and reachable.
 */
async function expectReadableAtDoubleText(page: Page): Promise<void> {
  const style = await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
  const fits = (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) as boolean;
  // Elements that hide what does not fit (visually hidden text, 1 px wide on purpose, aside).
  const clipped = (await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && ['hidden', 'clip'].includes(getComputedStyle(e).overflowX))
    .map((e) => e.tagName.toLowerCase() + '.' + String(e.className).split(' ').join('.'))`)) as string[];
  await style.evaluate((element) => (element as unknown as { remove(): void }).remove());
  expect({ fitsWithoutSidewaysScrolling: fits, clippedElements: clipped }).toEqual({ fitsWithoutSidewaysScrolling: true, clippedElements: [] });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** Signs in through the embedded provider's page: henkilötunnus and method. */
async function signIn(page: Page, language: Language, hetu: string, method: 'bank' | 'mobile' | 'idcard', checks?: { readonly viewport: ViewportName; readonly shot: boolean }): Promise<void> {
  await page.locator('#sign-in').click();
  await page.waitForURL(/\/oidc\/interaction\//);
  expect(await page.getAttribute('html', 'lang')).toBe(language);
  if (checks) await expectAccessible(page, `identity-provider-${language}-${checks.viewport}`);
  if (checks?.shot) await shoot(page, `identity-provider-${language}-${checks.viewport}`);
  await page.locator('#hetu').fill(hetu);
  await page.locator(`#method-${method}`).check();
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/oidc') && !url.pathname.startsWith('/auth'));
}

describeWithChromium('web inbox in a real browser', () => {
  beforeAll(async () => {
    buildProduct();
    mkdirSync(screenshots, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'asiointitili-web-'));
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = await startServer({ dataDir, port, env: { PUBLIC_URL: base } });
    const admin = await mintToken(dataDir, { role: 'admin' });
    agencyToken = await mintToken(dataDir, { role: 'agency', agency: AGENCY });
    auditorToken = await mintToken(dataDir, { role: 'auditor' });
    await expectStatus(call(base, 'POST', '/v1/admin/agencies', admin, { id: AGENCY, name: 'Kansaneläkelaitos', businessId: BUSINESS_ID }), 201, 'register agency');
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(`web inbox: axe violations of any impact per page: ${JSON.stringify(axeCounts)}; screenshots in ${screenshots}`);
  });

  for (const language of LANGUAGES) {
    for (const viewport of VIEWPORT_NAMES) {
      it(`${language}, ${viewport}: sign in; inbox newest first, registered marked; acknowledge, read; an application with an attachment and its thread; consents; closing the account`, async () => {
        const t = TEXTS[language];
        const citizen = await citizenWithMail(language);
        const browser = await openBrowser(viewport);
        const { page } = browser;
        const shots = language === 'fi';
        try {
          await page.goto(`${base}/?lang=${language}`);
          await see(page.locator('h1'), t.signInTitle);
          expect(await page.getAttribute('html', 'lang')).toBe(language);
          await expectAccessible(page, `sign-in-${language}-${viewport}`);
          if (shots) await shoot(page, `sign-in-${language}-${viewport}`);

          await signIn(page, language, citizen.hetu, 'mobile', { viewport, shot: shots });

          await see(page.locator('h1'), t.inboxTitle);
          const items = page.locator('.message-item');
          await countIs(items, 2);
          // Newest first: the registered decision was sent last.
          await see(items.nth(0).locator('.message-link'), subjectOf('registered', language));
          await see(items.nth(0), t.registered);
          await see(items.nth(0), t.states.unread);
          await see(items.nth(1).locator('.message-link'), subjectOf('ordinary', language));
          await expectAccessible(page, `inbox-${language}-${viewport}`);
          if (shots) await shoot(page, `inbox-${language}-${viewport}`);
          if (viewport === 'desktop') await expectReadableAtDoubleText(page);

          await items.nth(0).locator('.message-link').click();
          await see(page.locator('h1'), subjectOf('registered', language));
          await see(page.locator('#ack-heading'), t.ackHeading);
          await see(page.locator('.acknowledge'), t.ackLegal);
          await page.locator('.deadline').waitFor({ state: 'visible' });
          await gone(page.locator('.body-text'));
          await expectAccessible(page, `message-registered-${language}-${viewport}`);
          if (viewport === 'desktop') await expectReadableAtDoubleText(page);
          if (shots) await shoot(page, `message-registered-${language}-${viewport}`);

          await page.locator('#acknowledge').click();
          await see(page.locator('.body-text'), 'myönnetty asumistukea');
          await page.locator('[role=status]').first().waitFor({ state: 'visible' });
          await gone(page.locator('#acknowledge'));
          // Served now: the appeal period's last day is shown (Act 150/1930, computed by the API).
          await see(page.locator('main'), t.appealEndsOn('').slice(0, 12));
          await expectAccessible(page, `message-acknowledged-${language}-${viewport}`);
          if (shots) await shoot(page, `message-acknowledged-${language}-${viewport}`);

          // The acknowledgement reached the trail with the method and level of the sign-in, as with an API token.
          const stream = await expectStatus(call(base, 'GET', `/v1/audit/streams/message-${citizen.registeredId}`, auditorToken), 200, 'trail');
          const acknowledged = (stream.body!.items as { type: string; metadata: { actor?: { type: string; method?: string; assurance?: string } } }[]).find((e) => e.type === 'ReceiptAcknowledged');
          expect(acknowledged?.metadata.actor).toMatchObject({ type: 'citizen', method: 'mobile', assurance: 'high' });

          // The agency allows replies: a reply with an attachment.
          await page.locator('#reply-text').fill('Kiitos päätöksestä. Liitteenä tiliote.');
          await page.locator('#reply-files').setInputFiles({ name: 'tiliote.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
          await see(page.locator('.reply .uploads'), t.uploaded('tiliote.pdf'));
          await page.locator('#send-reply').click();
          await see(page.locator('.reply'), t.replySent);

          // Applications: a new one with an attachment (upload progress shown), the list, its thread.
          await page.locator('nav a[href="/applications"]').click();
          await see(page.locator('h1'), t.applicationsTitle);
          await see(page.locator('main'), t.noApplications);
          await expectAccessible(page, `applications-${language}-${viewport}`);
          await page.locator('#new-application').click();
          await see(page.locator('h1'), t.newApplication).catch((error: unknown) => {
            throw new Error(`${String(error)}\n${browser.errors.join('\n')}`);
          });
          await page.locator('#submit-application').click();
          await see(page.locator('.error-summary'), t.required(t.applicationSubject));
          // The error is tied to its field: the input names it in aria-describedby.
          expect(await describedBy(page, '#application-subject')).toContain(t.required(t.applicationSubject));
          await expectAccessible(page, `new-application-errors-${language}-${viewport}`);
          await page.locator('#application-agency').click();
          await page.getByRole('option', { name: 'Kansaneläkelaitos' }).click();
          await page.locator('#application-subject').fill(applicationSubject(language));
          await page.locator('#application-body').fill('Haen asumistukea 1.1.2027 alkaen. Vuokrasopimus liitteenä.');
          await page.locator('#application-files').setInputFiles({ name: 'vuokrasopimus.txt', mimeType: 'text/plain', buffer: Buffer.from('Vuokrasopimus: 650 e / kk\n') });
          await see(page.locator('.uploads'), t.uploaded('vuokrasopimus.txt'));
          if (shots) await shoot(page, `new-application-${language}-${viewport}`);
          await page.locator('#submit-application').click();
          await see(page.locator('h1'), applicationSubject(language)).catch((error: unknown) => {
            throw new Error(`${String(error)}\n${browser.errors.join('\n')}`);
          });
          await see(page.locator('.thread'), 'Vuokrasopimus liitteenä');
          await see(page.locator('.thread'), 'vuokrasopimus.txt');
          await expectAccessible(page, `application-thread-${language}-${viewport}`);
          await page.locator('.page-link a').click();
          await see(page.locator('.message-list'), applicationSubject(language));

          // Account: consents per agency, then closing with its warning (confirmation first).
          await page.locator('nav a[href="/account"]').click();
          await see(page.locator('h1'), t.accountTitle);
          await see(page.locator('#account-status'), t.statusOpen);
          await see(page.locator('.consents'), 'Kansaneläkelaitos');
          await expectAccessible(page, `account-${language}-${viewport}`);
          if (shots) await shoot(page, `account-${language}-${viewport}`);
          await page.getByRole('button', { name: t.revoke }).click();
          await page.getByRole('button', { name: t.grant }).waitFor();
          await page.getByRole('button', { name: t.grant }).click();
          await page.getByRole('button', { name: t.revoke }).waitFor();
          await see(page.locator('.card.danger'), t.closeWarning);
          await page.locator('#close-account').click();
          await see(page.locator('.card.danger'), t.closeNeedsConfirm);
          await page.locator('label[for="close-confirm"]').click();
          expect(await page.isChecked('#close-confirm')).toBe(true);
          await page.locator('#close-account').click();
          await see(page.locator('#account-status'), t.statusClosed);
          await expectAccessible(page, `account-closed-${language}-${viewport}`);
          expect(browser.errors.filter((e) => e.startsWith('page error') || /^HTTP 5/.test(e))).toEqual([]);
        } finally {
          await browser.close();
        }
      }, 120_000);
    }
  }

  it('the chosen language is remembered: Svenska from the language menu stays after a reload', async () => {
    const browser = await openBrowser('desktop');
    const { page } = browser;
    try {
      await page.goto(`${base}/`);
      await see(page.locator('h1'), TEXTS.fi.signInTitle);
      await page.getByRole('button', { name: TEXTS.fi.languageMenuLabel }).click();
      await page.locator('[lang="sv"]', { hasText: 'Svenska' }).first().click();
      await see(page.locator('h1'), TEXTS.sv.signInTitle);
      await page.reload();
      await see(page.locator('h1'), TEXTS.sv.signInTitle);
      expect(await page.getAttribute('html', 'lang')).toBe('sv');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('signing out ends the session on the server: the old cookie no longer reaches the API; a write without the CSRF token is refused', async () => {
    const citizen = await citizenWithMail('en');
    const browser = await openBrowser('desktop');
    const { page, context } = browser;
    try {
      await page.goto(`${base}/?lang=en`);
      await signIn(page, 'en', citizen.hetu, 'bank');
      await see(page.locator('h1'), TEXTS.en.inboxTitle);
      const cookies = await context.cookies(base);
      const session = cookies.find((c) => c.name === 'asiointitili-session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
      // Nothing token-like in the page's own storage.
      const stored = (await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')) as string;
      expect(stored).not.toMatch(/eyJ/);
      const refused = (await page.evaluate(`fetch('/v1/citizen/consents/${AGENCY}', { method: 'DELETE' }).then((r) => r.status)`)) as number;
      expect(refused).toBe(403);
      await page.getByRole('button', { name: TEXTS.en.signOut }).click();
      await see(page.locator('main'), TEXTS.en.signInNotices.signedOut!);
      const after = await fetch(`${base}/v1/citizen/account`, { headers: { Cookie: `asiointitili-session=${session!.value}` } });
      expect(after.status).toBe(401);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('keyboard only, with visible focus: sign in → open the registered message → acknowledge → read it', async () => {
    const citizen = await citizenWithMail('fi');
    const t = TEXTS.fi;
    const browser = await openBrowser('desktop');
    const { page } = browser;
    const focusSteps: boolean[] = [];
    const step = async (selector: string) => {
      await tabTo(page, selector);
      focusSteps.push(await focusIsVisible(page));
    };
    try {
      await page.goto(`${base}/?lang=fi`);
      await see(page.locator('h1'), t.signInTitle);
      await step('#sign-in');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/oidc\/interaction\//);
      await step('#method-bank');
      await page.keyboard.press('ArrowDown'); // radio group: bank → mobile
      expect(await page.isChecked('#method-mobile')).toBe(true);
      await step('#hetu');
      await page.keyboard.type(citizen.hetu);
      await step('button[type=submit]');
      await page.keyboard.press('Enter');
      await see(page.locator('h1'), t.inboxTitle);
      await step(`a[href="/messages/${citizen.registeredId}"]`);
      await page.keyboard.press('Enter');
      await see(page.locator('h1'), subjectOf('registered', 'fi'));
      await step('#acknowledge');
      await page.keyboard.press('Enter');
      await see(page.locator('.body-text'), 'myönnetty asumistukea');
      // Focus moved to the confirmation, which names the moment of acknowledgement.
      const focused = (await page.evaluate('document.activeElement?.textContent ?? ""')) as string;
      expect(focused).toContain(t.ackDone('').trim().slice(0, 8));
      expect(focusSteps).toEqual(focusSteps.map(() => true));
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('the identity provider\'s page refuses an invalid henkilötunnus with the error tied to the field, and an expired sign-in says to start again', async () => {
    const browser = await openBrowser('phone');
    const { page } = browser;
    try {
      await page.goto(`${base}/?lang=en`);
      await page.locator('#sign-in').click();
      await page.waitForURL(/\/oidc\/interaction\//);
      await page.locator('#hetu').fill('131052-308X');
      await page.locator('button[type=submit]').click();
      await page.locator('#hetu-error').waitFor();
      expect(await page.getAttribute('#hetu', 'aria-invalid')).toBe('true');
      expect(await describedBy(page, '#hetu')).toContain('not valid');
      await expectAccessible(page, 'identity-provider-error-en-phone');
      await page.goto(`${base}/oidc/interaction/no-such-interaction`);
      // The interaction is unknown, so the page speaks the browser's language (fi-FI here).
      await see(page.locator('h1'), 'Tunnistautuminen vanheni');
      await expectAccessible(page, 'identity-provider-expired-phone');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('the inbox pages: 20 newest first, "show more" brings the rest in order, and a state filter narrows it', async () => {
    const citizen = await citizenWithMail('en');
    for (let i = 1; i <= 23; i += 1) {
      await expectStatus(
        call(base, 'POST', '/v1/agency/messages', agencyToken, { recipient: { hetu: citizen.hetu }, kind: 'general', delivery: 'ordinary', subject: `Notice ${String(i).padStart(2, '0')}`, body: 'Body' }),
        201,
        `send ${i}`,
      );
    }
    const browser = await openBrowser('desktop');
    const { page } = browser;
    try {
      await page.goto(`${base}/?lang=en`);
      await signIn(page, 'en', citizen.hetu, 'idcard');
      await countIs(page.locator('.message-item'), 20);
      await see(page.locator('.message-item').first(), 'Notice 23');
      await page.getByRole('button', { name: TEXTS.en.more }).click();
      await countIs(page.locator('.message-item'), 25);
      await see(page.locator('.message-item').last(), subjectOf('ordinary', 'en'));
      await gone(page.getByRole('button', { name: TEXTS.en.more }));
      await page.getByRole('button', { name: TEXTS.en.filters.acknowledged }).click();
      await see(page.locator('main'), TEXTS.en.noMessages);
      expect(await page.getAttribute(`button[aria-pressed="true"]`, 'aria-pressed')).toBe('true');
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('opening an account in the browser: the phone number\'s error tied to its field, then open, then erasing the contact details', async () => {
    const hetu = syntheticHetu(nextCitizen++);
    const t = TEXTS.en;
    const browser = await openBrowser('phone');
    const { page } = browser;
    try {
      await page.goto(`${base}/account?lang=en`);
      await signIn(page, 'en', hetu, 'bank');
      await see(page.locator('h1'), t.accountTitle);
      await see(page.locator('main'), t.accountNotOpen);
      await page.locator('#account-email').fill('maija@example.fi');
      await page.locator('#account-phone').fill('0401234567');
      await page.locator('#open-account').click();
      await see(page.locator('main'), t.invalidPhone);
      expect(await page.getAttribute('#account-phone', 'aria-invalid')).toBe('true');
      expect(await describedBy(page, '#account-phone')).toContain(t.invalidPhone);
      await expectAccessible(page, 'account-open-errors-en-phone');
      await page.locator('#account-phone').fill('+358401234567');
      await page.locator('#open-account').click();
      await see(page.locator('#account-status'), t.statusOpen);
      await see(page.locator('main'), 'maija@example.fi');
      await see(page.locator('main'), '+358401234567');
      await page.getByRole('button', { name: t.erase }).click();
      await see(page.locator('main'), t.erased('').slice(0, 20));
      await gone(page.locator('main', { hasText: 'maija@example.fi' }));
      await expectAccessible(page, 'account-erased-en-phone');
    } finally {
      await browser.close();
    }
  }, 60_000);

  describe('under digital by default', () => {
    let digital: ServerProcess;
    let digitalBase: string;
    let digitalDir: string;

    beforeAll(async () => {
      digitalDir = await mkdtemp(join(tmpdir(), 'asiointitili-web-dbd-'));
      const port = await freePort();
      digitalBase = `http://localhost:${port}`;
      digital = await startServer({ dataDir: digitalDir, port, env: { PUBLIC_URL: digitalBase, CONSENT_POLICY: 'digital-by-default' } });
    }, 60_000);

    afterAll(async () => {
      await digital?.stop();
      if (digitalDir) await rm(digitalDir, { recursive: true, force: true });
    });

    it('the first sign-in opens the account; the person chooses paper for six months on the account page', async () => {
      const t = TEXTS.fi;
      const browser = await openBrowser('phone');
      const { page } = browser;
      try {
        await page.goto(`${digitalBase}/?lang=fi`);
        await signIn(page, 'fi', syntheticHetu(600), 'idcard');
        await see(page.locator('h1'), t.inboxTitle);
        await page.locator('nav a[href="/account"]').click();
        await see(page.locator('#account-status'), t.statusOpen);
        await see(page.locator('#paper-heading'), t.paperHeading);
        await page.getByRole('button', { name: t.choosePaper }).click();
        await see(page.locator('main'), t.paperUntil('').slice(0, 12));
        await expectAccessible(page, 'account-paper-fi-phone');
        if (process.env.WEB_SCREENSHOTS) await shoot(page, 'account-paper-fi-phone');
      } finally {
        await browser.close();
      }
    }, 60_000);
  });
});
