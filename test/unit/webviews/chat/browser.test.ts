// The chat webview in a real browser (headless Chromium): the built bundle under VS Code's CSP,
// fed host messages, asserting the DOM and what it posts back. Screenshots: test-results/chat-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChatHostToWebview } from '../../../../webviews/protocol/chat';
import {
  assistantInfo, longTranscript, permission, SID, stepFinish, textPart, toolPart, userInfo, type HostMsg,
} from './builders';
import { serveChatPage, type ChatPage } from './page';

// The callbacks given to tab.evaluate run in the page: these are the browser's globals. This file is
// compiled without the DOM lib (node tests), so they are declared here, loosely (any), for this module only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const requestAnimationFrame: (cb: () => void) => number;
declare const getComputedStyle: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = path.resolve(__dirname, '../../../../test-results');

const INIT: HostMsg = {
  type: 'chat.init',
  project: { id: 'p1', name: 'acme-web', status: 'running' },
  sessions: [{ id: SID, title: 'Fix the login redirect', updated: 2 }, { id: 'ses_big', title: 'Long refactor', updated: 1 }],
  activeSessionId: SID,
  models: [{ providerId: 'anthropic', modelId: 'claude-sonnet', name: 'Claude Sonnet' }, { providerId: 'fake', modelId: 'fake-model', name: 'Fake' }],
  agents: [{ name: 'build', description: 'Builds things' }, { name: 'plan' }],
};

const ANSWER = `The redirect loops because \`next\` is read **before** the session cookie is set.

1. Read the cookie first
2. Then redirect — see [the docs](https://example.com/auth)

\`\`\`ts
export async function login(req: Request): Promise<Response> {
  const next = new URL(req.url).searchParams.get('next') ?? '/'; // keep the target
  await setSession(req, 42);
  return Response.redirect(next, 302);
}
\`\`\`

| file | change |
|---|---|
| src/auth.ts | +4 −2 |`;

function transcript(): HostMsg {
  return {
    type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: false,
    messages: [
      { info: userInfo('msg_01', 1_000), parts: [textPart('prt_01', 'msg_01', 'Why does login redirect forever? Look at @src/auth.ts#L10-24'), { id: 'prt_01f', messageId: 'msg_01', type: 'file', mime: 'text/plain', url: 'file:///w/src/auth.ts', filename: 'src/auth.ts#L10-24' }] },
      {
        info: assistantInfo('msg_02', 1_001, { time: { created: 1_001, completed: 4_200 }, finish: 'stop' }),
        parts: [
          { id: 'prt_02r', messageId: 'msg_02', type: 'reasoning', text: 'The user wants the loop explained. Read auth.ts first.' },
          toolPart('prt_02t', 'msg_02', { status: 'completed', input: { filePath: 'src/auth.ts' }, title: 'src/auth.ts', output: 'export async function login(req) {\n  …\n}', time: { start: 1_100, end: 1_340 } }, 'read'),
          textPart('prt_02x', 'msg_02', ANSWER),
          stepFinish('prt_02s', 'msg_02', 12_400, 380, 0.0431),
        ],
      },
    ],
  };
}

describe('chat webview in a browser', function () {
  this.timeout(120_000);
  let page: ChatPage;
  let browser: Browser;
  let tab: Page;
  const dialogs: string[] = [];

  const host = async (...messages: HostMsg[] | ChatHostToWebview[]) => {
    // As JSON: playwright's own argument serialisation is slow for a 5,000-message transcript.
    for (const m of messages) await tab.evaluate((json) => (window as unknown as { __host(m: unknown): void }).__host(JSON.parse(json)), JSON.stringify(m));
  };
  const posted = () => tab.evaluate(() => (window as unknown as { __posted: Array<{ type: string; requestId?: string } & Record<string, unknown>> }).__posted);
  const frame = () => tab.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const shot = (name: string) => tab.screenshot({ path: path.join(SHOTS, `chat-${name}.png`) });
  const answer = async (type: string) => {
    const req = (await posted()).filter((m) => m.type === type).at(-1);
    assert.ok(req?.requestId, `no ${type} request was posted`);
    await host({ type: 'response', requestId: req.requestId, ok: true });
    return req;
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // Under CI a missing browser fails the run; a contributor without it is told how to get it.
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: run test/harness/setup-debian.sh`);
      this.skip();
    }
    mkdirSync(SHOTS, { recursive: true });
    page = await serveChatPage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    tab = await browser.newPage({ viewport: { width: 760, height: 900 } });
    tab.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    tab.on('pageerror', (e) => dialogs.push(`pageerror: ${e.message}`));
    await tab.goto(page.url);
    await tab.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  });

  after(async () => {
    await browser?.close();
    await page?.close();
  });

  it('renders a transcript: markdown, a highlighted code block with Copy, a tool card, reasoning collapsed, tokens and cost', async () => {
    await host(INIT, transcript());
    await tab.waitForSelector('.msg .md > .md-code');
    assert.equal(await tab.locator('.msg').count(), 2);
    assert.equal(await tab.locator('.msg .md > .md-code .hl-kw').first().textContent(), 'export');
    for (const tag of ['strong', 'ol', 'table', 'code']) assert.ok(await tab.locator(`.msg .md ${tag}`).count() > 0, `renders <${tag}>`);
    assert.equal(await tab.locator('details.reasoning').getAttribute('open'), null, 'reasoning starts collapsed');
    assert.match((await tab.locator('.tool summary').textContent()) ?? '', /read.*src\/auth\.ts.*240 ms/);
    assert.match((await tab.locator('.msg-meta').textContent()) ?? '', /12k in · 380 out.*\$0\.04.*3\.2 s/);
    await tab.locator('.msg .md .md-copy').first().click();
    const copy = (await posted()).filter((m) => m.type === 'chat.copy').at(-1);
    assert.match(String(copy?.['text']), /^export async function login/);
    await tab.locator('.md-link', { hasText: 'the docs' }).click();
    assert.deepEqual((await posted()).filter((m) => m.type === 'chat.openLink').at(-1), { type: 'chat.openLink', url: 'https://example.com/auth' });
    assert.equal(tab.url(), page.url, 'the webview never navigates');
    await tab.locator('.tool summary').click();
    await shot('transcript');
  });

  it('streams a turn from part deltas, shows Abort while busy, then tokens when done', async () => {
    await host(
      { type: 'chat.message', info: userInfo('msg_03', 5_000) },
      { type: 'chat.part', sessionId: SID, part: textPart('prt_03', 'msg_03', 'Fix it and run the tests') },
      { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
      { type: 'chat.message', info: assistantInfo('msg_04', 5_001) },
      { type: 'chat.part', sessionId: SID, part: textPart('prt_04', 'msg_04', '') },
    );
    for (const delta of ['I will ', 'move the ', '`setSession` call ', 'first, then ']) {
      await host({ type: 'chat.delta', sessionId: SID, messageId: 'msg_04', partId: 'prt_04', field: 'text', delta });
    }
    await host({ type: 'chat.part', sessionId: SID, part: toolPart('prt_04t', 'msg_04', { status: 'running', input: { command: 'npm test', description: 'Run tests' }, time: { start: 10 } }) });
    await frame();
    assert.match((await tab.locator('.msg').last().textContent()) ?? '', /I will move the setSession call first, then/);
    assert.equal(await tab.locator('vscode-button', { hasText: 'Abort' }).count(), 1);
    await shot('streaming');
    await tab.locator('vscode-button', { hasText: 'Abort' }).click();
    assert.deepEqual({ ...(await answer('chat.abort')), requestId: undefined }, { type: 'chat.abort', sessionId: SID, requestId: undefined });
  });

  it('asks for permission with Allow once / Always allow / Reject and shows the outcome', async () => {
    await host({ type: 'chat.permission', request: permission('per_1', { metadata: { command: 'rm -rf build && npm test' }, tool: { messageId: 'msg_04', callId: 'call_prt_04t' } }) });
    await tab.waitForSelector('.perm');
    assert.equal(await tab.locator('.perm vscode-button').count(), 3);
    await shot('permission');
    await tab.locator('.perm vscode-button', { hasText: 'Allow once' }).click();
    const req = await answer('chat.permissionReply');
    assert.deepEqual({ ...req, requestId: undefined }, { type: 'chat.permissionReply', requestId: undefined, sessionId: SID, permissionId: 'per_1', reply: 'once' });
    await host({ type: 'chat.permissionReplied', sessionId: SID, requestId: 'per_1', reply: 'once' });
    await frame();
    assert.equal(await tab.locator('.perm-outcome').textContent(), 'Allowed once');
    await host(
      { type: 'chat.part', sessionId: SID, part: toolPart('prt_04t', 'msg_04', { status: 'completed', input: { command: 'npm test' }, title: 'Run tests', output: '42 passing', time: { start: 10, end: 2_310 } }) },
      { type: 'chat.delta', sessionId: SID, messageId: 'msg_04', partId: 'prt_04', field: 'text', delta: 're-run the tests. **All 42 pass.**' },
      { type: 'chat.part', sessionId: SID, part: stepFinish('prt_04s', 'msg_04', 15_200, 512, 0.0611) },
      { type: 'chat.message', info: assistantInfo('msg_04', 5_001, { time: { created: 5_001, completed: 12_000 } }) },
      { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
    );
    await frame();
    assert.equal(await tab.locator('vscode-button', { hasText: 'Abort' }).count(), 0);
    assert.match((await tab.locator('.msg-meta').last().textContent()) ?? '', /15k in · 512 out/);
  });

  it('shows retries with attempt and next time, and aborts in place', async () => {
    await host(
      { type: 'chat.message', info: userInfo('msg_05', 20_000) },
      { type: 'chat.part', sessionId: SID, part: textPart('prt_05', 'msg_05', 'And deploy it') },
      { type: 'chat.status', sessionId: SID, status: { type: 'retry', attempt: 2, next: Date.now() + 9_000, message: 'connect ECONNREFUSED 10.0.0.7:443' } },
    );
    await frame();
    assert.match((await tab.locator('.msg-retry').textContent()) ?? '', /attempt 2, next in \d+ s/);
    await shot('retry');
    await host(
      { type: 'chat.message', info: assistantInfo('msg_06', 20_001, { error: { name: 'MessageAbortedError', message: 'Aborted' }, time: { created: 20_001, completed: 21_000 } }) },
      { type: 'chat.error', sessionId: SID, error: { name: 'MessageAbortedError', message: 'Aborted' } },
      { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
    );
    await frame();
    assert.equal(await tab.locator('.msg-retry').count(), 0);
    assert.equal(await tab.locator('.msg-error-aborted').count(), 1, 'the abort shows once, in place');
  });

  it('renders hostile output inert: no script runs, no handler fires, javascript: links are dead, a 1 MB line does not break the panel', async () => {
    const hostile = [
      '<script>window.__pwned = "script"; alert(1)</script>',
      '<img src=x onerror="window.__pwned=\'img\'; alert(2)">',
      '<svg onload="window.__pwned=\'svg\'"></svg> <iframe src="javascript:alert(3)"></iframe>',
      '[click me](javascript:window.__pwned=\'link\') [also](JaVaScRiPt:alert(4)) [data](data:text/html,<script>alert(5)</script>)',
      '<a href="javascript:alert(6)" onclick="window.__pwned=\'a\'">raw anchor</a> ![img](javascript:alert(7))',
      '```html\n<script>window.__pwned="code"</script>\n```',
      '**a_'.repeat(5_000),
    ].join('\n\n');
    await host(
      { type: 'chat.message', info: assistantInfo('msg_07', 30_000, { time: { created: 30_000, completed: 30_001 } }) },
      { type: 'chat.part', sessionId: SID, part: textPart('prt_07', 'msg_07', hostile) },
    );
    await frame();
    assert.ok(await tab.evaluate(() => document.body.textContent?.includes('<script>window.__pwned = "script"')), 'raw HTML shows as text');
    for (const text of ['click me', 'also', 'data']) await tab.locator('.md-link-blocked', { hasText: text }).first().click();
    await tab.locator('.msg-assistant').last().scrollIntoViewIfNeeded();
    await shot('hostile');
    const huge = 'x'.repeat(1 << 20);
    const t0 = Date.now();
    await host(
      { type: 'chat.message', info: assistantInfo('msg_08', 30_002, { time: { created: 30_002, completed: 30_003 } }) },
      { type: 'chat.part', sessionId: SID, part: textPart('prt_08', 'msg_08', huge) },
      { type: 'chat.part', sessionId: SID, part: toolPart('prt_08t', 'msg_08', { status: 'completed', input: { command: '<script>alert(8)</script>' }, title: '<img src=x onerror=alert(9)>', output: huge, time: { start: 1, end: 2 } }) },
    );
    await frame();
    console.log(`      a 1 MB single line (as text and as tool output) rendered in ${Date.now() - t0} ms`);
    // The user scrolled up to read msg_07, so the new message did not pull the view down: go there.
    assert.equal(await tab.locator('[data-key="msg_08"]').count(), 0);
    await tab.evaluate(() => { const t = document.querySelector('.transcript')!; t.scrollTop = t.scrollHeight; });
    await frame();
    await frame();
    await tab.locator('.msg-assistant').last().locator('.tool summary').click();
    await frame();
    const dom = await tab.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      imgs: document.querySelectorAll('img, iframe, svg, object, embed').length,
      hrefs: [...document.querySelectorAll('[href], [src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src')).filter((h) => !/^\/(index|theme)\.(css|js)$|^\/stub\.js$/.test(h ?? '')),
    }));
    assert.deepEqual(dom, { pwned: undefined, scripts: 2, handlers: 0, imgs: 0, hrefs: [] });
    assert.deepEqual(dialogs, []);
    assert.ok(!(await posted()).some((m) => m.type === 'chat.openLink' && /^(javascript|data):/i.test(String(m['url']))), 'no dangerous link reached the host');
    // Still responsive: typing works at once.
    await tab.locator('.composer-input').fill('still here');
    assert.equal(await tab.locator('.composer-input').inputValue(), 'still here');
    await shot('huge-line');
  });

  it('picks an @mention with the keyboard, shows it as a chip and sends it as a mention', async () => {
    const input = tab.locator('.composer-input');
    await input.fill('');
    await input.pressSequentially('Explain @aut');
    const q = (await posted()).filter((m) => m.type === 'chat.mentionQuery').at(-1);
    assert.equal(q?.['query'], 'aut');
    await host({ type: 'chat.mentionResults', seq: Number(q?.['seq']), items: [
      { path: 'docs/routing.md', source: 'workspace' }, { path: 'src/auth.ts', source: 'both' },
      { path: 'src/auth/session.ts', source: 'container' }, { path: 'test/auth.test.ts', source: 'workspace' },
    ] });
    await tab.waitForSelector('.picker-item');
    // The host ranks (extension/chat/mentions): the picker shows its answer in its order.
    assert.deepEqual(await tab.locator('.picker-item .picker-name').allTextContents(), ['routing.md', 'auth.ts', 'session.ts', 'auth.test.ts']);
    await shot('mention');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Explain @src/auth/session.ts ');
    assert.equal(await tab.locator('.composer-chips .chip').count(), 1);
    await input.pressSequentially('please');
    await input.press('Shift+Enter');
    await input.pressSequentially('thanks');
    await input.press('Enter');
    const send = (await posted()).filter((m) => m.type === 'chat.send').at(-1);
    assert.deepEqual({ ...send, requestId: undefined }, {
      type: 'chat.send', requestId: undefined, sessionId: SID, text: 'Explain @src/auth/session.ts please\nthanks',
      mentions: [{ path: 'src/auth/session.ts' }], model: { providerId: 'anthropic', modelId: 'claude-sonnet' }, agent: 'build',
    });
    await answer('chat.send');
    assert.equal(await input.inputValue(), '');
  });

  it('keeps a draft in the persisted state and shows the queue and the reconnecting banner', async () => {
    await host({ type: 'chat.status', sessionId: SID, status: { type: 'busy' } });
    await tab.locator('.composer-input').fill('draft that must survive');
    await tab.waitForFunction(() => (window as unknown as { __state?: { drafts: Record<string, string> } }).__state?.drafts['ses_1'] === 'draft that must survive');
    await host(
      { type: 'chat.queue', items: [
        { id: 'q1', sessionId: SID, text: 'Then update the changelog', mentions: [] },
        { id: 'q2', sessionId: SID, text: 'And open a PR', mentions: [], error: 'the project is offline' },
      ] },
      { type: 'chat.connection', state: 'reconnecting' },
    );
    await frame();
    assert.equal(await tab.locator('.queue-item').count(), 2);
    assert.match((await tab.locator('.banner').textContent()) ?? '', /Reconnecting/);
    await tab.locator('.queue-item').nth(1).locator('button', { hasText: 'Retry' }).click();
    assert.deepEqual((await posted()).filter((m) => m.type === 'chat.queue.retry').at(-1), { type: 'chat.queue.retry', id: 'q2' });
    await shot('queue');
    await tab.reload();
    await tab.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    await host(INIT, transcript());
    await tab.waitForSelector('.msg');
    assert.equal(await tab.locator('.composer-input').inputValue(), 'draft that must survive', 'the draft survives a reload');
  });

  it('renders only a window of rows for a 5,000-message session and sticks to the bottom', async () => {
    const messages = longTranscript(5_000).map((m) => ({ ...m, info: { ...m.info, sessionId: 'ses_big' } }));
    await host({ ...(INIT as Extract<HostMsg, { type: 'chat.init' }>), activeSessionId: 'ses_big', draft: '' });
    const t0 = Date.now();
    await host({ type: 'chat.transcript', sessionId: 'ses_big', messages, replace: true, hasOlder: false });
    await tab.waitForSelector('.row', { timeout: 5_000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; errors: ${dialogs.join(' | ')}; body: ${(await tab.locator('body').textContent())?.slice(0, 300)}`);
    });
    await frame();
    const rendered = Date.now() - t0;
    // Settled: the rows near the bottom are measured within a few frames.
    await tab.waitForFunction(() => {
      const t = document.querySelector('.transcript')!;
      return t.scrollHeight - t.scrollTop - t.clientHeight < 50 && document.querySelectorAll('.row').length < 80;
    }, undefined, { timeout: 5_000 });
    const rows = await tab.locator('.row').count();
    console.log(`      5,000 messages: first render in ${rendered} ms (post + validate + apply + paint), ${rows} rows in the DOM`);
    assert.ok(rows > 3 && rows < 80, `${rows} rows in the DOM`);
    const atBottom = await tab.evaluate(() => { const t = document.querySelector('.transcript')!; return t.scrollHeight - t.scrollTop - t.clientHeight; });
    assert.ok(atBottom < 50, `not at the bottom: ${atBottom}px left`);
    assert.match((await tab.locator('.row').last().textContent()) ?? '', /Answer 4999/);
    // Scroll to the top and the rows change; still only a window.
    await tab.evaluate(() => { document.querySelector('.transcript')!.scrollTop = 0; });
    await frame();
    await frame();
    assert.match((await tab.locator('.row').first().textContent()) ?? '', /Question 0\?/);
    assert.ok((await tab.locator('.row').count()) < 80);
    await tab.evaluate(() => { const t = document.querySelector('.transcript')!; t.scrollTop = t.scrollHeight / 2; });
    await frame();
    await frame();
    await shot('5000');
    // The scroll position survives a reload: the same message is in view again.
    await tab.waitForFunction(() => window.__state?.scroll?.ses_big?.atBottom === false);
    const saved = await tab.evaluate(() => window.__state.scroll.ses_big as { messageId: string; offset: number });
    await tab.reload();
    await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
    await host({ ...(INIT as Extract<HostMsg, { type: 'chat.init' }>), activeSessionId: 'ses_big' }, { type: 'chat.transcript', sessionId: 'ses_big', messages, replace: true, hasOlder: false });
    await tab.waitForSelector(`[data-key="${saved.messageId}"]`, { timeout: 5_000 });
    const top = await tab.evaluate((id: string) => {
      const t = document.querySelector('.transcript');
      return document.querySelector(`[data-key="${id}"]`).getBoundingClientRect().top - t.getBoundingClientRect().top;
    }, saved.messageId);
    assert.ok(Math.abs(top + saved.offset) < 40, `${saved.messageId} is ${top}px from the top, expected about ${-saved.offset}`);
  });

  it('is readable in a light theme', async () => {
    await tab.evaluate(() => { document.querySelector('link[href="/theme.css"]').href = '/theme-light.css'; });
    await host(INIT, transcript(), { type: 'chat.permission', request: permission('per_9', { metadata: { command: 'git push --force' } }) });
    await tab.waitForSelector('.perm');
    await frame();
    const bg = await tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(255, 255, 255)');
    await shot('light');
  });
});
