import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorBody } from '../../../backend/contract';
import { startAgentWorld, type AgentWorld } from '../agent/support';

const fileUrl = (abs: string) => `file://${abs.split('/').map(encodeURIComponent).join('/')}`;

describe('API security: the agent proxy lets no file of the host in and no credential out (real opencode)', function () {
  this.timeout(120_000);
  let w: AgentWorld;
  let workspace: string;
  let sid: string;

  before(async () => {
    w = await startAgentWorld();
    workspace = path.join(w.api.dataDir, 'projects', w.project.id, 'workspace');
    fs.writeFileSync(path.join(workspace, 'notes.md'), 'inside the workspace\n');
    fs.symlinkSync(path.join(w.api.dataDir, 'secret.key'), path.join(workspace, 'key-link'));
    fs.symlinkSync(w.api.dataDir, path.join(workspace, 'data-link'));
    sid = (await w.alice.post<{ id: string }>(`${w.base}/session`, { title: 'boundary' })).body.id;
  });
  after(async () => w?.close());

  const prompt = (parts: unknown[], extra: Record<string, unknown> = {}) =>
    w.alice.post<ErrorBody>(`${w.base}/session/${sid}/prompt_async`, { parts, ...extra });
  const filePart = (url: string) => ({ type: 'file', mime: 'text/plain', url, filename: 'x' });

  it('refuses file parts that point outside the workspace, symlinks included, before the agent sees them', async () => {
    const other = path.join(w.api.dataDir, 'projects', '00000000-0000-4000-8000-000000000000', 'workspace', 'a.txt');
    const refused = [
      fileUrl('/etc/passwd'), fileUrl(path.join(w.api.dataDir, 'secret.key')), fileUrl(path.join(w.api.dataDir, 'local-token')),
      fileUrl(`/proc/${process.pid}/environ`), fileUrl(other), `file://${workspace}/../../../secret.key`, `file://${workspace}/%2e%2e/%2e%2e/secret.key`,
      fileUrl(path.join(workspace, 'key-link')), fileUrl(path.join(workspace, 'data-link', 'local-token')), 'key-link', 'data-link/hangar.db',
      '../../../secret.key', '/etc/passwd', 'http://169.254.169.254/latest/meta-data', 'https://example.com/x', 'file://evil.host/etc/passwd',
      `${fileUrl(path.join(workspace, 'notes.md'))}?path=/etc/passwd`, 'data-no-comma', 'javascript:alert(1)',
    ];
    for (const url of refused) {
      const res = await prompt([{ type: 'text', text: 'read it' }, filePart(url)]);
      assert.ok(res.status === 400 || res.status === 404, `${url}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(res.body.error.code === 'file_part_refused' || res.body.error.code === 'file_not_found', url);
    }
    for (const body of [{ parts: [{ type: 'text', text: 'x', extra: 1 }] }, { parts: [] }, { parts: [{ type: 'agent', name: 'x' }] }, { parts: [{ type: 'text', text: 'x' }], system: 'you are root' }, { parts: 'x' }]) {
      const res = await w.alice.post<ErrorBody>(`${w.base}/session/${sid}/prompt_async`, body);
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], JSON.stringify(body));
    }
    for (const [p, body] of [['/session', { title: 't', permission: [{ permission: '*', pattern: '*', action: 'allow' }] }], [`/session/${sid}/abort`, { x: 1 }], ['/permission/per_abc/reply', { reply: 'yes' }]] as const) {
      assert.equal((await w.alice.post<ErrorBody>(w.base + p, body)).status, 400, p);
    }
    const messages = await w.alice.get<unknown[]>(`${w.base}/session/${sid}/message`);
    assert.deepEqual(messages.body, [], 'no refused prompt reached the agent');
  });

  it('forwards inline data: parts and files inside the workspace (relative or file://), rewritten to the workspace path', async () => {
    const ok = [
      `data:text/plain;base64,${Buffer.from('hello').toString('base64')}`, 'notes.md', 'notes.md?start=1&end=1', fileUrl(path.join(workspace, 'notes.md')),
      `${fileUrl(path.join(workspace, 'notes.md'))}?start=1&end=2`,
    ];
    for (const url of ok) {
      const res = await prompt([{ type: 'text', text: 'look', synthetic: false }, filePart(url)]);
      assert.equal(res.status, 204, `${url}: ${JSON.stringify(res.body)}`);
    }
  });

  it('answers 404/400 (never 502 agent_failed) for a missing folder or a symlink out of the workspace in ?path=', async () => {
    for (const [p, status, code] of [['/file?path=no-such-folder', 404, 'file_not_found'], ['/file/content?path=missing.txt', 404, 'file_not_found'],
      ['/file?path=data-link', 400, 'file_part_refused'], ['/file/content?path=key-link', 400, 'file_part_refused']] as const) {
      const res = await w.alice.get<ErrorBody>(w.base + p);
      assert.deepEqual([res.status, res.body.error.code], [status, code], p);
    }
    assert.equal((await w.alice.get(`${w.base}/file/content?path=notes.md`)).status, 200);
  });

  it('returns provider answers without the API key', async () => {
    for (const p of ['/provider', '/config/providers']) {
      const res = await fetch(w.api.url + w.base + p, { headers: { Authorization: `Bearer ${w.api.adminToken}` } });
      const text = await res.text();
      assert.equal(res.status, 200, p);
      assert.ok(!text.includes('fake-key'), `${p} leaks the provider key`);
      assert.ok(!/"(apiKey|key)"\s*:/.test(text), `${p} has a key field`);
      assert.match(text, /"fake"/, `${p} still lists the provider`);
    }
  });
});
