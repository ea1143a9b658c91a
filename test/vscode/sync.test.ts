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

  it('sets the GitHub token: it reaches the API, which only shows a hint', async () => {
    const token = gitEnvVar('HANGAR_TEST_GIT_TOKEN');
    const info = await vscode.commands.executeCommand<{ configured: boolean; hint: string | null } | undefined>(
      'hangar.setGithubToken', { token, host: new URL(url).host });
    assert.equal(info?.configured, true, 'the command saved nothing: see the Hangar log');
    const stored = (await api('GET', '/api/github/credential')).json as { configured: boolean; hint: string; host: string };
    assert.equal(stored.configured, true);
    assert.equal(stored.host, new URL(url).host);
    assert.ok(!JSON.stringify(stored).includes(token), 'the API answered with the token');
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

  it('imports the repository into a new project and deploys it on the local runtime', async () => {
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
    await waitFor('the workspace to be cloned', async () => fs.existsSync(path.join(workspace, 'notes.txt')), (v) => v, 60_000);
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
    // Selecting the project's row in the Projects view focuses it: the status bar follows. (The row
    // may not be rendered yet at the first try: select until the focus moved.)
    await waitFor('the row selected', () => probe(project.id), (s) => s.focused === project.id, 30_000);
    const p = await waitFor('the sync status', () => probe(), (s) => s.focused === project.id && s.statuses[project.id]?.available === true && !s.statuses[project.id]?.syncing, 60_000);
    assert.equal(p.focusSource, 'tree');
    assert.equal(p.statusBar.visible, true);
    assert.equal(p.statusBar.text, '$(git-branch) main ↑0 ↓0');
  });

  it('shows ↑1 in the status bar and the tree after a commit in the workspace', async () => {
    fs.writeFileSync(path.join(workspace, 'feature.txt'), 'made by the agent\n');
    git(workspace, ['add', 'feature.txt']);
    git(workspace, [...IDENTITY, 'commit', '-q', '-m', 'Add the feature']);
    const fetched = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.fetch', { id: project.id });
    assert.equal(fetched?.operation.state, 'succeeded', JSON.stringify(fetched));
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

  it('opens the conflicting file read-only from the container', async () => {
    // opencode's first file read can be slow on a loaded machine: wait until the agent answers one.
    await waitFor('the agent to read a file', async () => (await api('GET', `/api/projects/${project.id}/opencode/file/content?path=notes.txt`)).status,
      (st) => st === 200, 90_000);
    try {
      await openConflictingFile();
    } finally {
      // The user gives up on this merge in the workspace (the agent could do the same).
      git(workspace, ['merge', '--abort']);
    }
  });

  async function openConflictingFile(): Promise<void> {
    const opened = await vscode.commands.executeCommand<Array<{ file: string; how: string }>>('hangar.openConflicts', { id: project.id });
    assert.deepEqual(opened, [{ file: 'notes.txt', how: 'container' }], JSON.stringify((await probe()).notices.at(-1)));
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'hangar-remote');
    // The agent's file route trims the final newline.
    assert.equal(doc?.getText().trim(), fs.readFileSync(path.join(workspace, 'notes.txt'), 'utf8').trim());
    assert.match(doc?.getText() ?? '', /<<<<<<< HEAD\nline one, as the agent wants it\n=======\nline one, as upstream wants it\n>>>>>>> /);
    await screenshot('sync-05-remote-file.png');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }

  it('opens the conflicting file in the merge editor when this VS Code has a clone of the same repository', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs with a workspace folder');
    // The workspace folder becomes a clone of the repository, with notes.txt in conflict.
    git(folder, ['init', '-q', '-b', 'main']);
    try {
      git(folder, ['remote', 'add', 'origin', url]);
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'line one\nline two\n');
      git(folder, ['add', 'notes.txt']);
      git(folder, [...IDENTITY, 'commit', '-q', '-m', 'base']);
      git(folder, ['checkout', '-q', '-b', 'theirs']);
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'line one, theirs\nline two\n');
      git(folder, [...IDENTITY, 'commit', '-q', '-am', 'theirs']);
      git(folder, ['checkout', '-q', 'main']);
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'line one, ours\nline two\n');
      git(folder, [...IDENTITY, 'commit', '-q', '-am', 'ours']);
      assert.throws(() => git(folder, [...IDENTITY, 'merge', '-q', 'theirs']));
      assert.equal(git(folder, ['status', '--porcelain']).trim(), 'UU notes.txt');
      const opened = await vscode.commands.executeCommand<Array<{ file: string; how: string }>>('hangar.openConflicts', { id: project.id });
      assert.deepEqual(opened, [{ file: 'notes.txt', how: 'mergeEditor' }], JSON.stringify((await probe()).notices.at(-1)));
      await new Promise((r) => setTimeout(r, 2000)); // let the merge editor render its panes for the picture
      await screenshot('sync-06-merge-editor.png');
    } finally {
      // The merge editor's result is dirty: revert it, or closing asks to save.
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      try { git(folder, ['merge', '--abort']); } catch { /* not merging */ }
      fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
      fs.rmSync(path.join(folder, 'notes.txt'), { force: true });
    }
  });

  it('force push (with lease) overwrites the upstream commit and says so', async () => {
    await vscode.commands.executeCommand('hangar.fetch', { id: project.id });
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.forcePush', { id: project.id, confirm: true });
    assert.equal(outcome?.result?.ok, true, JSON.stringify(outcome));
    assert.deepEqual(outcome?.result?.overwritten.map((c) => c.subject), ['Reword line one upstream']);
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
