// Feeds what the chat host posted into the real chat webview bundle in headless Chromium (under the
// webview's CSP) and reports what a user's page would have done with it.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { ChatHostToWebview } from '../../../webviews/protocol/chat';
import { serveChatPage } from '../../unit/webviews/chat/page';

/* eslint-disable @typescript-eslint/no-explicit-any -- page callbacks run in the browser (no DOM lib here) */
declare const window: any;
declare const document: any;
declare const requestAnimationFrame: (cb: () => void) => number;
type El = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../../test-results');

export interface BrowserVerdict {
  dom: { pwned: unknown; scripts: number; handlers: number; active: number; hrefs: string[] };
  dialogs: string[];
  openedLinks: string[];
  hugeLineShown: boolean;
  typed: string;
}

export async function renderInBrowser(posted: ChatHostToWebview[], linkText: string): Promise<BrowserVerdict> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/harness/setup-debian.sh`);
  const page = await serveChatPage();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 760, height: 900 } });
    const dialogs: string[] = [];
    tab.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    tab.on('pageerror', (e) => dialogs.push(`pageerror: ${e.message}`));
    await tab.goto(page.url);
    await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
    for (const m of posted) {
      if (m.type === 'response') continue;
      await tab.evaluate((json: string) => window.__host(JSON.parse(json)), JSON.stringify(m));
    }
    const frame = () => tab.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    await frame();
    await tab.evaluate(() => { const t = document.querySelector('.transcript'); t.scrollTop = t.scrollHeight; });
    await frame();
    await frame();
    const link = tab.locator('.md-link-blocked', { hasText: linkText }).first();
    if (await link.count()) await link.click();
    await tab.screenshot({ path: path.join(SHOTS, 'chat-hostile-e2e.png') });
    const dom = await tab.evaluate(() => ({
      pwned: window.__pwned ?? null,
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll('*')].filter((el: El) => [...el.attributes].some((a: El) => a.name.startsWith('on'))).length,
      active: document.querySelectorAll('img, iframe, svg, object, embed, a[href^="javascript" i]').length,
      hrefs: [...document.querySelectorAll('[href], [src]')].map((el: El) => el.getAttribute('href') ?? el.getAttribute('src')).filter((h: string) => !/^\/(index|theme)\.(css|js)$|^\/stub\.js$/.test(h)),
    }));
    // The transcript is virtualised: after the scroll, its rows render on later frames (several on a busy machine).
    // Each poll scrolls to the end again: a scroll made before the rows had their full height stops short of it.
    const hugeLineShown = await tab.waitForFunction(() => {
      const t = document.querySelector('.transcript');
      if (t) t.scrollTop = t.scrollHeight;
      return document.body.textContent.includes('x'.repeat(200 * 1024));
    }, null, { timeout: 30_000, polling: 250 }).then(() => true, () => false);
    if (!hugeLineShown) {
      console.log('      [hostile browser] the 200 KB line was not shown; the page:', await tab.evaluate(() => {
        const t = document.querySelector('.transcript');
        const txt = document.body.textContent as string;
        return JSON.stringify({ len: txt.length, xs: (txt.match(/x{1000,}/g) ?? []).map((m: string) => m.length),
          sh: t?.scrollHeight, st: t?.scrollTop, ch: t?.clientHeight, tail: txt.slice(-300),
          kids: t?.children.length, html: t?.innerHTML.slice(-1500) });
      }));
    }
    await tab.locator('.composer-input').fill('still responsive');
    const typed = await tab.locator('.composer-input').inputValue();
    const openedLinks = await tab.evaluate(() => window.__posted.filter((m: { type: string }) => m.type === 'chat.openLink').map((m: { url: string }) => m.url));
    return { dom, dialogs, openedLinks, hugeLineShown, typed };
  } finally {
    await browser.close();
    await page.close();
  }
}
