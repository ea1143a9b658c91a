// The chat bundle open in headless Chromium, ready for host messages: the browser tests' shared start.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveChatPage, type ChatPage } from './page';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.resolve(__dirname, '../../../../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export interface ChatTab { tab: Page; close(): Promise<void> }

/** Opens the chat page once it said `ready`; skips the suite without Chromium, except under CI where that fails. */
export async function openChatTab(ctx: Mocha.Context, viewport: { width: number; height: number }): Promise<ChatTab | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: run test/harness/setup-debian.sh`);
    ctx.skip();
  }
  mkdirSync(SHOTS, { recursive: true });
  const page: ChatPage = await serveChatPage();
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const tab = await browser.newPage({ viewport });
  await tab.goto(page.url);
  await tab.waitForFunction(() => (globalThis as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  return { tab, close: async () => { await browser.close(); await page.close(); } };
}
