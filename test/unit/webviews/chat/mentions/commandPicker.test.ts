// The `/` command picker in a real browser (headless Chromium): the built chat bundle under VS Code's
// CSP, fed host messages (the agent's commands, then a new list as after a saved command file).
// Screenshot: test-results/chat-command-picker.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SID, type HostMsg } from '../builders';
import { openChatTab, SHOTS, type ChatTab } from '../chatTab';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;

const MODELS = [{ providerId: 'fake', modelId: 'fake-model', name: 'Fake' }];

const INIT: HostMsg = {
  type: 'chat.init', project: { id: 'p1', name: 'acme-web', status: 'running' },
  sessions: [{ id: SID, title: 'Commands', updated: 1 }], activeSessionId: SID, models: MODELS, agents: [{ name: 'build' }],
  commands: [
    { name: 'init', description: 'Write AGENTS.md' },
    { name: 'review', description: 'Review the changes' },
    { name: 'release-notes', description: 'Draft release notes' },
  ],
};
type Posted = { type: string; text?: string; requestId?: string } & Record<string, unknown>;

describe('chat command picker in a browser', function () {
  this.timeout(120_000);
  let chat: ChatTab | undefined;
  let tab: Page;

  const host = async (...messages: HostMsg[]) => {
    for (const m of messages) await tab.evaluate((json) => window.__host(JSON.parse(json)), JSON.stringify(m));
  };
  const posted = (): Promise<Posted[]> => tab.evaluate(() => window.__posted);
  const input = () => tab.locator('.composer-input');
  const names = () => tab.locator('#command-picker .picker-item .picker-name').allTextContents();
  const active = () => tab.locator('#command-picker .picker-item[aria-selected="true"] .picker-name').textContent();

  before(async function () {
    chat = await openChatTab(this, { width: 760, height: 560 });
    tab = chat!.tab;
    await host(INIT, { type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: false, messages: [] });
    await tab.waitForSelector('.composer-input');
  });

  after(async () => { await chat?.close(); });

  it('`/` at the start lists the agent\'s commands, filtered as the user types', async () => {
    await input().fill('');
    await input().pressSequentially('/');
    await tab.waitForSelector('#command-picker');
    assert.deepEqual(await names(), ['/init', '/review', '/release-notes']);
    assert.deepEqual(await tab.locator('#command-picker .picker-dir').allTextContents(),
      ['Write AGENTS.md', 'Review the changes', 'Draft release notes']);
    await input().pressSequentially('re');
    assert.deepEqual(await names(), ['/review', '/release-notes']);
    await input().pressSequentially('l');
    assert.deepEqual(await names(), ['/release-notes']);
    await tab.screenshot({ path: path.join(SHOTS, 'chat-command-picker.png') });
    await input().press('Escape');
    assert.equal(await tab.locator('#command-picker').count(), 0, 'Escape closes it');
    await input().fill('');
    await input().pressSequentially('see /init');
    assert.equal(await tab.locator('#command-picker').count(), 0, 'a slash inside the text is not a command');
  });

  it('arrows move (wrapping), Enter picks, and the next Enter sends `/name args`', async () => {
    await input().fill('');
    await input().pressSequentially('/');
    await tab.waitForSelector('#command-picker');
    await input().press('ArrowUp');
    assert.equal(await active(), '/release-notes', 'up from the first wraps to the last');
    await input().press('ArrowDown');
    await input().press('ArrowDown');
    assert.equal(await active(), '/review');
    await input().press('Enter');
    assert.equal(await input().inputValue(), '/review ');
    assert.equal(await tab.locator('#command-picker').count(), 0);
    await input().pressSequentially('src/app.ts');
    await input().press('Enter');
    const send = (await posted()).filter((m) => m.type === 'chat.send').at(-1);
    assert.equal(send?.text, '/review src/app.ts');
    await host({ type: 'response', requestId: String(send?.requestId), ok: true } as unknown as HostMsg);
  });

  it('a new command list from the host (a saved command file) shows without reopening', async () => {
    await host({ type: 'chat.models', models: MODELS, commands: [...INIT.type === 'chat.init' ? INIT.commands ?? [] : [],
      { name: 'ship', description: 'Ship it' }] });
    await input().fill('');
    await input().pressSequentially('/sh');
    await tab.waitForSelector('#command-picker');
    assert.deepEqual(await names(), ['/ship']);
  });
});
