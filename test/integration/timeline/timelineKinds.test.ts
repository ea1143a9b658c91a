// Issue #15, the timeline's other entries: config changes (permissions, provider/model), a tier change,
// a cancelled redeploy (cancelled, not failed), sessions started and finished as the opencode plugin
// reports them, and the agent's own git push. Local runtime, real opencode, the fake LLM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, Project, TimelineEntry, TimelinePage } from '../../../backend/contract';
import type { FakeLlm } from '../../fixtures/fakeLlm/server';
import type { client, TestApi } from '../support/apiServer';
import { startLocalAgent, type LocalAgent } from '../support/localAgent';
import { until } from '../sync/support';

describe('API: the timeline\'s config, tier, cancelled and session entries (issue #15; local runtime)', function () {
  this.timeout(240_000);
  let agent: LocalAgent;
  let fake: FakeLlm;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let project: Project;
  const settled = (id: string) => agent.settled(id);
  const entries = async (kind: string): Promise<TimelineEntry[]> =>
    (await alice.get<TimelinePage>(`/api/projects/${project.id}/timeline?kind=${kind}&limit=200`)).body.items;

  before(async () => {
    agent = await startLocalAgent('timeline-kinds', ['fake-model', 'fake-big']);
    ({ fake, api, alice, project } = agent);
  });
  after(() => agent?.close());

  it('records permission and provider/model changes as config entries by the user, with what they are now', async () => {
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, { bash: 'deny' })).status, 200);
    assert.equal((await alice.call('PUT', '/api/me/permissions', { edit: 'ask' })).status, 200);
    const put = await alice.call('PUT', `/api/projects/${project.id}/model`, { providerId: 'fakellm', modelId: 'fake-big' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const config = await entries('config');
    assert.deepEqual(config.map((e) => [e.actor, e.outcome]), [['user', 'succeeded'], ['user', 'succeeded'], ['user', 'succeeded']]);
    assert.equal(config[0]!.detail, 'model: fakellm/fake-big (project)');
    assert.match(config[1]!.detail ?? '', /^permissions: bash deny \(project\), edit ask \(user\).* \(your default changed\)$/);
    assert.match(config[2]!.detail ?? '', /^permissions: bash deny \(project\), edit allow \(default\)/);
    assert.ok(!config[2]!.detail!.includes('your default'), 'a project\'s own override says so by its source');
  });

  it('records a tier change, and a redeploy the user cancels as cancelled (not failed)', async () => {
    const changed = await alice.post<Operation>(`/api/projects/${project.id}/redeploy`, { tierId: 'lite' });
    assert.equal(changed.status, 202, JSON.stringify(changed.body));
    assert.equal((await settled(changed.body.id)).state, 'succeeded');
    const [tier] = await until('the tier change on the timeline', async () => {
      const found = await entries('tier');
      return found.length ? found : undefined;
    }, 30_000);
    assert.deepEqual([tier?.actor, tier?.outcome, tier?.detail], ['user', 'succeeded', 'from standard to lite']);

    // A quiet machine can finish a deploy before the cancel arrives: try again until one is cancelled.
    let cancelled: Operation | undefined;
    for (let i = 0; i < 6 && !cancelled; i++) {
      const tierId = i % 2 === 0 ? 'standard' : 'lite';
      const op = await alice.post<Operation>(`/api/projects/${project.id}/redeploy`, { tierId });
      assert.equal(op.status, 202, JSON.stringify(op.body));
      await alice.post(`/api/projects/${project.id}/operations/${op.body.id}/cancel`, {});
      const done = await settled(op.body.id);
      assert.notEqual(done.state, 'failed', done.error ?? '');
      if (done.state === 'cancelled') cancelled = done;
    }
    assert.ok(cancelled, 'one redeploy was cancelled');
    // The entry is written from the operation's finished event, which may arrive after the list answers.
    const deploys = await until('the cancelled deploy on the timeline', async () => {
      const found = await entries('deploy');
      return found[0]?.outcome === 'cancelled' ? found : undefined;
    }, 30_000);
    assert.match(deploys[0]?.detail ?? '', /cancel/i);
  });

  it('records a session started and its turn finished, from the plugin\'s events', async () => {
    if ((await alice.get<Project>(`/api/projects/${project.id}`)).body.status !== 'running') {
      const op = (await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
      assert.equal((await settled(op.id)).state, 'succeeded');
    }
    const made = await alice.post<{ id: string }>(`/api/projects/${project.id}/opencode/session`, { title: 'timeline turn' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    fake.enqueue({ text: 'all done' });
    const turn = await alice.post(`/api/projects/${project.id}/opencode/session/${made.body.id}/prompt_async`, {
      parts: [{ type: 'text', text: 'say done' }],
    });
    assert.equal(turn.status, 204, JSON.stringify(turn.body));
    const [started] = await until('the session on the timeline', async () => {
      const found = (await entries('session-start')).filter((e) => e.detail?.includes(made.body.id));
      return found.length ? found : undefined;
    });
    assert.deepEqual([started!.actor, started!.outcome], ['user', 'observed']);
    const [ended] = await until('the finished turn on the timeline', async () => {
      const found = (await entries('session-end')).filter((e) => e.detail?.includes(made.body.id));
      return found.length ? found : undefined;
    });
    assert.deepEqual([ended!.actor, ended!.outcome], ['agent', 'succeeded']);
    assert.match(ended!.detail ?? '', /finished/);
    const both = (await alice.get<TimelinePage>(`/api/projects/${project.id}/timeline?kind=session-start,session-end`)).body;
    assert.ok(both.items.every((e) => e.kind === 'session-start' || e.kind === 'session-end'), 'the filter holds');
  });

  it('records the agent\'s own git push (its bash tool, reported by the plugin) with actor agent', async () => {
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, {})).status, 200);
    assert.equal((await alice.call('PUT', '/api/me/permissions', {})).status, 200);
    const made = await alice.post<{ id: string }>(`/api/projects/${project.id}/opencode/session`, { title: 'agent push' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const command = 'git init -q --bare .agent-remote.git && (git rev-parse -q --verify HEAD >/dev/null'
      + ' || (git init -q . && git -c user.name=a -c user.email=a@example.com commit -q --allow-empty -m first))'
      + ' && git push -q ./.agent-remote.git HEAD:refs/heads/main';
    fake.enqueue({ toolCalls: [{ name: 'bash', arguments: { command, description: 'push my work' } }] }, { text: 'pushed' });
    const turn = await alice.post(`/api/projects/${project.id}/opencode/session/${made.body.id}/prompt_async`, {
      parts: [{ type: 'text', text: 'push your work' }],
    });
    assert.equal(turn.status, 204, JSON.stringify(turn.body));
    const [push] = await until('the agent\'s push on the timeline', async () => {
      const found = (await entries('push')).filter((e) => e.actor === 'agent');
      return found.length ? found : undefined;
    });
    const bare = path.join(api.dataDir, 'projects', project.id, 'workspace', '.agent-remote.git');
    assert.ok(fs.existsSync(path.join(bare, 'refs', 'heads', 'main')), 'the push really happened');
    assert.deepEqual([push!.outcome, push!.detail], ['succeeded', `${command} (exit 0)`]);
  });
});
