import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { activeExtension, api, env, snapshot, uniqueName, waitFor } from './helpers';

const run = promisify(execFile);

interface ProjectLike { id: string; name: string; slug: string; status: string; urls: { vnc: string | null } }
/** What `hangar.internal.desktop` returns (test/vscode/hooks/desktopHooks.ts). */
interface DesktopProbe {
  title: string;
  ready: boolean;
  state?: { state: string; detail?: string; viewOnly: boolean; scale: string; width?: number; height?: number; connects: number };
  ticketsIssued: number;
  lastSavedScreenshot?: string;
  screenshotNotices: string[];
}
interface TestResult { ok: boolean; colors?: string[]; error?: string }

const probe = (id: string) => async () => vscode.commands.executeCommand<DesktopProbe | undefined>('hangar.internal.desktop', { projectId: id });
const test = async (id: string, t: unknown): Promise<TestResult> => vscode.commands.executeCommand<TestResult>('hangar.internal.desktop', { projectId: id, test: t });

/** Asks the harness for a screenshot of the workbench and waits until the file is there. */
async function screenshot(name: string): Promise<void> {
  const ext = await activeExtension();
  const file = path.join(ext.extensionPath, 'test-results', name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

describe('desktop panel (noVNC over the ticketed bridge)', function () {
  this.timeout(180_000);
  let project: ProjectLike | undefined;
  let xev: ChildProcess | undefined;

  const desktopJson = () => JSON.parse(fs.readFileSync(path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', project!.id, 'desktop.json'), 'utf8')) as { display: number; vncPid: number };
  const paint = (color: string) => run('xsetroot', ['-display', `:${desktopJson().display}`, '-solid', color]);
  const sampled = async (color: string) => waitFor(`the canvas to show ${color}`, () => test(project!.id, { action: 'sample', points: [{ x: 100, y: 100 }, { x: 1200, y: 80 }, { x: 40, y: 760 }] }),
    (r) => r.ok && (r.colors ?? []).every((c) => c === color), 20_000);

  before(async function () {
    for (const bin of ['Xvfb', 'x11vnc', 'xsetroot', 'xev']) {
      if (!(process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, bin)))) {
        if (process.env.CI === 'true') throw new Error(`${bin} is required (test/harness/setup-debian.sh)`);
        this.skip();
      }
    }
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    const created = await api('POST', '/api/projects', { name: uniqueName('desk'), tierId: 'desktop' });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    project = created.json as ProjectLike;
    const id = project.id;
    assert.equal((await api('POST', `/api/projects/${id}/deploy`, { force: false })).status, 202);
    const p = await waitFor('the desktop project to run', async () => (await api('GET', `/api/projects/${id}`)).json as ProjectLike,
      (x) => x.status === 'running' || x.status === 'failed', 90_000);
    assert.equal(p.status, 'running');
    // x11vnc listens on a private unix socket only (no TCP port): the bridge is the only way in.
    assert.match(p.urls.vnc ?? '', /^unix:\/\S+\/vnc\.sock$/);
    await paint('#3366cc');
  });

  after(async () => {
    xev?.kill();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
  });

  it('shows the desktop badge and "Open Desktop" on the project\'s row', async () => {
    const row = (await waitFor('the row', snapshot, (s) => s.projectRows.some((r) => r.id === project!.id && r.contextValue.endsWith('.desktop')))).projectRows.find((r) => r.id === project!.id)!;
    assert.equal(row.icon, 'device-desktop');
    assert.match(row.contextValue, /^project\.running(\.agentUrl)?\.desktop$/);
  });

  it('opens the screen: the pixels xsetroot drew are on noVNC\'s canvas in the webview', async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.openDesktop', { id: project!.id }), true);
    const p = await waitFor('the desktop to connect', probe(project!.id), (x) => x?.state?.state === 'connected', 30_000);
    assert.equal(p!.title, `Desktop: ${project!.name}`);
    assert.deepEqual([p!.state!.width, p!.state!.height], [1280, 800]);
    assert.equal(p!.ticketsIssued, 1);
    await sampled('#3366cc');
    // The Hangar view beside it: the project's row with its desktop icon.
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
    await screenshot('desktop-01-connected.png');
  });

  it('a key typed in control mode reaches an X client; in view-only mode nothing is sent', async () => {
    const display = `:${desktopJson().display}`;
    let out = '';
    xev = spawn('xev', ['-root', '-event', 'keyboard', '-display', display], { stdio: ['ignore', 'pipe', 'pipe'] });
    xev.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    // xev prints nothing until an event: give it a moment to select input on the root window.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await test(project!.id, { action: 'viewOnly', value: true }), { ok: true });
    await waitFor('view-only', probe(project!.id), (x) => x?.state?.viewOnly === true);
    assert.deepEqual(await test(project!.id, { action: 'type', key: 'q' }), { ok: true });
    await screenshot('desktop-02-view-only.png');
    assert.deepEqual(await test(project!.id, { action: 'viewOnly', value: false }), { ok: true });
    await waitFor('control', probe(project!.id), (x) => x?.state?.viewOnly === false);
    assert.deepEqual(await test(project!.id, { action: 'type', key: 'k' }), { ok: true });
    await waitFor('xev to see the k', async () => out, (o) => /keysym 0x6b, k\)/.test(o), 10_000);
    // Same connection, in order: had view-only sent the q, it would have arrived before the k.
    assert.doesNotMatch(out, /keysym 0x71, q\)/);
  });

  it('saves a screenshot of the screen as a PNG file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-shot-')), 'screen.png');
    await vscode.commands.executeCommand('hangar.internal.desktop', { projectId: project!.id, screenshotTo: file });
    assert.deepEqual(await test(project!.id, { action: 'screenshot' }), { ok: true });
    await waitFor('the screenshot file', probe(project!.id), (x) => x?.lastSavedScreenshot === file);
    // The user is told where it went (the save dialog closes without a word).
    await waitFor('the saved confirmation', probe(project!.id), (x) => !!x?.screenshotNotices.includes(`Hangar: desktop screenshot saved to ${file}`));
    const png = fs.readFileSync(file);
    assert.equal(png.readUInt32BE(0), 0x89504e47);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1280, 800]);
  });

  it('reconnects by itself with a fresh ticket after the VNC link drops', async () => {
    const before = (await probe(project!.id)())!;
    // x11vnc's own remote control cuts every client: the bridge's upstream ends under it.
    await run('x11vnc', ['-display', `:${desktopJson().display}`, '-R', 'disconnect:all'], { timeout: 15_000 });
    const after = await waitFor('a reconnect with a new ticket', probe(project!.id),
      (x) => x?.state?.state === 'connected' && x.ticketsIssued > before.ticketsIssued && x.state.connects > before.state!.connects, 30_000);
    assert.equal(after!.ticketsIssued, before.ticketsIssued + 1);
    await paint('#cc6633');
    await sampled('#cc6633');
  });

  it('follows a project restart: new display, new ticket, the new screen', async () => {
    const before = (await probe(project!.id)())!;
    const oldVnc = desktopJson().vncPid;
    assert.equal((await api('POST', `/api/projects/${project!.id}/restart`, {})).status, 202);
    await waitFor('the restart', async () => ((await api('GET', `/api/projects/${project!.id}`)).json as ProjectLike).status, (s) => s === 'running', 90_000);
    assert.notEqual(desktopJson().vncPid, oldVnc, 'a restart starts a new VNC server');
    await waitFor('the panel to reconnect', probe(project!.id), (x) => x?.state?.state === 'connected' && x.ticketsIssued > before.ticketsIssued, 40_000);
    await paint('#33aa55');
    await sampled('#33aa55');
    await screenshot('desktop-03-after-restart.png');
  });

  it('the chat of a desktop-tier project offers Open Desktop, and it opens the panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the desktop panel to close', probe(project!.id), (x) => x === undefined);
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id: project!.id }), true);
    type ChatProbe = { ready: boolean; posted: Array<{ type: string; project?: { desktop?: boolean } }> };
    const chat = async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: project!.id });
    await waitFor('the chat to know the project has a desktop', chat,
      (c) => !!c?.posted.some((m) => m.type === 'chat.init' && m.project?.desktop === true), 60_000);
    await new Promise((r) => setTimeout(r, 300)); // one render, for the screenshot
    await screenshot('desktop-04-chat-button.png');
    assert.deepEqual(await vscode.commands.executeCommand('hangar.internal.chat', { projectId: project!.id, inject: { type: 'chat.openDesktop' } }), { ok: true });
    await waitFor('the desktop panel from the chat', probe(project!.id), (x) => x?.state?.state === 'connected', 30_000);
  });
});
