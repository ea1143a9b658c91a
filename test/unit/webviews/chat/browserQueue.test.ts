// The chat webview in headless Chromium (the built bundle, VS Code's CSP): the queue with a failed
// prompt and Retry, starting a stopped project with Cancel, the Changes list, older pages, and the
// dark, light and high-contrast themes. Screenshots: test-results/chat-q-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { longTranscript, SID, textPart, userInfo, type HostMsg } from './builders';
import { serveChatPage, type ChatPage } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any -- callbacks run in the page (no DOM lib here) */
declare const window: any;
declare const document: any;
type El = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../../../test-results');

const INIT: HostMsg = {
  type: 'chat.init', project: { id: 'p1', name: 'acme-web', status: 'running' },
  sessions: [{ id: SID, title: 'Release checklist', updated: 2 }], activeSessionId: SID,
  models: [{ providerId: 'fake', modelId: 'fake-model', name: 'Fake · Fake' }], agents: [{ name: 'build' }, { name: 'plan' }],
  model: { providerId: 'fake', modelId: 'fake-model' }, agent: 'build',
};
const TRANSCRIPT: HostMsg = {
  type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: false,
  messages: [{ info: userInfo('msg_01', 1_000), parts: [textPart('prt_01', 'msg_01', 'Bump the version and update the changelog')] }],
};

/** VS Code's default high-contrast theme's main colours, set through the CSSOM (the CSP forbids inline styles). */
const HIGH_CONTRAST: Record<string, string> = {
  '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff', '--vscode-editor-background': '#000000',
  '--vscode-editorWidget-background': '#0c141f', '--vscode-widget-border': '#6fc3df', '--vscode-panel-border': '#6fc3df',
  '--vscode-contrastBorder': '#6fc3df', '--vscode-focusBorder': '#f38518', '--vscode-textLink-foreground': '#21a6ff',
  '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df',
  '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-border': '#6fc3df',
  '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
  '--vscode-inputValidation-errorBackground': '#000000', '--vscode-inputValidation-errorBorder': '#f48771',
  '--vscode-inputValidation-warningBackground': '#000000', '--vscode-inputValidation-warningBorder': '#ffd700',
  '--vscode-errorForeground': '#f48771', '--vscode-textBlockQuote-background': '#000000', '--vscode-textCodeBlock-background': '#000000',
};

describe('chat webview in a browser: queue, start, changes, themes', function () {
  this.timeout(120_000);
  let page: ChatPage;
  let browser: Browser;
  let tab: Page;
  const errors: string[] = [];
  const host = async (...messages: HostMsg[]) => {
    for (const m of messages) await tab.evaluate((json) => window.__host(JSON.parse(json)), JSON.stringify(m));
    await tab.evaluate(() => new Promise<void>((r) => window.requestAnimationFrame(() => window.requestAnimationFrame(() => r()))));
  };
  const posted = () => tab.evaluate(() => window.__posted as Array<{ type: string; requestId?: string } & Record<string, unknown>>);
  const shot = (name: string) => tab.screenshot({ path: path.join(SHOTS, `chat-q-${name}.png`) });

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: run test/harness/setup-debian.sh`);
      this.skip();
    }
    mkdirSync(SHOTS, { recursive: true });
    page = await serveChatPage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    tab = await browser.newPage({ viewport: { width: 760, height: 640 } });
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(page.url);
    await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
    await host(INIT, TRANSCRIPT);
  });

  after(async () => {
    await browser?.close();
    await page?.close();
  });

  it('keeps the project id in the persisted state (the serializer reopens the panel from it)', async () => {
    await tab.waitForFunction(() => window.__state?.projectId === 'p1');
  });

  it('shows queued prompts in order, a failed one with its error and a Retry that asks the host', async () => {
    await host(
      { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
      { type: 'chat.queue', items: [
        { id: 'q1', sessionId: SID, text: 'Then tag the release', mentions: [], error: 'Not sent: connect ECONNREFUSED 127.0.0.1:7420. It stays queued: Retry when the agent is reachable.' },
        { id: 'q2', sessionId: SID, text: 'And draft the announcement', mentions: [] },
        { id: 'q3', sessionId: 'ses_other', text: 'not this session', mentions: [] },
      ] },
    );
    assert.deepEqual(await tab.locator('.queue-item .queue-text').allTextContents(), [
      'Then tag the release — Not sent: connect ECONNREFUSED 127.0.0.1:7420. It stays queued: Retry when the agent is reachable.',
      'And draft the announcement',
    ]);
    await shot('queue-dark');
    await tab.locator('.queue-item').first().locator('button', { hasText: 'Retry' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'chat.queue.retry', id: 'q1' });
    await tab.locator('.queue-item').nth(1).locator('button', { hasText: 'Cancel' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'chat.queue.cancel', id: 'q2' });
  });

  it('shows the start of a stopped project with Cancel, and a failure with what to do', async () => {
    await host(
      { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
      { type: 'chat.queue', items: [{ id: 'q4', sessionId: SID, text: 'Run the tests', mentions: [] }] },
      { type: 'chat.project', project: { id: 'p1', name: 'acme-web', status: 'starting' } },
      { type: 'chat.starting', starting: { phase: 'starting', message: 'Starting acme-web… your message is sent once the agent is up.' } },
    );
    assert.match((await tab.locator('.banner-starting').textContent()) ?? '', /Starting acme-web… your message is sent once the agent is up\.Cancel/);
    await shot('starting');
    await tab.locator('.banner-starting button', { hasText: 'Cancel' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'chat.start.cancel' });
    await host(
      { type: 'chat.project', project: { id: 'p1', name: 'acme-web', status: 'crashed' } },
      { type: 'chat.starting', starting: { phase: 'failed', message: 'Could not start acme-web: It is crashed instead of running: see Hangar: Show Container Logs.' } },
    );
    assert.match((await tab.locator('.banner-start-failed').textContent()) ?? '', /Show Container Logs/);
    await shot('start-failed');
    await tab.locator('.banner-start-failed button', { hasText: 'Dismiss' }).click();
    assert.equal(await tab.locator('.banner-start-failed').count(), 0);
    await host({ type: 'chat.project', project: { id: 'p1', name: 'acme-web', status: 'running' } }, { type: 'chat.starting', starting: null }, { type: 'chat.queue', items: [] });
  });

  it('lists the session\'s changes when opened, and opens a file in the diff editor through the host', async () => {
    await tab.locator('.changes > summary').click();
    // <details> fires its toggle event asynchronously.
    await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'chat.changes.load'));
    const load = (await posted()).filter((m) => m.type === 'chat.changes.load').at(-1);
    assert.equal(load?.['sessionId'], SID);
    assert.equal(await tab.locator('.changes-body').textContent(), 'Reading the changes…');
    await host({ type: 'response', requestId: String(load!.requestId), ok: true } as unknown as HostMsg, { type: 'chat.changes', sessionId: SID, source: 'session', files: [
      { file: 'CHANGELOG.md', status: 'modified', additions: 12, deletions: 1 },
      { file: 'package.json', status: 'modified', additions: 1, deletions: 1 },
      { file: 'docs/release-0.2.md', status: 'added', additions: 40, deletions: 0 },
      { file: 'scripts/old-release.sh', status: 'deleted', additions: 0, deletions: 25 },
    ] });
    assert.deepEqual(await tab.locator('.changes-path').allTextContents(), ['CHANGELOG.md', 'package.json', 'docs/release-0.2.md', 'scripts/old-release.sh']);
    assert.match((await tab.locator('.changes > summary').textContent()) ?? '', /^Changes \(4\)/);
    await shot('changes-dark');
    await tab.locator('.changes-file', { hasText: 'package.json' }).click();
    const open = (await posted()).filter((m) => m.type === 'chat.changes.open').at(-1);
    assert.deepEqual({ ...open, requestId: undefined }, { type: 'chat.changes.open', requestId: undefined, sessionId: SID, file: 'package.json' });
    // A finished turn reads the list again.
    const loads = (await posted()).filter((m) => m.type === 'chat.changes.load').length;
    await host({ type: 'chat.status', sessionId: SID, status: { type: 'busy' } }, { type: 'chat.status', sessionId: SID, status: { type: 'idle' } });
    // The webview asks on its next render after the idle status (not within the same task): wait for it, then once only.
    await tab.waitForFunction((n: number) => window.__posted.filter((m: { type: string }) => m.type === 'chat.changes.load').length > n, loads);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await posted()).filter((m) => m.type === 'chat.changes.load').length, loads + 1);
    await host({ type: 'chat.changes', sessionId: SID, source: 'workspace', files: [{ file: 'CHANGELOG.md', status: 'modified', additions: 12, deletions: 1 }] });
    assert.match((await tab.locator('.changes-note').textContent()) ?? '', /uncommitted changes/);
  });

  it('is readable in light and high-contrast themes', async () => {
    await host(
      { type: 'chat.queue', items: [{ id: 'q5', sessionId: SID, text: 'Queued while busy', mentions: [], error: 'Not sent: agent_unreachable. It stays queued: Retry when the agent is reachable.' }] },
      { type: 'chat.connection', state: 'reconnecting' },
    );
    await tab.evaluate(() => { document.querySelector('link[href="/theme.css"]').href = '/theme-light.css'; });
    await host();
    await shot('light');
    await tab.evaluate((vars: Record<string, string>) => { for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v); }, HIGH_CONTRAST);
    await host();
    const fg = await tab.evaluate(() => window.getComputedStyle(document.querySelector('.changes-path')).color);
    assert.equal(fg, 'rgb(255, 255, 255)', 'high contrast: file names in the foreground colour');
    await shot('high-contrast');
    assert.deepEqual(errors, []);
  });

  it('asks for older messages when scrolled to the top and keeps the message in view where it was', async () => {
    await tab.evaluate(() => document.documentElement.removeAttribute('style'));
    await tab.evaluate(() => { document.querySelector('link[href="/theme-light.css"]').href = '/theme.css'; });
    await host({ type: 'chat.connection', state: 'connected' }, { type: 'chat.queue', items: [] });
    const all = longTranscript(400);
    await host({ type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: true, messages: all.slice(200) });
    await tab.evaluate(() => { document.querySelector('.transcript').scrollTop = 0; });
    await host();
    await host();
    const ask = (await posted()).filter((m) => m.type === 'chat.loadOlder').at(-1);
    assert.deepEqual(ask, { type: 'chat.loadOlder', sessionId: SID, before: all[200]!.info.id });
    const topId = await tab.evaluate(() => document.querySelector('.rows > .row').dataset.key);
    await host({ type: 'chat.transcript', sessionId: SID, replace: false, hasOlder: false, messages: all.slice(0, 200) });
    await host();
    await host();
    const view = await tab.evaluate((id: string) => {
      const t = document.querySelector('.transcript');
      const row = document.querySelector(`[data-key="${id}"]`);
      const keys = [...document.querySelectorAll('.rows > .row')].map((r: El) => r.dataset.key);
      return { found: !!row, top: row ? row.getBoundingClientRect().top - t.getBoundingClientRect().top : null, scrollTop: t.scrollTop, rows: `${keys[0]}..${keys.at(-1)}` };
    }, topId);
    assert.ok(view.found && view.scrollTop > 1000, `the view stayed on ${topId}: ${JSON.stringify(view)}`);
    assert.equal(await tab.locator('.older').count(), 0, 'no more to load');
  });
});
