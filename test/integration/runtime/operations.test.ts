import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorBody, LogLines, Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('API: container operations on the local runtime (real opencode)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let project: Project;

  const finished = (opId: string) => until(`operation ${opId}`, async () => {
    const list = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items;
    const op = list.find((o) => o.id === opId);
    return op && ['succeeded', 'failed', 'cancelled'].includes(op.state) ? op : undefined;
  });

  before(async () => {
    api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_SSE_HEARTBEAT_MS: '500' });
    alice = client(api.url, api.adminToken);
    const { id } = await api.server.services.users.createUser('mallory', 'user');
    mallory = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
    project = (await alice.post<Project>('/api/projects', { name: 'ops' })).body;
  });
  after(async () => {
    await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(api.dataDir);
  });

  it('deploys: 202 with the queued operation at once, then progress, status events and running', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      const res = await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false });
      assert.equal(res.status, 202);
      assert.deepEqual([res.body.kind, res.body.state, res.body.force, res.body.cancellable], ['deploy', 'queued', false, true]);
      const busy = await alice.post<ErrorBody>(`/api/projects/${project.id}/start`);
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error.code, 'operation_in_progress');
      assert.deepEqual(busy.body.error.details, { operationId: res.body.id, kind: 'deploy' });
      const done = await finished(res.body.id);
      assert.equal(done.state, 'succeeded', done.error ?? '');
      assert.ok(done.steps.some((s) => /healthy/.test(s.message)), JSON.stringify(done.steps));
      await stream.waitFor((f) => f.event === 'operation.finished');
      const statuses = stream.events().filter((f) => f.event === 'project.status').map((f) => JSON.parse(f.data!).data.status as string);
      assert.deepEqual(statuses, ['deploying', 'starting', 'running']);
      assert.ok(stream.events().some((f) => f.event === 'operation.progress'));
      const p = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
      assert.equal(p.status, 'running');
      assert.match(p.urls.agent ?? '', /^http:\/\/127\.0\.0\.1:[0-9]+$/);
      assert.ok(p.runtimeNotes.some((n) => /storage limit/.test(n)), JSON.stringify(p.runtimeNotes));
      const unauth = await fetch(p.urls.agent + '/global/health', { signal: AbortSignal.timeout(2000) });
      assert.equal(unauth.status, 401, 'opencode is never open without the password');
    } finally {
      await stream.close();
    }
  });

  it("answers 404 for another user's project on every container route", async () => {
    for (const res of [
      await mallory.post<ErrorBody>(`/api/projects/${project.id}/deploy`, {}),
      await mallory.post<ErrorBody>(`/api/projects/${project.id}/stop`),
      await mallory.get<ErrorBody>(`/api/projects/${project.id}/operations`),
      await mallory.get<ErrorBody>(`/api/projects/${project.id}/logs?tail=5`),
      await mallory.del<ErrorBody>(`/api/projects/${project.id}`),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    }
  });

  it('serves the log tail and follows it across a restart', async () => {
    const tail = await alice.get<LogLines>(`/api/projects/${project.id}/logs?tail=3`);
    assert.equal(tail.status, 200);
    assert.equal(tail.body.lines.length, 3);
    assert.equal(tail.body.truncated, true);
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/projects/${project.id}/logs?follow=true&tail=1`, {
      headers: { Authorization: `Bearer ${api.adminToken}`, Accept: 'text/event-stream' }, signal: controller.signal,
    });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    let text = '';
    const reading = (async () => {
      const reader = res.body!.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      } catch { /* aborted */ }
    })();
    const restart = await alice.post<Operation>(`/api/projects/${project.id}/restart`);
    assert.equal(restart.status, 202);
    assert.equal((await finished(restart.body.id)).state, 'succeeded');
    await until('the restarted process in the followed log', async () => (/hangar: starting opencode/.test(text) && /listening on/.test(text.split('hangar: starting opencode').pop() ?? '') ? true : undefined), 10_000);
    controller.abort();
    await reading;
    assert.match(text, /event: log\ndata: \{"line":/);
  });

  it('cancels a start while it waits, and refuses to cancel a finished operation', async () => {
    const stop = await alice.post<Operation>(`/api/projects/${project.id}/stop`);
    assert.equal(stop.body.cancellable, false);
    assert.equal((await finished(stop.body.id)).state, 'succeeded');
    assert.equal((await alice.get<Project>(`/api/projects/${project.id}`)).body.status, 'stopped');
    const start = await alice.post<Operation>(`/api/projects/${project.id}/start`);
    const cancel = await alice.post<Operation>(`/api/projects/${project.id}/operations/${start.body.id}/cancel`);
    assert.equal(cancel.status, 202);
    const done = await finished(start.body.id);
    assert.equal(done.state, 'cancelled');
    const p = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    assert.deepEqual([p.status, p.statusReason], ['stopped', 'cancelled by the user']);
    assert.deepEqual(scanProcesses(path.join(api.dataDir, 'projects')), [], 'no process left behind');
    const again = await alice.post<ErrorBody>(`/api/projects/${project.id}/operations/${start.body.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'operation_not_cancellable');
  });

  it('marks a killed process crashed with its last log lines', async () => {
    const deploy = await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true });
    assert.equal((await finished(deploy.body.id)).state, 'succeeded');
    const [proc] = scanProcesses(path.join(api.dataDir, 'projects'));
    // The whole sandbox (bwrap, its reaper, opencode) dies at once, as when opencode crashes.
    process.kill(-proc!.pid, 'SIGKILL');
    const p = await until('crashed', async () => {
      const got = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
      return got.status === 'crashed' ? got : undefined;
      // On PostgreSQL the status monitor is a leased job: after a replica change it resumes within a lease (6 s).
    }, 40_000);
    // Whether the child's exit event or the /proc check sees the death first decides the wording.
    // The tail is opencode's own log (its start, or a reload the API's config push caused just before the kill).
    assert.match(p.statusReason ?? '', /(killed by SIGKILL|\(pid \d+\) is gone); last log lines:\n[\s\S]*(listening on|level=INFO)/);
  });

  it('deletes the workspace only with the slug as confirmation', async () => {
    const bad = await alice.del<ErrorBody>(`/api/projects/${project.id}?deleteVolumes=true&confirm=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'confirmation_required');
    assert.equal((await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`)).status, 204);
    assert.equal(fs.existsSync(path.join(api.dataDir, 'projects', project.id)), false);
  });
});
