// The GitHub sync scenarios, run once per runtime (local.test.ts, docker.test.ts): real git in the
// project's workspace through the runtime driver, a real API, and the loopback fake GitHub.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { ErrorBody, Project, SyncResult } from '../../../backend/contract';
import { startFakeGithub, type FakeGithub } from '../../fixtures/gitHttp/fakeGithub';
import { finished, startSyncApi, syncAction, syncStatus, until, workspace, type SyncApi } from './support';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

export interface RuntimeSetup {
  /** API environment selecting the runtime. */
  env: Record<string, string>;
  /** The host the workspace reaches the fake GitHub at (127.0.0.1, or the docker bridge gateway). */
  gitHost: string;
  cleanup?: () => Promise<void>;
}

export function describeSyncScenarios(title: string, setup: () => Promise<RuntimeSetup | null>): void {
  describe(`GitHub sync on the ${title} runtime (real git, loopback GitHub over https)`, function () {
    this.timeout(180_000);
    const token = `ghp_${SECRET_MARKER}${crypto.randomBytes(18).toString('hex')}`;
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    let rt: RuntimeSetup | null;
    let fake: FakeGithub;
    let api: SyncApi;
    let project: Project;
    let repoUrl: string;
    let ws: ReturnType<typeof workspace>;

    before(async function () {
      this.timeout(600_000);
      rt = await setup();
      if (!rt) this.skip(); // outside CI only: the setup throws under CI=true
      fake = await startFakeGithub({ token, hosts: [...new Set(['127.0.0.1', rt.gitHost])] });
      fake.createRepo('acme/widgets', { 'README.md': '# widgets\n', 'a.txt': 'one\ntwo\nthree\n' });
      repoUrl = fake.url(rt.gitHost, 'acme/widgets');
      api = await startSyncApi(rt.env, fake.caFile);
    });

    after(async function () {
      this.timeout(120_000);
      if (!rt) return;
      if (project) await api.http.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}&ignoreUnsynced=true`).catch(() => undefined);
      await api?.close();
      await fake?.close();
      await rt.cleanup?.();
    });

    it('refuses option-like, ext::, file:// and credential-bearing repository URLs with a clear message', async () => {
      for (const url of ['-uhack', 'ext::sh -c touch% /tmp/pwned', 'file:///etc', 'https://user:pw@example.com/x', 'http://example.com/x.git', `${repoUrl} --upload-pack=evil`]) {
        const res = await api.http.post<ErrorBody>('/api/projects', { name: 'evil', repository: { url, branch: 'main' } });
        assert.equal(res.status, 400, url);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.match(res.body.error.message, /repository\.url: an https:\/\/ repository URL without credentials/);
      }
      const branch = await api.http.post<ErrorBody>('/api/projects', { name: 'evil', repository: { url: repoUrl, branch: '--exec=x' } });
      assert.equal(branch.status, 400);
      assert.match(branch.body.error.message, /a git branch name/);
    });

    it('keeps the GitHub token sealed: PUT/GET answer only a masked hint', async () => {
      const put = await api.http.call<{ configured: boolean; hint: string; host: string }>('PUT', '/api/github/credential', { token, host: `${rt!.gitHost}:${fake.port}` });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual([put.body.configured, put.body.hint, put.body.host], [true, `ghp_…${token.slice(-4)}`, `${rt!.gitHost}:${fake.port}`]);
      const row = await api.server.services.db.selectFrom('github_credentials').selectAll().executeTakeFirstOrThrow();
      assert.ok(!row.token_enc.includes(token) && row.token_enc.startsWith('v1.'));
    });

    it('never blocks a delete when the workspace status cannot be read, and logs why', async () => {
      const other = (await api.http.post<Project>('/api/projects', { name: 'unreachable', repository: { url: repoUrl, branch: 'main' } })).body;
      const del = await api.http.del(`/api/projects/${other.id}`);
      assert.equal(del.status, 204);
      assert.ok(api.logLines.some((l) => l.includes('unsynced-changes check skipped') && l.includes(other.id)), api.logLines.slice(-5).join('\n'));
    });

    it('imports the repository into the workspace after the first deploy', async () => {
      project = (await api.http.post<Project>('/api/projects', { name: 'widgets', repository: { url: repoUrl, branch: 'main' } })).body;
      const before = await syncStatus(api, project.id);
      assert.equal(before.available, false);
      assert.match(before.message ?? '', /not been deployed yet/);
      const deploy = await api.http.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false });
      const deployed = await finished(api, project.id, deploy.body.id);
      assert.equal(deployed.state, 'succeeded', deployed.error ?? '');
      const frame = await api.events.waitFor((f) => f.event === 'sync.result' && JSON.parse(f.data!).data.result.action === 'import', 120_000);
      const result = JSON.parse(frame.data!).data.result as SyncResult;
      assert.equal(result.ok, true, result.message);
      assert.match(result.message, /Imported .*acme\/widgets\.git \(branch main at [0-9a-f]{7}\)/);
      ws = workspace(api, project.id);
      assert.equal(await ws.read('README.md'), '# widgets\n');
      const st = await syncStatus(api, project.id);
      assert.deepEqual([st.available, st.branch, st.upstream, st.ahead, st.behind, st.dirty, st.inProgress], [true, 'main', 'origin/main', 0, 0, [], null]);
      assert.ok(st.lastFetchAt);
      assert.equal(st.webUrl, repoUrl.replace(/\.git$/, ''));
    });

    it('shows an agent commit as ahead 1, pushes it, and the remote has it', async () => {
      await ws.commit({ 'feature.txt': 'agent work\n' }, 'Agent: add feature');
      // The poller re-reads running projects and tells every client (no request needed).
      await api.server.services.sync.poll();
      const polled = await api.events.waitFor((f) => f.event === 'sync.status' && JSON.parse(f.data!).data.status.ahead === 1);
      assert.equal(JSON.parse(polled.data!).data.status.commitsAhead[0].subject, 'Agent: add feature');
      const st = await syncStatus(api, project.id);
      assert.equal(st.ahead, 1);
      assert.deepEqual(st.commitsAhead.map((c) => [c.subject, c.author]), [['Agent: add feature', 'Agent']]);
      const { op, result } = await syncAction(api, project.id, 'push');
      assert.equal(op.state, 'succeeded', op.error ?? '');
      assert.deepEqual(result.commits.map((c) => c.subject), ['Agent: add feature']);
      assert.equal(fake.subjects('acme/widgets')[0], 'Agent: add feature');
      const after = await syncStatus(api, project.id);
      assert.deepEqual([after.ahead, after.behind, after.lastSyncDirection], [0, 0, 'push']);
      const statuses = api.events.events().filter((f) => f.event === 'sync.status').map((f) => JSON.parse(f.data!).data.status as { ahead: number; syncing: boolean });
      assert.ok(statuses.some((x) => x.syncing && x.ahead === 1), 'clients see the push start');
      assert.deepEqual([statuses.at(-1)!.ahead, statuses.at(-1)!.syncing], [0, false]);
    });

    it('sees an upstream commit as behind 1 after a fetch and pulls it', async () => {
      fake.commit('acme/widgets', { 'upstream.txt': 'from github\n' }, 'Upstream: add notes');
      assert.equal((await syncStatus(api, project.id)).behind, 0, 'counts are as of the last fetch');
      const fetched = await syncAction(api, project.id, 'fetch');
      assert.equal(fetched.op.state, 'succeeded');
      const st = await syncStatus(api, project.id);
      assert.equal(st.behind, 1);
      assert.deepEqual(st.commitsBehind.map((c) => [c.subject, c.author]), [['Upstream: add notes', 'Upstream Dev']]);
      const { op, result } = await syncAction(api, project.id, 'pull');
      assert.equal(op.state, 'succeeded', op.error ?? '');
      assert.deepEqual(result.commits.map((c) => c.subject), ['Upstream: add notes']);
      assert.equal(result.dirtyHandling, null);
      assert.equal(await ws.read('upstream.txt'), 'from github\n');
      assert.deepEqual([(await syncStatus(api, project.id)).behind, (await syncStatus(api, project.id)).lastSyncDirection], [0, 'pull']);
    });

    it('refuses to push when behind and says to pull first', async () => {
      fake.commit('acme/widgets', { 'a.txt': 'one\nTWO upstream\nthree\n' }, 'Upstream: edit a');
      await ws.commit({ 'a.txt': 'one\ntwo agent\nthree\n' }, 'Agent: edit a');
      const { op, result } = await syncAction(api, project.id, 'push');
      assert.equal(op.state, 'failed');
      assert.equal(result.ok, false);
      assert.match(result.message, /Push refused: main is 1 commit behind origin\/main\. Pull first/);
      assert.equal(op.error, result.message);
    });

    it('on divergent edits aborts the pull, lists the conflicted file and leaves the workspace clean', async () => {
      const head = await ws.git('rev-parse', 'HEAD');
      const { op, result } = await syncAction(api, project.id, 'pull', { onConflict: 'abort' });
      assert.equal(op.state, 'failed');
      assert.deepEqual([result.ok, result.conflicted], [false, ['a.txt']]);
      assert.match(result.message, /conflicts in 1 file: a\.txt\. The merge was aborted and the workspace is as before the pull/);
      const st = await syncStatus(api, project.id);
      assert.deepEqual([st.conflicted, st.dirty, st.inProgress, st.ahead, st.behind], [[], [], null, 1, 1]);
      assert.equal(await ws.git('rev-parse', 'HEAD'), head);
      assert.equal(await ws.read('a.txt'), 'one\ntwo agent\nthree\n');
    });

    it('keeps the merge in progress when asked, for resolution', async () => {
      const { result } = await syncAction(api, project.id, 'pull', { onConflict: 'keep' });
      assert.deepEqual([result.ok, result.conflicted], [false, ['a.txt']]);
      assert.match(result.message, /The merge is kept in progress: resolve the files, then commit/);
      const st = await syncStatus(api, project.id);
      assert.deepEqual([st.conflicted, st.inProgress], [['a.txt'], 'merge']);
      assert.match(await ws.read('a.txt'), /<<<<<<< HEAD\ntwo agent\n=======\nTWO upstream\n>>>>>>>/);
      const again = await syncAction(api, project.id, 'pull');
      assert.match(again.result.message, /A merge is in progress in the workspace/);
      await ws.git('merge', '--abort');
      assert.equal((await syncStatus(api, project.id)).inProgress, null);
    });

    it('refuses a force push whose lease is stale, then force pushes with a fresh lease and says what it overwrote', async () => {
      const remoteBefore = fake.commit('acme/widgets', { 'late.txt': 'pushed after our fetch\n' }, 'Upstream: late change');
      const stale = await syncAction(api, project.id, 'push', { force: true });
      assert.equal(stale.op.state, 'failed');
      assert.match(stale.result.message, /The force push was refused: main on the remote moved since your last fetch \(lease [0-9a-f]{7}\)/);
      assert.equal(fake.head('acme/widgets'), remoteBefore, 'the remote is untouched');
      await syncAction(api, project.id, 'fetch');
      const forced = await syncAction(api, project.id, 'push', { force: true });
      assert.equal(forced.op.state, 'succeeded', forced.result.message);
      assert.deepEqual(forced.result.overwritten.map((c) => c.subject), ['Upstream: late change', 'Upstream: edit a']);
      assert.match(forced.result.message, /It overwrote 2 commits/);
      assert.equal(fake.head('acme/widgets'), await ws.git('rev-parse', 'HEAD').then((s) => s.trim()));
    });

    for (const strategy of ['commit', 'stash'] as const) {
      it(`keeps uncommitted work through a pull (${strategy}) and says how`, async () => {
        fake.commit('acme/widgets', { [`up-${strategy}.txt`]: 'upstream\n' }, `Upstream: ${strategy} case`);
        await ws.write('feature.txt', `agent work\nunsaved ${strategy}\n`);
        await ws.write(`new-${strategy}.txt`, 'untracked\n');
        const { op, result } = await syncAction(api, project.id, 'pull', { dirty: strategy });
        assert.equal(op.state, 'succeeded', result.message);
        if (strategy === 'commit') {
          assert.match(result.dirtyHandling ?? '', /^committed as [0-9a-f]{7} \("Hangar: save agent work before pull", 2 files\)$/);
          assert.ok((await ws.git('log', '--format=%s', '-n5')).includes('Hangar: save agent work before pull'));
        } else {
          assert.match(result.dirtyHandling ?? '', /^stashed as stash@\{0\} \(2 files\)$/);
          assert.match(result.message, /The stash was restored into the workspace/);
          assert.equal(await ws.git('stash', 'list'), '');
        }
        assert.equal(await ws.read('feature.txt'), `agent work\nunsaved ${strategy}\n`);
        assert.equal(await ws.read(`new-${strategy}.txt`), 'untracked\n');
        assert.equal(await ws.read(`up-${strategy}.txt`), 'upstream\n');
      });
    }

    it('guards stop, delete and a tier change while work is not on GitHub, unless ignoreUnsynced=true', async () => {
      const st = await syncStatus(api, project.id);
      assert.ok(st.ahead >= 1 && st.dirty.length >= 1, JSON.stringify(st));
      const stop = await api.http.post<ErrorBody>(`/api/projects/${project.id}/stop`);
      assert.equal(stop.status, 409);
      assert.equal(stop.body.error.code, 'unsynced_changes');
      const details = stop.body.error.details as { commitsAhead: { subject: string }[]; dirty: string[] };
      assert.ok(details.commitsAhead.some((c) => c.subject === 'Hangar: save agent work before pull'), JSON.stringify(details));
      assert.ok(details.dirty.includes('feature.txt'), JSON.stringify(details));
      assert.match(stop.body.error.message, /"widgets" has \d+ unpushed commits? and \d+ uncommitted files? that are not on GitHub\. Push first, or stop it anyway with ignoreUnsynced=true\./);
      const del = await api.http.del<ErrorBody>(`/api/projects/${project.id}`);
      assert.deepEqual([del.status, del.body.error.code], [409, 'unsynced_changes']);
      const tier = await api.http.patch<ErrorBody>(`/api/projects/${project.id}`, { tierId: 'lite' });
      assert.deepEqual([tier.status, tier.body.error.code], [409, 'unsynced_changes']);
      const rename = await api.http.patch<Project>(`/api/projects/${project.id}`, { name: 'widgets' });
      assert.equal(rename.status, 200, 'only a tier change is guarded');
      const forced = await api.http.patch<Project>(`/api/projects/${project.id}?ignoreUnsynced=true`, { tierId: 'lite' });
      assert.equal(forced.status, 200);
    });

    it('says clearly when GitHub refuses the token', async () => {
      await api.http.call('PUT', '/api/github/credential', { token: 'ghp_wrongwrongwrongwrong', host: `${rt!.gitHost}:${fake.port}` });
      const { op, result } = await syncAction(api, project.id, 'fetch');
      assert.equal(op.state, 'failed');
      assert.match(result.message, /^[\w.-]+:\d+ refused the token: .* set a new one with Hangar: Set GitHub Token\.$/);
      await api.http.call('PUT', '/api/github/credential', { token, host: `${rt!.gitHost}:${fake.port}` });
      assert.equal((await syncAction(api, project.id, 'fetch')).op.state, 'succeeded');
    });

    it('refuses to use the token when the workspace config could leak it, and puts a changed origin back', async () => {
      await ws.git('config', 'http.sslVerify', 'false');
      const refused = await syncAction(api, project.id, 'fetch');
      assert.equal(refused.op.state, 'failed');
      assert.match(refused.result.message, /^The workspace's git configuration sets http\.sslverify, which could redirect your GitHub token or weaken TLS\. Remove it/);
      await ws.git('config', '--unset', 'http.sslVerify');
      await ws.git('remote', 'set-url', 'origin', 'https://attacker.example/steal.git');
      const fetched = await syncAction(api, project.id, 'fetch');
      assert.equal(fetched.op.state, 'succeeded', fetched.result.message);
      assert.ok(fetched.op.steps.some((st) => st.message === `origin pointed at https://attacker.example/steal.git; reset it to ${repoUrl}`), JSON.stringify(fetched.op.steps));
      assert.equal((await ws.git('remote', 'get-url', 'origin')).trim(), repoUrl);
    });

    it('never writes the token into .git/config, the remote URL, the log or events', async () => {
      const config = await ws.exec(['cat', '.git/config']);
      assert.ok(!config.includes(token) && !config.includes(basic), config);
      assert.equal((await ws.git('remote', 'get-url', 'origin')).trim(), repoUrl);
      assert.equal((await ws.git('config', '--get-all', 'http.extraheader').catch(() => '')).trim(), '');
      const everything = [api.logLines.join('\n'), JSON.stringify(api.events.frames), JSON.stringify((await api.http.get(`/api/projects/${project.id}/operations`)).body)].join('\n');
      assert.ok(api.logLines.some((l) => /sync finished/.test(l)), 'the log was captured');
      assert.ok(api.events.frames.some((f) => f.event === 'sync.result'), 'events were captured');
      assert.ok(!everything.includes(token), 'token found in logs or events');
      assert.ok(!everything.includes(basic), 'basic credential found in logs or events');
      assert.ok(fake.requests.every((r) => !r.url.includes(token)));
      assert.ok(fake.requests.some((r) => r.authorized) && fake.requests.some((r) => !r.authorized));
    });

    it('connects an empty repository and creates its branch with the first push', async () => {
      fake.createEmptyRepo('acme/empty');
      const empty = (await api.http.post<Project>('/api/projects', { name: 'empty', repository: { url: fake.url(rt!.gitHost, 'acme/empty'), branch: 'main' } })).body;
      try {
        const deploy = await api.http.post<{ id: string }>(`/api/projects/${empty.id}/deploy`, { force: false });
        const deployed = await finished(api, empty.id, deploy.body.id);
        assert.equal(deployed.state, 'succeeded', deployed.error ?? '');
        const frame = await api.events.waitFor((f) => f.event === 'sync.result' && JSON.parse(f.data!).data.projectId === empty.id, 120_000);
        assert.match(JSON.parse(frame.data!).data.result.message, /the repository has no branch main yet, the first push creates it/);
        await until('the import to finish', async () => (api.server.services.operations.isBusy(empty.id) ? undefined : true));
        const ews = workspace(api, empty.id);
        await ews.commit({ 'hello.txt': 'first\n' }, 'Agent: first commit');
        const { op, result } = await syncAction(api, empty.id, 'push');
        assert.equal(op.state, 'succeeded', result.message);
        assert.deepEqual(result.commits.map((c) => c.subject), ['Agent: first commit']);
        assert.deepEqual(fake.subjects('acme/empty'), ['Agent: first commit']);
        const st = await syncStatus(api, empty.id);
        assert.deepEqual([st.upstream, st.ahead, st.behind], ['origin/main', 0, 0]);
      } finally {
        await api.http.del(`/api/projects/${empty.id}?deleteVolumes=true&confirm=${empty.slug}&ignoreUnsynced=true`);
      }
    });

    it("answers 404 on another user's project", async () => {
      const { id } = await api.server.services.users.createUser(`mallory${crypto.randomBytes(3).toString('hex')}`, 'user');
      const mallory = (await api.server.services.users.createToken(id, 't')).secret;
      for (const [method, p] of [['GET', ''], ['POST', '/fetch'], ['POST', '/push'], ['POST', '/pull'], ['POST', '/import']] as const) {
        const res = await fetch(`${api.url}/api/projects/${project.id}/sync${p}`, {
          method, headers: { Authorization: `Bearer ${mallory}`, 'Content-Type': 'application/json' }, body: method === 'POST' ? '{}' : undefined,
        });
        assert.equal(res.status, 404, `${method} ${p}`);
      }
      await until('no sync operation running', async () => (api.server.services.operations.isBusy(project.id) ? undefined : true));
    });
  });
}
