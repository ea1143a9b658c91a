// Container lifecycle through the UI, on the local runtime (the real opencode): deploy from the
// command palette with its one confirmation, stop and start from the row's inline actions, and a
// crashed project's reason in its tooltip. Runs after localStart.e2e.mjs made PROJECT.
import fs from 'node:fs';
import { runCommand, pickItem, clickDialogButton, openView, waitUntil, hoverText, WAIT } from '../harness/ui.mjs';

const DEPLOY_WAIT = 90_000;

function row(pane, name) {
  return pane.locator('.pane-body .monaco-list-row').filter({ has: pane.page().locator('.label-name', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) }).first();
}

async function description(pane, name) {
  return (await row(pane, name).locator('.label-description').innerText().catch(() => '')).trim();
}

async function waitForStatus(pane, name, status, timeout = WAIT) {
  await waitUntil(async () => (await description(pane, name)).includes(status) || undefined,
    () => `"${name}" never showed "${status}"`, { timeout }).catch(async (err) => {
    throw new Error(`${err.message}; its row says ${JSON.stringify(await description(pane, name))}`);
  });
}

async function clickInline(page, pane, name, label) {
  const r = row(pane, name);
  await r.hover();
  const action = r.locator(`.actions .action-label[aria-label^="${label}"]`);
  await action.waitFor({ timeout: WAIT }).catch(async () => {
    const labels = await r.locator('.actions .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    throw new Error(`no inline "${label}" on "${name}"; inline actions: ${JSON.stringify(labels)}`);
  });
  await action.click();
  await page.mouse.move(700, 300);
}

/** The pid of the local runtime's opencode listening on `port`, from /proc. */
function opencodePid(port) {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const cmd = (() => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } })();
    if (cmd.includes('serve') && cmd.includes(String(port))) return Number(pid);
  }
  return undefined;
}

export function containerSteps(project) {
  return [
    { name: `deploy ${project} from the command palette, one confirmation, until running`, run: async ({ page }) => {
      await runCommand(page, 'Hangar: Deploy Container');
      await pickItem(page, project);
      const message = await clickDialogButton(page, 'Deploy');
      if (!/pro/.test(message) || !/CPU/.test(message)) throw new Error(`the confirmation does not name the tier and its CPU: ${message}`);
      const pane = await openView(page, 'Projects');
      await waitForStatus(pane, project, 'running', DEPLOY_WAIT);
    } },
    { name: `stop ${project} from its inline action`, run: async ({ page }) => {
      const pane = await openView(page, 'Projects');
      await clickInline(page, pane, project, 'Stop Container');
      await waitForStatus(pane, project, 'stopped');
    } },
    { name: `start ${project} from its inline action`, run: async ({ page }) => {
      const pane = await openView(page, 'Projects');
      await clickInline(page, pane, project, 'Start Container');
      await waitForStatus(pane, project, 'running', DEPLOY_WAIT);
    } },
    { name: 'a crashed project shows why in its tooltip', run: async ({ page, api }) => {
      const res = await fetch(`${api.url}/api/projects`, { headers: { authorization: `Bearer ${api.token}` } });
      const p = (await res.json()).items.find((x) => x.name === project);
      const port = new URL(p.urls.agent).port;
      const pid = opencodePid(port);
      if (!pid) throw new Error(`no opencode process serving port ${port}`);
      // The agent's whole process group (a sandboxed one is bwrap, its reaper and opencode) dies, as in a crash.
      process.kill(-pid, 'SIGKILL');
      const pane = await openView(page, 'Projects');
      await waitForStatus(pane, project, 'crashed', 60_000);
      const tip = await waitUntil(async () => {
        const t = await hoverText(page, row(pane, project));
        return /crash|exit|signal|killed/i.test(t) && t;
      }, (last) => `the tooltip does not say why it crashed: ${JSON.stringify(last)}`);
      if (!tip) throw new Error('no tooltip');
    } },
    { name: `delete ${project} with its container`, run: async ({ page }) => {
      await runCommand(page, 'Hangar: Delete Project');
      await pickItem(page, project);
      await clickDialogButton(page, 'Delete');
      const pane = await openView(page, 'Projects');
      await waitUntil(async () => !(await row(pane, project).count()), () => `"${project}" is still in the tree`);
    } },
  ];
}
