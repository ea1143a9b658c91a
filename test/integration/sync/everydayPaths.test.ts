// Issue #16, GitHub sync: the user's sequences against a real API on the local runtime, real git in
// the workspace, and the loopback fake GitHub over https with token auth.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { ErrorBody, GithubCredentialInfo, Project, SyncConflictFile, SyncResult, SyncStatus } from '../../../backend/contract';
import { startFakeGithub, type FakeGithub } from '../../fixtures/gitHttp/fakeGithub';
import { ev, hookBody, postHook } from '../activity/webhookSupport';
import { finished, startSyncApi, syncAction, syncStatus, until, workspace, type SyncApi } from './support';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

describe('GitHub sync, everyday paths (issue #16; local runtime, real git over https)', function () {
  this.timeout(240_000);
  const token = `ghp_${SECRET_MARKER}${crypto.randomBytes(18).toString('hex')}`;
  let fake: FakeGithub;
  let api: SyncApi;
  let gitHost: string;
  const projects: Project[] = [];

  before(async function () {
    this.timeout(120_000);
    fake = await startFakeGithub({ token, hosts: ['127.0.0.1'] });
    fake.createRepo('acme/tools', { 'README.md': '# tools\n', 'a.txt': 'one\ntwo\nthree\n' });
    fake.commit('acme/tools', { 'b.txt': 'b\n' }, 'Upstream: b');
    fake.commit('acme/tools', { 'c.txt': 'c\n' }, 'Upstream: c');
    // HANGAR_SYNC_ACTIVE_POLL_MS stays at its default (1 s); the slow poll is off (support.ts).
    api = await startSyncApi({ HANGAR_RUNTIME: 'local' }, fake.caFile);
    gitHost = `127.0.0.1:${fake.port}`;
  });

  after(async function () {
    this.timeout(120_000);
    for (const p of projects) await api.http.del(`/api/projects/${p.id}?deleteVolumes=true&confirm=${p.slug}&ignoreUnsynced=true`).catch(() => undefined);
    await api?.close();
    await fake?.close();
  });

  async function deploy(name: string, repo: string): Promise<Project> {
    const project = (await api.http.post<Project>('/api/projects', { name, repository: { url: fake.url('127.0.0.1', repo), branch: 'main' } })).body;
    projects.push(project);
    const op = await api.http.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false });
    const done = await finished(api, project.id, op.body.id);
    assert.equal(done.state, 'succeeded', done.error ?? '');
    return project;
  }

  async function importResult(projectId: string): Promise<SyncResult> {
    const frame = await api.events.waitFor((f) => f.event === 'sync.result' && JSON.parse(f.data!).data.projectId === projectId, 120_000);
    await until('the import to finish', async () => (api.server.services.operations.isBusy(projectId) ? undefined : true));
    return JSON.parse(frame.data!).data.result as SyncResult;
  }

  it('keeps a token per host: setting one for another host keeps the first, each is listed', async () => {
    const gh = await api.http.call<GithubCredentialInfo>('PUT', '/api/github/credential', { token: 'ghp_forgithubcom000000000' });
    assert.deepEqual([gh.status, gh.body.host], [200, 'github.com']);
    const ghe = await api.http.call<GithubCredentialInfo>('PUT', '/api/github/credential', { token: 'ghp_forenterprise00000000', host: 'GHE.example.com:8443' });
    assert.deepEqual([ghe.body.host, ghe.body.hosts.map((h) => h.host)], ['ghe.example.com:8443', ['ghe.example.com:8443', 'github.com']]);
    const one = await api.http.get<GithubCredentialInfo>('/api/github/credential?host=github.com');
    assert.deepEqual([one.body.configured, one.body.hint], [true, 'ghp_…0000']);
    const none = await api.http.get<GithubCredentialInfo>(`/api/github/credential?host=${encodeURIComponent(gitHost)}`);
    assert.deepEqual([none.body.configured, none.body.host, none.body.hosts.length], [false, gitHost, 2]);
    const bad = await api.http.get<ErrorBody>('/api/github/credential?host=not%20a%20host');
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'invalid_host']);
    assert.equal((await api.http.del('/api/github/credential?host=ghe.example.com:8443')).status, 204);
    assert.deepEqual((await api.http.get<GithubCredentialInfo>('/api/github/credential')).body.hosts.map((h) => h.host), ['github.com']);
  });

  let tools: Project;

  it('fails the first import honestly when no token is for the repository\'s host, then Retry Import works without Stop/Start', async () => {
    // Only the github.com token exists: nothing may be sent to the private host, and the message says so.
    tools = await deploy('tools', 'acme/tools');
    const failed = await importResult(tools.id);
    assert.equal(failed.ok, false);
    assert.match(failed.message, new RegExp(`^No token was sent: ${gitHost.replace(/\./g, '\\.')} asked for credentials and you have no token for`));
    assert.doesNotMatch(failed.message, /refused the token/);
    const importOp = (await api.http.get<{ items: { kind: string; state: string }[] }>(`/api/projects/${tools.id}/operations`)).body.items.find((o) => o.kind === 'import');
    assert.equal(importOp?.state, 'failed', 'the import is an operation that failed');
    const st = await syncStatus(api, tools.id);
    assert.deepEqual([st.available, st.importState, st.ahead, st.behind], [false, 'failed', 0, 0]);
    assert.match(st.message ?? '', /^The import of .*acme\/tools\.git failed: No token was sent: .* Retry Import once that is fixed\.$/);
    // Fetch and pull cannot pretend "up to date" against nothing.
    for (const action of ['fetch', 'pull', 'push']) {
      const res = await api.http.post<ErrorBody>(`/api/projects/${tools.id}/sync/${action}`, {});
      assert.deepEqual([res.status, res.body.error.code], [409, 'not_imported'], action);
      assert.match(res.body.error.message, /has not been imported into the workspace yet.*Retry Import/);
    }
    await api.http.call('PUT', '/api/github/credential', { token, host: gitHost });
    const retry = await syncAction(api, tools.id, 'import');
    assert.equal(retry.op.state, 'succeeded', retry.result.message);
    assert.match(retry.result.message, /^Imported .*acme\/tools\.git \(branch main at [0-9a-f]{7}\)/);
    const after = await syncStatus(api, tools.id);
    assert.deepEqual([after.available, after.importState, after.ahead, after.behind, after.message], [true, 'imported', 0, 0, null]);
    assert.equal(await workspace(api, tools.id).read('c.txt'), 'c\n');
    assert.equal((await api.http.get<GithubCredentialInfo>('/api/github/credential')).body.hosts.length, 2, 'the github.com token is still there');
  });

  it('counts an unborn branch as behind origin (not "up to date") and pulls the upstream commits into it', async () => {
    await api.http.call('PUT', '/api/github/credential', { token, host: gitHost });
    fake.createEmptyRepo('acme/fresh');
    const fresh = await deploy('fresh', 'acme/fresh');
    const connected = await importResult(fresh.id);
    assert.equal(connected.ok, true, connected.message);
    fake.commit('acme/fresh', { 'one.txt': '1\n' }, 'Upstream: one');
    fake.commit('acme/fresh', { 'two.txt': '2\n' }, 'Upstream: two');
    fake.commit('acme/fresh', { 'three.txt': '3\n' }, 'Upstream: three');
    const fetched = await syncAction(api, fresh.id, 'fetch');
    assert.equal(fetched.op.state, 'succeeded', fetched.result.message);
    assert.equal(fetched.result.message, 'Fetched main: 0 ahead, 3 behind origin/main.');
    const st = await syncStatus(api, fresh.id);
    assert.deepEqual([st.ahead, st.behind, st.commitsBehind.map((c) => c.subject)], [0, 3, ['Upstream: three', 'Upstream: two', 'Upstream: one']]);
    const pulled = await syncAction(api, fresh.id, 'pull');
    assert.equal(pulled.op.state, 'succeeded', pulled.result.message);
    assert.equal(pulled.result.commits.length, 3);
    assert.equal(await workspace(api, fresh.id).read('three.txt'), '3\n');
    assert.deepEqual((({ ahead, behind }: SyncStatus) => [ahead, behind])(await syncStatus(api, fresh.id)), [0, 0]);
  });

  it('Force Push during a kept merge aborts the merge first: nothing mid-merge against the overwritten commit', async () => {
    const ws = workspace(api, tools.id);
    fake.commit('acme/tools', { 'a.txt': 'one\nTWO upstream\nthree\n' }, 'Upstream: edit a');
    await ws.commit({ 'a.txt': 'one\ntwo agent\nthree\n' }, 'Agent: edit a');
    const kept = await syncAction(api, tools.id, 'pull', { onConflict: 'keep' });
    assert.deepEqual([kept.result.ok, kept.result.conflicted], [false, ['a.txt']]);
    assert.equal((await syncStatus(api, tools.id)).inProgress, 'merge');
    // Open Conflicting Files reads both sides and the base from the workspace as it is now (git's stages).
    const sides = await api.http.get<SyncConflictFile>(`/api/projects/${tools.id}/sync/conflict?path=a.txt`);
    assert.equal(sides.status, 200, JSON.stringify(sides.body));
    assert.deepEqual(sides.body, {
      path: 'a.txt', source: 'stages', inProgress: 'merge', base: 'one\ntwo\nthree\n', ours: 'one\ntwo agent\nthree\n', theirs: 'one\nTWO upstream\nthree\n',
      oursLabel: 'main (workspace)', theirsLabel: 'origin/main (upstream)',
    });
    for (const bad of ['../../etc/passwd', '/etc/passwd', '-p', '.git/config']) {
      const res = await api.http.get<ErrorBody>(`/api/projects/${tools.id}/sync/conflict?path=${encodeURIComponent(bad)}`);
      assert.deepEqual([res.status, res.body.error.code], [400, 'invalid_path'], bad);
    }
    // Saving the merge editor's result writes it through git's index: resolved, never through a symlink.
    const notConflicted = await api.http.call<ErrorBody>('PUT', `/api/projects/${tools.id}/sync/conflict`, { path: 'README.md', content: 'x' });
    assert.deepEqual([notConflicted.status, notConflicted.body.error.code], [409, 'not_conflicted']);
    const tooBig = await api.http.call<ErrorBody>('PUT', `/api/projects/${tools.id}/sync/conflict`, { path: 'a.txt', content: 'x'.repeat(100_001) });
    assert.equal(tooBig.status, 400);
    const saved = await api.http.call('PUT', `/api/projects/${tools.id}/sync/conflict`, { path: 'a.txt', content: 'one\ntwo, resolved\nthree\n' });
    assert.equal(saved.status, 204, JSON.stringify(saved.body));
    assert.equal(await ws.read('a.txt'), 'one\ntwo, resolved\nthree\n');
    const resolved = await syncStatus(api, tools.id);
    assert.deepEqual([resolved.conflicted, resolved.inProgress], [[], 'merge']);
    const forced = await syncAction(api, tools.id, 'push', { force: true });
    assert.equal(forced.op.state, 'succeeded', forced.result.message);
    assert.match(forced.result.message, /It overwrote 1 commit: [0-9a-f]{7} Upstream: edit a\. The merge that was in progress was aborted first\./);
    assert.ok(forced.op.steps.some((s) => /^Aborted the merge in progress/.test(s.message)), JSON.stringify(forced.op.steps));
    const st = await syncStatus(api, tools.id);
    assert.deepEqual([st.inProgress, st.conflicted, st.ahead, st.behind], [null, [], 0, 0]);
    assert.equal(fake.head('acme/tools'), (await ws.git('rev-parse', 'HEAD')).trim());
    assert.equal(await ws.read('a.txt'), 'one\ntwo agent\nthree\n');
    assert.ok(!fake.subjects('acme/tools', 'main', 10).includes('Upstream: edit a'), 'the overwritten commit is gone for good');
  });

  it('shows an agent commit as ahead 1 while the agent works, without a fetch or the slow poll', async () => {
    const secret = (await api.server.services.projects.secrets(tools.id)).webhookSecret;
    const sid = `ses_${crypto.randomBytes(4).toString('hex')}`;
    assert.equal((await postHook(api.url, secret, hookBody(tools.id, ev.created(sid)))).status, 200);
    assert.equal((await postHook(api.url, secret, hookBody(tools.id, ev.busy(sid)))).status, 200);
    const ws = workspace(api, tools.id);
    const times: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const since = api.events.frames.length;
      await ws.commit({ [`agent-${i}.txt`]: 'work\n' }, `Agent: work ${i}`);
      const committed = Date.now();
      const frame = await api.events.waitFor((f) => api.events.frames.indexOf(f) >= since && f.event === 'sync.status'
        && JSON.parse(f.data!).data.status.projectId === tools.id && JSON.parse(f.data!).data.status.ahead === i, 10_000);
      times.push(Date.now() - committed);
      assert.equal(JSON.parse(frame.data!).data.status.commitsAhead[0].subject, `Agent: work ${i}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`      agent commit → sync.status ↑n without a fetch (active poll 1 s): median ${sorted[2]} ms, max ${sorted[4]} ms (${times.join(', ')})`);
    assert.ok(sorted[4]! < 5_000);
    // The turn ends: one more read at once, then the project is no longer watched after the grace period.
    assert.equal((await postHook(api.url, secret, hookBody(tools.id, ev.idleStatus(sid)))).status, 200);
  });
});
