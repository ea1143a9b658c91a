import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, api, env, snapshot, uniqueName, waitFor } from './helpers';

// GitHub sync inside the real VS Code: a loopback "GitHub" (test/fixtures/gitHttp, started by the
// harness; the API trusts its certificate), the real API with the local runtime and real git.

interface SyncCommit { hash: string; subject: string }
interface SyncStatus { available: boolean; ahead: number; behind: number; conflicted: string[]; syncing: boolean; message: string | null }
interface SyncProbe {
  focused: string | undefined;
  focusSource: string | undefined;
  statusBar: { visible: boolean; text: string; tooltip: string; warning: boolean; projectId: string | undefined };
  statuses: Record<string, SyncStatus>;
  notices: Array<{ kind: string; level: string; projectId: string | undefined; message: string; items: string[] }>;
}
interface SyncOutcome {
  operation: { id: string; kind: string; state: string; error: string | null };
  result: { ok: boolean; commits: SyncCommit[]; conflicted: string[]; overwritten: SyncCommit[]; message: string } | undefined;
}
interface ProjectLike { id: string; name: string; status: string; repository: { url: string; branch: string } | null }

function gitEnvVar(name: 'HANGAR_TEST_GIT_ORIGIN' | 'HANGAR_TEST_GIT_ROOT' | 'HANGAR_TEST_GIT_TOKEN'): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this suite through test/harness/run-vscode-suite.mjs (it starts the loopback GitHub)`);
  return v;
}

const IDENTITY = ['-c', 'user.name=Test Agent', '-c', 'user.email=agent@hangar.test', '-c', 'commit.gpgsign=false'];
function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } });
}

/** A bare repository on the loopback GitHub, seeded with one commit (like fakeGithub.createRepo). */
function createUpstream(root: string, name: string, files: Record<string, string>): string {
  const bare = path.join(root, `${name}.git`);
  git(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  git(bare, ['config', 'http.receivepack', 'true']);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-seed-'));
  git(work, ['init', '-q', '-b', 'main']);
  for (const [f, c] of Object.entries(files)) fs.writeFileSync(path.join(work, f), c);
  git(work, ['add', '-A']);
  git(work, [...IDENTITY, 'commit', '-q', '-m', 'Initial commit']);
  git(work, ['push', '-q', '--', bare, 'HEAD:refs/heads/main']);
  fs.rmSync(work, { recursive: true, force: true });
  return bare;
}

/** Someone else commits on GitHub. */
function commitUpstream(bare: string, file: string, content: string, message: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-upstream-'));
  git(work, ['clone', '-q', '--', bare, '.']);
  fs.writeFileSync(path.join(work, file), content);
  git(work, [...IDENTITY, 'commit', '-q', '-am', message]);
  git(work, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
  fs.rmSync(work, { recursive: true, force: true });
}

async function probe(select?: string): Promise<SyncProbe> {
  return vscode.commands.executeCommand<SyncProbe>('hangar.internal.sync', select ? { select } : undefined);
}

/** Asks the harness for a screenshot of the workbench and waits until the file is there. */
async function screenshot(name: string): Promise<void> {
  const ext = await activeExtension();
  const file = path.join(ext.extensionPath, 'test-results', name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

describe('sync', function () {
  this.timeout(180_000);
  const repoName = uniqueName('repo');
  let bare: string;
  let url: string;
  let project: ProjectLike;
  let workspace: string;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    bare = createUpstream(gitEnvVar('HANGAR_TEST_GIT_ROOT'), repoName, { 'notes.txt': 'line one\nline two\n' });
    url = `${gitEnvVar('HANGAR_TEST_GIT_ORIGIN')}/${repoName}.git`;
  });

  let plain: ProjectLike | undefined;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (plain) await api('DELETE', `/api/projects/${plain.id}`);
    if (project) await api('DELETE', `/api/projects/${project.id}?ignoreUnsynced=true`);
  });

  it('refuses a repository URL the API would refuse, before any request, and says why', async () => {
    const before = (await snapshot()).projectNames.length;
    const r = await vscode.commands.executeCommand('hangar.importFromGithub', { url: 'ext::sh -c touch% /tmp/pwned', name: uniqueName('evil') });
    assert.equal(r, undefined);
    const notice = (await probe()).notices.at(-1);
    assert.equal(notice?.kind, 'failed');
    assert.match(notice?.message ?? '', /not a valid repository URL: an https:\/\/ repository URL without credentials/);
    assert.equal((await snapshot()).projectNames.length, before);
  });

  it('a first import with no token for the repository\'s host fails as a notification with the reason and Retry Import', async () => {
    const name = uniqueName('synced');
    const created = await vscode.commands.executeCommand<ProjectLike | undefined>('hangar.importFromGithub', { url, branch: 'main', name });
    assert.ok(created, 'import created no project: see the Hangar log');
    project = created;
    assert.deepEqual(project.repository && { url: project.repository.url, branch: project.repository.branch }, { url, branch: 'main' });
    const deployed = await vscode.commands.executeCommand<{ operation: { id: string } } | undefined>('hangar.deployContainer', { id: project.id, confirm: true });
    assert.ok(deployed, 'deploy returned nothing');
    await waitFor('the project to run', async () => (await snapshot()).projectRows.find((r) => r.id === project.id)?.contextValue ?? '',
      (c) => /^project\.(running|failed|crashed)/.test(c), 90_000);
    workspace = path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', project.id, 'workspace');
    const host = new URL(url).host;
    const failed = await waitFor('the import failure notification', () => probe(),
      (p) => p.notices.some((n) => n.projectId === project.id && /importing the repository/.test(n.message)), 90_000);
    const notice = failed.notices.find((n) => n.projectId === project.id && /importing the repository/.test(n.message))!;
    assert.equal(notice.level, 'error');
    assert.equal(notice.message, `Hangar: importing the repository into "${name}" failed: No token was sent: ${host} asked for credentials and you have no token for ${host}. `
      + `Set one for ${host} with Hangar: Set GitHub Token (scope "repo"), then Retry Import.`);
    assert.deepEqual(notice.items, ['Set GitHub Token', 'Retry Import', 'Show Log']);
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
    await waitFor('the row selected', () => probe(project.id), (st) => st.focused === project.id, 30_000);
    const p = await waitFor('"import failed" in the status bar', () => probe(), (st) => st.statusBar.text === '$(git-branch) main $(error) import failed', 30_000);
    assert.equal(p.statusBar.warning, true);
    assert.match(p.statusBar.tooltip, /The import of .* failed: No token was sent/);
    const row = (await snapshot()).projectRows.find((r) => r.id === project.id);
    assert.match(row?.description ?? '', /import failed$/);
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('sync-00-import-failed.png');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('sets the GitHub token for the repository\'s host: it reaches the API, which only shows a hint', async () => {
    const token = gitEnvVar('HANGAR_TEST_GIT_TOKEN');
    const info = await vscode.commands.executeCommand<{ configured: boolean; hint: string | null } | undefined>(
      'hangar.setGithubToken', { token, host: new URL(url).host });
    assert.equal(info?.configured, true, 'the command saved nothing: see the Hangar log');
    const stored = (await api('GET', `/api/github/credential?host=${encodeURIComponent(new URL(url).host)}`)).json as { configured: boolean; hint: string; host: string };
    assert.equal(stored.configured, true);
    assert.equal(stored.host, new URL(url).host);
    assert.ok(!JSON.stringify(stored).includes(token), 'the API answered with the token');
  });

  it('Retry Import imports the repository without Stop/Start', async () => {
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.retryImport', { id: project.id });
    assert.equal(outcome?.operation.kind, 'import', JSON.stringify(outcome));
    assert.equal(outcome?.result?.ok, true, JSON.stringify(outcome));
    assert.ok(fs.existsSync(path.join(workspace, 'notes.txt')));
    const p = await waitFor('the sync status', () => probe(), (s) => s.focused === project.id && s.statuses[project.id]?.available === true && !s.statuses[project.id]?.syncing, 60_000);
    assert.equal(p.statusBar.text, '$(git-branch) main ↑0 ↓0');
    assert.equal((await snapshot()).projectRows.find((r) => r.id === project.id)?.contextValue.startsWith('project.running'), true, 'the project kept running');
  });

  it('shows ↑1 in the status bar and the tree after a commit in the workspace', async () => {
    fs.writeFileSync(path.join(workspace, 'feature.txt'), 'made by the agent\n');
    git(workspace, ['add', 'feature.txt']);
    git(workspace, [...IDENTITY, 'commit', '-q', '-m', 'Add the feature']);
    // No Fetch: the API re-reads running projects' git state and tells the extension.
    const p = await waitFor('↑1 in the status bar', () => probe(), (s) => s.statusBar.text === '$(git-branch) main ↑1 ↓0', 30_000);
    assert.match(p.statusBar.tooltip, /1 commit to push/);
    const row = (await snapshot()).projectRows.find((r) => r.id === project.id);
    assert.match(row?.description ?? '', /↑1 ↓0$/);
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
    await screenshot('sync-01-ahead.png');
  });

  it('pushes from the status bar\'s quick pick: ↑0, and GitHub has the commit', async () => {
    // The quick pick the status-bar item opens; its first item is Push.
    const menu = Promise.resolve(vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.syncMenu', { id: project.id }));
    const state: { done: boolean; outcome?: SyncOutcome } = { done: false };
    void menu.then((o) => { state.done = true; state.outcome = o; });
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('sync-02-quick-pick.png');
    await waitFor('Push to be picked and to finish', async () => {
      if (!state.done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return state.done;
    }, (v) => v, 60_000);
    const done = state.outcome;
    assert.equal(done?.operation.kind, 'push', JSON.stringify(done));
    assert.equal(done?.result?.ok, true, JSON.stringify(done));
    assert.deepEqual(done?.result?.commits.map((c) => c.subject), ['Add the feature']);
    assert.equal(git(bare, ['log', '-1', '--format=%s', 'refs/heads/main']).trim(), 'Add the feature');
    const p = await waitFor('↑0 in the status bar', () => probe(), (s) => s.statusBar.text === '$(git-branch) main ↑0 ↓0', 30_000);
    assert.ok(p.notices.some((n) => n.kind === 'summary' && /pushed 1 commit from ".*": “Add the feature”/.test(n.message)), JSON.stringify(p.notices));
  });

  it('a divergent upstream commit makes the pull conflict: the notification lists the file with its choices', async () => {
    commitUpstream(bare, 'notes.txt', 'line one, as upstream wants it\nline two\n', 'Reword line one upstream');
    fs.writeFileSync(path.join(workspace, 'notes.txt'), 'line one, as the agent wants it\nline two\n');
    git(workspace, [...IDENTITY, 'commit', '-q', '-am', 'Reword line one in the workspace']);
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.pull', { id: project.id, mode: 'merge', dirty: 'commit' });
    assert.deepEqual(outcome?.result?.conflicted, ['notes.txt'], JSON.stringify(outcome));
    const p = await waitFor('the conflict notification', () => probe(), (s) => s.notices.some((n) => n.kind === 'conflict'), 10_000);
    const notice = p.notices.find((n) => n.kind === 'conflict')!;
    assert.equal(notice.level, 'warning');
    assert.match(notice.message, /conflicts in 1 file: notes\.txt\. The pull was aborted and the workspace is clean/);
    assert.deepEqual(notice.items, ['Force Push', 'Pull and Merge', 'Open Conflicting Files', 'Cancel']);
    // Nothing lost: the agent's commit is there, no merge in progress, nothing uncommitted.
    assert.equal(git(workspace, ['status', '--porcelain']).trim(), '');
    assert.equal(git(workspace, ['log', '-1', '--format=%s']).trim(), 'Reword line one in the workspace');
    assert.ok(!fs.existsSync(path.join(workspace, '.git', 'MERGE_HEAD')));
    await waitFor('↑1 ↓1 in the status bar', () => probe(), (s) => s.statusBar.text === '$(git-branch) main ↑1 ↓1', 30_000);
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('sync-03-conflict.png');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('Pull and Merge keeps the merge in progress: the status bar turns to a warning', async () => {
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.pull', { id: project.id, mode: 'merge', dirty: 'commit', onConflict: 'keep' });
    assert.deepEqual(outcome?.result?.conflicted, ['notes.txt'], JSON.stringify(outcome));
    const p = await waitFor('the warning in the status bar', () => probe(), (s) => s.statusBar.warning, 30_000);
    assert.match(p.statusBar.text, /^\$\(git-branch\) main\*? ↑1 ↓1 \$\(warning\) 1$/);
    assert.match(p.statusBar.tooltip, /Conflicts in 1 file:\*\* notes\\\.txt/);
    const notice = p.notices.filter((n) => n.kind === 'conflict').at(-1)!;
    assert.match(notice.message, /kept in progress/);
    assert.deepEqual(notice.items, ['Open Conflicting Files', 'Force Push', 'Cancel']);
    assert.ok(fs.existsSync(path.join(workspace, '.git', 'MERGE_HEAD')));
    await screenshot('sync-04-merge-kept.png');
  });

  it('opens the conflicting file in the merge editor with base, ours and theirs from the workspace during the kept merge', async () => {
    // opencode's first file read can be slow on a loaded machine: wait until the agent answers one.
    await waitFor('the agent to read a file', async () => (await api('GET', `/api/projects/${project.id}/opencode/file/content?path=notes.txt`)).status,
      (st) => st === 200, 90_000);
    const opened = await vscode.commands.executeCommand<Array<{ file: string; how: string }>>('hangar.openConflicts', { id: project.id });
    assert.deepEqual(opened, [{ file: 'notes.txt', how: 'mergeEditor' }], JSON.stringify((await probe()).notices.at(-1)));
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { base: vscode.Uri; input1: vscode.Uri; input2: vscode.Uri; result: vscode.Uri };
    const text = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();
    const stage = (n: number) => git(workspace, ['show', `:${n}:notes.txt`]);
    assert.equal(await text(input.base), stage(1));
    assert.equal(await text(input.input1), stage(2));
    assert.equal(await text(input.input2), stage(3));
    assert.equal(await text(input.input1), 'line one, as the agent wants it\nline two\n');
    assert.equal(await text(input.input2), 'line one, as upstream wants it\nline two\n');
    assert.match(await text(input.result), /<<<<<<< HEAD\nline one, as the agent wants it\n=======\nline one, as upstream wants it\n>>>>>>> /);
    await new Promise((r) => setTimeout(r, 2000)); // let the merge editor render its panes for the picture
    await screenshot('sync-05-merge-editor.png');
    // The result is the workspace's file, writable (saving it resolves the file through the API: see
    // test/integration/sync/everydayPaths.test.ts); left unchanged here.
    assert.equal((await vscode.workspace.fs.stat(input.result)).permissions, undefined, 'the result can be edited');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Force Push during the kept merge aborts it first, overwrites the upstream commit and says so', async () => {
    assert.ok(fs.existsSync(path.join(workspace, '.git', 'MERGE_HEAD')), 'the merge is still kept');
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.forcePush', { id: project.id, confirm: true });
    assert.equal(outcome?.result?.ok, true, JSON.stringify(outcome));
    assert.deepEqual(outcome?.result?.overwritten.map((c) => c.subject), ['Reword line one upstream']);
    assert.match(outcome?.result?.message ?? '', /The merge that was in progress was aborted first\./);
    assert.ok(!fs.existsSync(path.join(workspace, '.git', 'MERGE_HEAD')), 'no merge left against the overwritten commit');
    assert.equal(git(bare, ['log', '-1', '--format=%s', 'refs/heads/main']).trim(), 'Reword line one in the workspace');
    await waitFor('↑0 ↓0 in the status bar', () => probe(), (s) => s.statusBar.text === '$(git-branch) main ↑0 ↓0', 30_000);
  });

  it('hides for a focused project without a repository and follows the active chat panel', async () => {
    plain = (await api('POST', '/api/projects', { name: uniqueName('plain') })).json as ProjectLike;
    await waitFor('the plain project in the tree', snapshot, (sn) => sn.projectRows.some((r) => r.id === plain!.id), 10_000);
    const hidden = await waitFor('the plain project focused', () => probe(plain!.id), (p) => p.focused === plain!.id, 30_000);
    assert.equal(hidden.statusBar.visible, false);
    await vscode.commands.executeCommand('hangar.openChat', { id: project.id });
    const shown = await waitFor('the chat\'s project focused', () => probe(), (p) => p.focused === project.id, 10_000);
    assert.equal(shown.focusSource, 'chat');
    assert.equal(shown.statusBar.visible, true);
    assert.equal(shown.statusBar.text, '$(git-branch) main ↑0 ↓0');
    await screenshot('sync-07-chat-focus.png');
  });
});
