// The @mention picker and chips in a real browser (headless Chromium): the built chat bundle under
// VS Code's CSP, fed host messages. Screenshots: test-results/chat-mention-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SID, textPart, userInfo, type HostMsg } from '../builders';
import { serveChatPage, type ChatPage } from '../page';

// The callbacks given to tab.evaluate run in the page (this file is compiled without the DOM lib).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = path.resolve(__dirname, '../../../../../test-results');

const INIT: HostMsg = {
  type: 'chat.init', project: { id: 'p1', name: 'acme-web', status: 'running' },
  sessions: [{ id: SID, title: 'Mentions', updated: 1 }], activeSessionId: SID,
  models: [{ providerId: 'fake', modelId: 'fake-model', name: 'Fake' }], agents: [{ name: 'build' }],
};
type Posted = { type: string; seq?: number; query?: string; requestId?: string } & Record<string, unknown>;

describe('chat mentions in a browser', function () {
  this.timeout(120_000);
  let page: ChatPage;
  let browser: Browser;
  let tab: Page;

  const host = async (...messages: HostMsg[]) => {
    for (const m of messages) await tab.evaluate((json) => window.__host(JSON.parse(json)), JSON.stringify(m));
  };
  const posted = (): Promise<Posted[]> => tab.evaluate(() => window.__posted);
  const queries = async () => (await posted()).filter((m) => m.type === 'chat.mentionQuery');
  const shot = (name: string) => tab.screenshot({ path: path.join(SHOTS, `chat-mention-${name}.png`) });
  const input = () => tab.locator('.composer-input');

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: run test/harness/setup-debian.sh`);
      this.skip();
    }
    mkdirSync(SHOTS, { recursive: true });
    page = await serveChatPage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    tab = await browser.newPage({ viewport: { width: 760, height: 560 } });
    await tab.goto(page.url);
    await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
    await host(INIT, {
      type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: false,
      messages: [{ info: userInfo('msg_1', 1), parts: [textPart('prt_1', 'msg_1', 'Hello')] }],
    });
    await tab.waitForSelector('.composer-input');
  });

  after(async () => {
    await browser?.close();
    await page?.close();
  });

  it('asks the host on every keystroke after @ and shows its latest answer as is, each file marked where it lives', async () => {
    await input().fill('');
    await input().pressSequentially('Look at @inv');
    const asked = await queries();
    assert.deepEqual(asked.slice(-4).map((q) => q.query), ['', 'i', 'in', 'inv']);
    const seqs = asked.map((q) => q.seq!);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'increasing sequence numbers');
    const last = seqs.at(-1)!;
    await host({ type: 'chat.mentionResults', seq: last, items: [
      { path: 'src/payments/invoiceTotals.ts', source: 'both', kind: 'file' },
      { path: 'src/payments/invoice.ts', source: 'workspace', kind: 'file' },
      { path: 'server/invoices.go', source: 'container', kind: 'file' },
    ] });
    // An older query's answer arriving late is ignored.
    await host({ type: 'chat.mentionResults', seq: last - 1, items: [{ path: 'stale/in.ts', source: 'workspace', kind: 'file' }] });
    await tab.waitForSelector('.picker-item');
    assert.deepEqual(await tab.locator('.picker-item .picker-name').allTextContents(), ['invoiceTotals.ts', 'invoice.ts', 'invoices.go']);
    assert.deepEqual(await tab.locator('.picker-item .picker-source').allTextContents(), ['local + container', 'local', 'container']);
    assert.equal(await tab.locator('.picker-item[aria-selected="true"] .picker-name').textContent(), 'invoiceTotals.ts');
    await shot('picker');
  });

  it('arrows move (wrapping), Escape closes, Enter inserts the highlighted file as a chip', async () => {
    await input().press('ArrowUp');
    assert.equal(await tab.locator('.picker-item[aria-selected="true"] .picker-name').textContent(), 'invoices.go', 'up from the first wraps to the last');
    await input().press('ArrowDown');
    await input().press('ArrowDown');
    assert.equal(await tab.locator('.picker-item[aria-selected="true"] .picker-name').textContent(), 'invoice.ts');
    await input().press('Escape');
    assert.equal(await tab.locator('.picker').count(), 0, 'Escape closes the picker');
    assert.equal(await input().inputValue(), 'Look at @inv', 'and leaves the text alone');
    await input().pressSequentially('o');
    const seq = (await queries()).at(-1)!.seq!;
    await host({ type: 'chat.mentionResults', seq, items: [{ path: 'src/payments/invoice.ts', source: 'workspace', kind: 'file' }] });
    // The picker may show the previous answer until this one renders: wait for exactly the new list.
    await tab.waitForFunction(() => {
      const names = document.querySelectorAll('.picker-item .picker-name');
      return names.length === 1 && names[0]?.textContent === 'invoice.ts';
    });
    await input().press('Enter');
    assert.equal(await input().inputValue(), 'Look at @src/payments/invoice.ts ');
    assert.equal(await tab.locator('.picker').count(), 0);
    assert.deepEqual(await tab.locator('.mention-chip .chip-name').allTextContents(), ['invoice.ts']);
  });

  it('"Use in Chat" from the host inserts a chip with its line range at the cursor; send carries both mentions', async () => {
    await input().pressSequentially('and');
    await host({ type: 'chat.insertMention', mention: { path: 'src/app.ts', range: { start: 10, end: 24 } } });
    await tab.waitForFunction(() => document.querySelectorAll('.mention-chip').length === 2);
    assert.equal(await input().inputValue(), 'Look at @src/payments/invoice.ts and @src/app.ts#L10-24 ');
    assert.deepEqual(await tab.locator('.mention-chip .chip-range').allTextContents(), [':10–24']);
    await shot('chips');
    await input().press('Enter');
    const send = (await posted()).filter((m) => m.type === 'chat.send').at(-1);
    assert.deepEqual(send?.['mentions'], [{ path: 'src/payments/invoice.ts' }, { path: 'src/app.ts', range: { start: 10, end: 24 } }]);
    assert.equal(send?.['text'], 'Look at @src/payments/invoice.ts and @src/app.ts#L10-24');
    await host({ type: 'response', requestId: String(send?.requestId), ok: true } as unknown as HostMsg);
  });

  it('removing a chip removes its mention from the text; a typed @word is not a mention', async () => {
    await input().fill('');
    await host({ type: 'chat.insertMention', mention: { path: 'README.md' } });
    await tab.waitForSelector('.mention-chip');
    await input().pressSequentially('ask @alice ');
    await tab.locator('.mention-chip .chip-x').click();
    assert.equal(await tab.locator('.mention-chip').count(), 0);
    assert.equal(await input().inputValue(), 'ask @alice ');
    await input().press('Enter');
    const send = (await posted()).filter((m) => m.type === 'chat.send').at(-1);
    assert.deepEqual(send?.['mentions'], []);
  });
});

declare const document: { querySelectorAll(s: string): { length: number; [i: number]: { textContent: string | null } } };
