// A new user's first session with Hangar, through the UI only: connect, look at the tiers,
// create a project, delete it. Driven by test/harness/run-e2e.mjs, which provides a workbench
// with the packaged extension installed (no smoke driver, so toasts show) and a fresh API.
// Each step is one check; the runner stops at the first failing step (later ones depend on it).
import {
  openActivity, runCommand, answerInput, pickItem, openView, treeLabels, waitUntil,
  statusBarItems, hoverText, clickDialogButton, WAIT,
} from '../harness/ui.mjs';

const PROJECT = 'demo-e2e';
const TIERS = ['lite', 'standard', 'pro', 'desktop'];

/** @returns {Array<{name: string, run: (ctx) => Promise<void>}>} */
export function newUserSteps() {
  return [
    { name: 'open Hangar from the activity bar', run: async ({ page }) => {
      await openActivity(page, 'Hangar');
    } },
    { name: 'welcome view offers "Connect to a Hangar server"', run: async ({ page }) => {
      const button = page.locator('.part.sidebar').getByRole('button', { name: 'Connect to a Hangar server' });
      await button.first().waitFor({ timeout: WAIT }).catch(async () => {
        const text = await page.locator('.part.sidebar').innerText().catch(() => '');
        throw new Error(`welcome button not shown; sidebar text: ${JSON.stringify(text.slice(0, 400))}`);
      });
    } },
    { name: 'connect with URL and token', run: async ({ page, api, log }) => {
      await runCommand(page, 'Hangar: Connect to Server');
      await answerInput(page, api.url);
      await answerInput(page, api.token, { password: true });
      const item = await findStatusItem(page, log);
      await waitUntil(async () => {
        const text = `${await item.getAttribute('aria-label') ?? ''} ${await hoverText(page, item)}`;
        return /(?<!not )connected/i.test(text) && text;
      }, (last) => `status bar item never said "Connected"; last text: ${JSON.stringify(last)}`);
      log(`status bar: ${JSON.stringify(await item.innerText())}`);
    } },
    { name: 'Tiers view lists lite, standard, pro, desktop', run: async ({ page }) => {
      const pane = await openView(page, 'Tiers');
      await waitUntil(async () => {
        const labels = await treeLabels(pane);
        return TIERS.every((t) => labels.includes(t)) && labels.length === TIERS.length;
      }, () => 'Tiers view rows are not exactly lite, standard, pro, desktop').catch(async (err) => {
        throw new Error(`${err.message}; rows: ${JSON.stringify(await treeLabels(pane))}`);
      });
    } },
    { name: `create project ${PROJECT} (tier standard, default provider)`, run: async ({ page, log }) => {
      await runCommand(page, 'Hangar: Create Project');
      await answerInput(page, PROJECT);
      const tierRow = await pickItem(page, 'standard');
      log(`tier row: ${JSON.stringify(tierRow)}`);
      if (!/cpu|core|vcpu/i.test(tierRow) || !/mb|gb|gib|mib|memory|ram/i.test(tierRow)) {
        throw new Error(`tier item does not show CPU and memory: ${JSON.stringify(tierRow)}`);
      }
      await pickItem(page, 'Use default');
    } },
    { name: `Projects tree shows ${PROJECT}`, run: async ({ page }) => {
      const pane = await openView(page, 'Projects');
      await waitUntil(async () => (await treeLabels(pane)).includes(PROJECT),
        () => `no "${PROJECT}" row in the Projects view`).catch(async (err) => {
        throw new Error(`${err.message}; rows: ${JSON.stringify(await treeLabels(pane))}`);
      });
    } },
    { name: `API lists ${PROJECT} with tier standard`, run: async ({ api }) => {
      const project = await waitUntil(async () => (await listProjects(api)).find((p) => p.name === PROJECT),
        () => `GET /api/projects has no ${PROJECT}`);
      const tier = tierOf(project);
      if (tier !== 'standard') throw new Error(`project ${PROJECT} has tier ${JSON.stringify(tier)}: ${JSON.stringify(project)}`);
    } },
    { name: `delete project ${PROJECT}`, run: async ({ page, log }) => {
      await runCommand(page, 'Hangar: Delete Project');
      await pickItem(page, PROJECT);
      log(`dialog: ${JSON.stringify(await clickDialogButton(page, 'Delete'))}`);
    } },
    { name: `Projects tree no longer shows ${PROJECT}`, run: async ({ page }) => {
      const pane = await openView(page, 'Projects');
      await waitUntil(async () => !(await treeLabels(pane)).includes(PROJECT), () => `"${PROJECT}" still in the Projects view`);
    } },
    { name: `API no longer lists ${PROJECT}`, run: async ({ api }) => {
      await waitUntil(async () => !(await listProjects(api)).some((p) => p.name === PROJECT),
        () => `GET /api/projects still lists ${PROJECT}`);
    } },
  ];
}

/** The connection status-bar item: by its id (extension id + item id) or anything labelled Hangar. */
export async function findStatusItem(page, log) {
  const byId = page.locator('#hangar-dev\\.hangar\\.connection, [id^="hangar-dev.hangar"][id$="connection"]');
  const byLabel = page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: 'Hangar' });
  const byAria = page.locator('#workbench\\.parts\\.statusbar .statusbar-item[aria-label*="Hangar"], #workbench\\.parts\\.statusbar .statusbar-item:has([aria-label*="Hangar"])');
  return waitUntil(async () => {
    for (const [how, loc] of [['id', byId], ['text', byLabel], ['aria-label', byAria]]) {
      if (await loc.count()) {
        const item = loc.first();
        log(`status bar item found by ${how}: id=${await item.getAttribute('id')} text=${JSON.stringify(await item.innerText())}`);
        return item;
      }
    }
    return undefined;
  }, () => 'no Hangar status bar item').catch(async (err) => {
    throw new Error(`${err.message}; items: ${JSON.stringify(await statusBarItems(page))}`);
  });
}

async function listProjects(api) {
  const res = await fetch(`${api.url}/api/projects`, { headers: { authorization: `Bearer ${api.token}` } });
  if (!res.ok) throw new Error(`GET /api/projects answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  const list = Array.isArray(body) ? body : body.projects ?? body.items ?? body.data;
  if (!Array.isArray(list)) throw new Error(`GET /api/projects: unexpected body ${JSON.stringify(body).slice(0, 300)}`);
  return list;
}

function tierOf(project) {
  const t = project.tier ?? project.tierName ?? project.tierId ?? project.tier_id;
  return typeof t === 'object' && t ? t.name ?? t.id : t;
}
