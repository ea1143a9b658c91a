// The guards before Stop and Delete as a user meets them (issue #16, item 9): a project imported from
// the loopback GitHub runs with a file the agent left uncommitted. Stop and Delete each show ONE modal
// that names the file; its safe choice is the default button (Enter keeps the project as it is), and
// "… Anyway" goes ahead. Driven by test/harness/run-e2e.mjs (the packaged .vsix, no smoke driver, so
// the modals are VS Code's own dialogs), connected to a local server as `npm start` leaves it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGitFixture } from '../harness/gitFixture.mjs';
import { openActivity, runCommand, pickItem, clickDialogButton, openView, treeLabels, waitUntil, WAIT } from '../harness/ui.mjs';
import { localStartOptions } from './localStart.e2e.mjs';
import { findStatusItem } from './newUser.e2e.mjs';

const PROJECT = 'guarded-work';
const LEFT_OVER = 'draft-by-the-agent.txt';
const DEPLOY_WAIT = 120_000;
/** How long a second modal (or the action Enter must not start) is given to show up. */
const QUIET_MS = 4000;

/** The loopback GitHub the API must trust (started before it), and the connection `npm start` leaves. */
export async function guardFixtures({ log }) {
  const git = await startGitFixture({ log });
  return { env: { HANGAR_GIT_CA_FILE: git.caFile }, ctx: { git }, stop: git.stop };
}
export const guardOptions = localStartOptions;

function git(cwd, args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } });
}

/** A bare repository on the loopback GitHub with one commit on main. */
function createUpstream(root, name) {
  const bare = path.join(root, `${name}.git`);
  git(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-e2e-seed-'));
  git(work, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(work, 'README.md'), '# guarded\n');
  git(work, ['add', '-A']);
  git(work, ['-c', 'user.name=Seed', '-c', 'user.email=seed@hangar.test', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Initial commit']);
  git(work, ['push', '-q', '--', bare, 'HEAD:refs/heads/main']);
  fs.rmSync(work, { recursive: true, force: true });
}

async function call(api, method, p, body) {
  const res = await fetch(`${api.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** The open modal: its text, its buttons in order and the one that has the focus (what Enter presses). */
async function readDialog(page) {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: WAIT }).catch(() => { throw new Error(`no modal dialog within ${WAIT / 1000} s`); });
  const message = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
  const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  const focused = await page.evaluate(() => {
    const el = globalThis.document.activeElement; // runs in the page
    return el?.closest('.monaco-dialog-box') ? (el.textContent ?? '').trim() : null;
  });
  return { message, buttons, focused };
}

/** No modal (a second one, or the one just closed) appears for a while. */
async function noDialogFor(page, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await page.locator('.monaco-dialog-box').count()) {
      const text = (await page.locator('.monaco-dialog-box').first().innerText()).replace(/\s+/g, ' ').trim();
      throw new Error(`${what}: a modal is open: ${JSON.stringify(text)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectOneGuard(dialog, safe, anyway) {
  if (!dialog.message.includes('not on GitHub') || !dialog.message.includes(LEFT_OVER)) {
    throw new Error(`the modal does not name the work that is not on GitHub: ${JSON.stringify(dialog.message)}`);
  }
  if (!dialog.buttons.includes(safe) || !dialog.buttons.includes(anyway)) {
    throw new Error(`the modal has not "${safe}" and "${anyway}": ${JSON.stringify(dialog.buttons)}`);
  }
  if (dialog.focused !== safe) throw new Error(`the default (focused) button is ${JSON.stringify(dialog.focused)}, not "${safe}"`);
}

/** Runs `command` on PROJECT, checks its one guard modal, presses Enter: the modal goes and no other comes. */
async function enterOnGuard(page, log, command, safe, anyway) {
  await runCommand(page, command);
  await pickItem(page, PROJECT);
  const dialog = await readDialog(page);
  log(`${command}: buttons ${JSON.stringify(dialog.buttons)}, focused ${JSON.stringify(dialog.focused)}`);
  expectOneGuard(dialog, safe, anyway);
  await page.keyboard.press('Enter');
  await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: WAIT });
  await noDialogFor(page, QUIET_MS, `after Enter on the guard of ${command}`);
}

export function guardSteps() {
  let project;
  const status = async (api) => (await call(api, 'GET', `/api/projects/${project.id}`)).json?.status;
  return [
    { name: 'connects to the local server', run: async ({ page, log }) => {
      await openActivity(page, 'Hangar');
      const item = await findStatusItem(page, log);
      await waitUntil(async () => /(?<!not )connected/i.test(`${await item.getAttribute('aria-label') ?? ''}`),
        () => 'the status bar never said "Connected"', { timeout: 60_000 });
      await openView(page, 'Projects');
    } },
    { name: `${PROJECT}: imported from the loopback GitHub, running, with a file left uncommitted`, run: async ({ api, git: gh, log }) => {
      const name = `guarded-${Date.now().toString(36)}`;
      createUpstream(gh.root, name);
      const url = `${gh.origin}/${name}.git`;
      const token = await call(api, 'PUT', '/api/github/credential', { token: gh.token, host: new URL(url).host });
      if (token.status !== 200) throw new Error(`PUT /api/github/credential: ${token.status} ${JSON.stringify(token.json)}`);
      const created = await call(api, 'POST', '/api/projects', { name: PROJECT, repository: { url, branch: 'main' } });
      if (created.status !== 201) throw new Error(`POST /api/projects: ${created.status} ${JSON.stringify(created.json)}`);
      project = created.json;
      const deployed = await call(api, 'POST', `/api/projects/${project.id}/deploy`, { force: false });
      if (deployed.status !== 202) throw new Error(`deploy: ${deployed.status} ${JSON.stringify(deployed.json)}`);
      await waitUntil(async () => (await status(api)) === 'running', () => `${PROJECT} is not running`, { timeout: DEPLOY_WAIT });
      await waitUntil(async () => (await call(api, 'GET', `/api/projects/${project.id}/sync`)).json?.importState === 'imported',
        (last) => `the repository was not imported (${last})`, { timeout: 60_000 });
      const workspace = path.join(api.dataDir, 'projects', project.id, 'workspace');
      fs.writeFileSync(path.join(workspace, LEFT_OVER), 'half done\n');
      const sync = await waitUntil(async () => {
        const s = (await call(api, 'GET', `/api/projects/${project.id}/sync`)).json;
        return s?.dirty?.includes(LEFT_OVER) && s;
      }, () => `the sync status does not list ${LEFT_OVER}`);
      log(`sync: ahead ${sync.ahead}, dirty ${JSON.stringify(sync.dirty)}`);
    } },
    { name: 'Delete shows ONE modal naming the work; its default is "Keep Project": Enter deletes nothing', run: async ({ page, api, log }) => {
      await enterOnGuard(page, log, 'Hangar: Delete Project', 'Keep Project', 'Delete Anyway');
      const still = await call(api, 'GET', `/api/projects/${project.id}`);
      if (still.status !== 200 || still.json.status !== 'running') throw new Error(`after Enter: ${still.status} ${JSON.stringify(still.json)}`);
      if (!(await treeLabels(await openView(page, 'Projects'))).includes(PROJECT)) throw new Error(`${PROJECT} left the tree`);
    } },
    { name: 'Stop shows ONE modal; its default is "Keep Running": Enter leaves it running', run: async ({ page, api, log }) => {
      await enterOnGuard(page, log, 'Hangar: Stop Container', 'Keep Running', 'Stop Anyway');
      const now = await status(api);
      if (now !== 'running') throw new Error(`after Enter the project is ${now}`);
    } },
    { name: '"Stop Anyway" stops it, with no further modal', run: async ({ page, api }) => {
      await runCommand(page, 'Hangar: Stop Container');
      await pickItem(page, PROJECT);
      await clickDialogButton(page, 'Stop Anyway');
      await waitUntil(async () => (await status(api)) === 'stopped', () => `${PROJECT} did not stop`, { timeout: 60_000 });
      await noDialogFor(page, 1000, 'after Stop Anyway');
    } },
    { name: '"Delete Anyway" in the one Delete modal deletes it (no second modal)', run: async ({ page, api }) => {
      await runCommand(page, 'Hangar: Delete Project');
      await pickItem(page, PROJECT);
      const dialog = await readDialog(page);
      expectOneGuard(dialog, 'Keep Project', 'Delete Anyway');
      await clickDialogButton(page, 'Delete Anyway');
      await noDialogFor(page, QUIET_MS, 'after Delete Anyway');
      await waitUntil(async () => (await call(api, 'GET', `/api/projects/${project.id}`)).status === 404, () => `${PROJECT} was not deleted`);
      const pane = await openView(page, 'Projects');
      await waitUntil(async () => !(await treeLabels(pane)).includes(PROJECT), () => `"${PROJECT}" is still in the tree`);
    } },
  ];
}
