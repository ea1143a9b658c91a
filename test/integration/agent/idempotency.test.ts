import assert from 'node:assert/strict';
import path from 'node:path';
import type { ErrorBody, Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { isTitleRequest } from '../../fixtures/fakeLlm/server';
import { newIdempotencyKey, newMessageId } from '../../../extension/core/outbox/outboxIds';
import { client, startTestApi } from '../support/apiServer';
import { startAgentWorld, until, type AgentWorld } from './support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

interface Msg { info: { id: string; role: string; time?: { completed?: number } }; parts: { type: string; text?: string }[] }

describe('API: Idempotency-Key on replayable POSTs (real opencode, fake LLM)', function () {
  this.timeout(120_000);
  let w: AgentWorld;
  before(async () => { w = await startAgentWorld(); });
  after(async () => w?.close());

  const prompt = (sid: string, text: string, messageID: string, key: string) => w.alice.call(
    'POST', `${w.base}/session/${sid}/prompt_async`, { parts: [{ type: 'text', text }], messageID }, { 'Idempotency-Key': key });
  const transcript = async (sid: string) => (await w.alice.get<Msg[]>(`${w.base}/session/${sid}/message`)).body;
  const turns = () => w.llm.requests.filter((r) => !isTitleRequest(r.body as never)).length;
  const settled = (sid: string, assistants: number) => until('the turn', async () => {
    const msgs = await transcript(sid);
    const done = msgs.filter((m) => m.info.role === 'assistant' && m.info.time?.completed);
    return done.length >= assistants ? msgs : undefined;
  });

  it('runs a prompt once however often its key is replayed, one after another or at the same time', async () => {
    const sid = (await w.alice.post<{ id: string }>(`${w.base}/session`, {})).body.id;
    const mid = newMessageId();
    const key = newIdempotencyKey();
    const before = turns();
    const first = await prompt(sid, 'exactly once', mid, key);
    assert.equal(first.status, 204);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await Promise.all([1, 2, 3, 4].map(() => prompt(sid, 'exactly once', mid, key)));
    assert.deepEqual(again.map((r) => [r.status, r.headers.get('idempotent-replayed')]), Array(4).fill([204, 'true']));
    const msgs = await settled(sid, 1);
    await new Promise((r) => setTimeout(r, 500));
    const mine = (await transcript(sid)).filter((m) => m.info.role === 'user');
    assert.deepEqual(mine.map((m) => [m.info.id, m.parts.filter((p) => p.type === 'text').map((p) => p.text)]), [[mid, ['exactly once']]]);
    assert.equal(msgs.filter((m) => m.info.role === 'assistant').length, 1);
    assert.equal(turns() - before, 1, 'the model was asked once');
  });

  it('does not forward a prompt whose message id the agent already has, even under a new key', async () => {
    const sid = (await w.alice.post<{ id: string }>(`${w.base}/session`, {})).body.id;
    const mid = newMessageId();
    assert.equal((await prompt(sid, 'lost answer', mid, newIdempotencyKey())).status, 204);
    await settled(sid, 1);
    // The API lost the first key (a crash before it was recorded): the message id still guards the agent.
    assert.equal((await prompt(sid, 'lost answer', mid, newIdempotencyKey())).status, 204);
    await new Promise((r) => setTimeout(r, 1000));
    const users = (await transcript(sid)).filter((m) => m.info.role === 'user');
    assert.deepEqual(users.map((m) => m.parts.filter((p) => p.type === 'text').map((p) => p.text)), [['lost answer']]);
  });

  it('refuses a key reused for another request (422) and a malformed key (400), in the one error shape', async () => {
    const sid = (await w.alice.post<{ id: string }>(`${w.base}/session`, {})).body.id;
    const key = newIdempotencyKey();
    assert.equal((await prompt(sid, 'one', newMessageId(), key)).status, 204);
    const reused = await prompt(sid, 'two', newMessageId(), key);
    assert.deepEqual([reused.status, (reused.body as ErrorBody).error.code], [422, 'idempotency_key_reused']);
    for (const bad of ['short', 'x'.repeat(129), 'has space in it', 'slash/inside/key', 'ünïcödé-key']) {
      const res = await prompt(sid, 'three', newMessageId(), bad).catch((e: Error) => ({ status: 0, body: e.message, headers: new Headers() }));
      if (res.status === 0) continue; // fetch refuses non-ByteString header values itself
      assert.deepEqual([res.status, (res.body as ErrorBody).error.code], [400, 'invalid_idempotency_key'], bad);
    }
    await settled(sid, 1);
    const texts = (await transcript(sid)).filter((m) => m.info.role === 'user').map((m) => m.parts.map((p) => p.text).join(''));
    assert.deepEqual(texts, ['one']);
  });

  it('lets a failed request run again under its key (nothing was done)', async () => {
    const key = newIdempotencyKey();
    const gone = `ses_${'Z'.repeat(26)}`;
    const failed = await w.alice.call('POST', `${w.base}/session/${gone}/prompt_async`,
      { parts: [{ type: 'text', text: 'x' }] }, { 'Idempotency-Key': key });
    assert.ok(failed.status >= 400, `status ${failed.status}`);
    const row = await w.api.server.services.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
    assert.equal(row, undefined);
  });

  it('keys are per user: another user\'s key does not answer for mine', async () => {
    const sid = (await w.alice.post<{ id: string }>(`${w.base}/session`, {})).body.id;
    const key = newIdempotencyKey();
    const res = await w.mallory.call('POST', `${w.base}/session/${sid}/prompt_async`,
      { parts: [{ type: 'text', text: 'not mine' }] }, { 'Idempotency-Key': key });
    assert.equal(res.status, 404);
    assert.equal((await prompt(sid, 'mine', newMessageId(), key)).status, 204);
    await settled(sid, 1);
  });
});

describe('API: Idempotency-Key answers survive an API restart', function () {
  this.timeout(120_000);

  it('replays the first deploy\'s answer after the API restarted, and runs no second deploy', async () => {
    let api = await startTestApi({ HANGAR_RUNTIME: 'local' });
    const dataDir = api.dataDir;
    try {
      let alice = client(api.url, api.adminToken);
      const project = (await alice.post<Project>('/api/projects', { name: 'idem' })).body;
      const key = newIdempotencyKey();
      const deploy = () => alice.call<Operation>('POST', `/api/projects/${project.id}/deploy`, { force: false }, { 'Idempotency-Key': key });
      const first = await deploy();
      assert.equal(first.status, 202);
      await until('the deploy to finish', async () => {
        const o = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items[0];
        return o && ['succeeded', 'failed', 'cancelled'].includes(o.state) ? o : undefined;
      }, 60_000);
      await api.close();
      api = await startTestApi({ HANGAR_RUNTIME: 'local' }, dataDir);
      alice = client(api.url, api.adminToken);
      const replay = await deploy();
      assert.deepEqual([replay.status, replay.headers.get('idempotent-replayed'), replay.body.id], [202, 'true', first.body.id]);
      const ops = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items;
      assert.deepEqual(ops.filter((o) => o.kind === 'deploy').map((o) => o.id), [first.body.id]);
    } finally {
      await api.close();
      for (const s of scanProcesses(path.join(dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
      removeDataDir(dataDir);
    }
  });
});
