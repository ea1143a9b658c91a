// The README's `npm start` path: VS Code opens with `hangar.serverUrl` pointing at a server on this
// machine whose local-token file the extension can read. It must connect without asking anything,
// and show what the API holds, live.
import { openActivity, openView, treeLabels, waitUntil, hoverText } from '../harness/ui.mjs';
import { findStatusItem } from './newUser.e2e.mjs';
import { containerSteps } from './containers.e2e.mjs';

const PROJECT = 'made-elsewhere';

/** code-server options for this scenario: the setting `npm start` writes, and the API's data dir. */
export function localStartOptions(api) {
  return { settings: { 'hangar.serverUrl': api.url }, env: { HANGAR_DATA_DIR: api.dataDir } };
}

export function localStartSteps() {
  return [
    { name: 'connects to the local server without asking', run: async ({ page, log }) => {
      await openActivity(page, 'Hangar');
      const item = await findStatusItem(page, log);
      await waitUntil(async () => {
        const text = `${await item.getAttribute('aria-label') ?? ''} ${await hoverText(page, item)}`;
        return /(?<!not )connected/i.test(text) && text;
      }, (last) => `status bar never said "Connected" (no prompt was answered); last: ${JSON.stringify(last)}`);
      const inputs = await page.locator('.quick-input-widget:visible').count();
      if (inputs) throw new Error('an input box is open: the extension asked for something');
    } },
    { name: 'a project created through the API appears in the tree', run: async ({ page, api }) => {
      const res = await fetch(`${api.url}/api/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: PROJECT, tierId: 'pro' }),
      });
      if (res.status !== 201) throw new Error(`POST /api/projects answered ${res.status}: ${await res.text()}`);
      const pane = await openView(page, 'Projects');
      await waitUntil(async () => (await treeLabels(pane)).includes(PROJECT), () => `no "${PROJECT}" row in the Projects view`);
      const tiers = await openView(page, 'Tiers');
      await waitUntil(async () => (await treeLabels(tiers)).length === 4, () => 'the Tiers view does not show the four tiers');
    } },
    ...containerSteps(PROJECT),
  ];
}
