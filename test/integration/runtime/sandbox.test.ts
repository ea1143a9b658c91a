import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { basicAuth, waitForHealthy } from '../../../backend/runtime/health';
import { LocalDriver } from '../../../backend/runtime/local/localDriver';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { BwrapSandbox, resolveSandbox } from '../../../backend/runtime/local/sandbox';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { fakeProviderConfig, startFakeLlm, type FakeLlm, type ToolCall } from '../../fixtures/fakeLlm/server';
import { contractTier } from './driverContract';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

interface ToolPart { type: string; tool?: string; state?: { status: string; output?: string; error?: string } }

/**
 * The agent itself tries to leave its sandbox: the fake LLM makes real opencode run bash and read
 * tool calls against the API's secret key, another project's workspace and /proc. Everything the
 * test plants outside the agent's workspace carries a marker that must never come back.
 */
describe('local runtime sandbox (bubblewrap, real opencode)', function () {
  this.timeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-sandbox-'));
  const root = path.join(dataDir, 'projects');
  const projectId = randomUUID();
  const otherId = randomUUID();
  const password = randomBytes(16).toString('hex');
  const secretMarker = `secret-key-marker-${randomBytes(8).toString('hex')}`;
  const otherMarker = `other-workspace-marker-${randomBytes(8).toString('hex')}`;
  let fake: FakeLlm;
  let driver: LocalDriver;
  let agent: (p: string, init?: RequestInit) => Promise<Response>;
  let workspace: string;
  let otherFile: string;

  before(async function () {
    if (resolveSandbox(process.env).kind !== 'bwrap') {
      if (process.env.CI === 'true') throw new Error('bubblewrap is required under CI=true (test/harness/setup-debian.sh installs it)');
      this.skip();
    }
    fs.writeFileSync(path.join(dataDir, 'secret.key'), secretMarker, { mode: 0o600 });
    const other = projectPaths(root, otherId);
    fs.mkdirSync(other.workspace, { recursive: true });
    otherFile = path.join(other.workspace, 'notes.txt');
    fs.writeFileSync(otherFile, otherMarker);
    fake = await startFakeLlm();
    driver = new LocalDriver({ dataDir, box: new SecretBox(randomBytes(32)), sandbox: resolveSandbox({ ...process.env, HANGAR_LOCAL_SANDBOX: 'bwrap' }) });
    workspace = projectPaths(root, projectId).workspace;
    fs.mkdirSync(workspace, { recursive: true });
    // Every permission allowed: only the sandbox stands between the agent and the host.
    const config = { ...fakeProviderConfig(fake.baseUrl), permission: { bash: 'allow', read: 'allow', edit: 'allow', external_directory: 'allow' } };
    fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify(config));
    const rs = await driver.deploy({
      projectId, slug: 'sandboxed', tier: contractTier, force: false,
      env: { OPENCODE_SERVER_PASSWORD: password, FAKE_KEY: 'k-sandbox' },
    }, () => {}, new AbortController().signal);
    await waitForHealthy(rs.agentUrl!, password, { signal: new AbortController().signal, timeoutMs: 30_000 });
    agent = (p, init = {}) => fetch(rs.agentUrl + p, {
      ...init, headers: { Authorization: basicAuth(password), 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
  });

  after(async () => {
    await driver?.remove(projectId, { volumes: true }, () => {}).catch(() => {});
    await driver?.close();
    await fake?.close();
    for (const s of scanProcesses(root)) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
  });

  /** One turn whose model asks for `call`; the tool part as opencode ran it. */
  async function runTool(call: ToolCall): Promise<ToolPart> {
    fake.enqueue({ toolCalls: [call] }, { text: 'Done.' });
    const session = await (await agent('/session', { method: 'POST', body: '{}' })).json() as { id: string };
    const res = await agent(`/session/${session.id}/message`, { method: 'POST', body: JSON.stringify({ parts: [{ type: 'text', text: 'Go.' }] }) });
    assert.equal(res.status, 200);
    const messages = await (await agent(`/session/${session.id}/message`)).json() as { parts: ToolPart[] }[];
    const tool = messages.flatMap((m) => m.parts).find((p) => p.type === 'tool');
    assert.equal(tool?.tool, call.name);
    return tool!;
  }
  const seen = (t: ToolPart) => `${t.state?.output ?? ''}${t.state?.error ?? ''}`;

  it('bash cannot read the API\'s secret.key: the data dir does not exist for the agent', async () => {
    const tool = await runTool({ name: 'bash', arguments: { command: `cat ${path.join(dataDir, 'secret.key')}; ls ${dataDir}`, description: 'steal the key' } });
    assert.doesNotMatch(seen(tool), new RegExp(secretMarker));
    assert.match(seen(tool), /No such file or directory/);
  });

  it('read of another project\'s workspace fails', async () => {
    const tool = await runTool({ name: 'read', arguments: { filePath: otherFile } });
    assert.equal(tool.state?.status, 'error', seen(tool));
    assert.doesNotMatch(seen(tool), new RegExp(otherMarker));
  });

  it('reads and writes its own workspace and home', async () => {
    fs.writeFileSync(path.join(workspace, 'mine.txt'), 'own-workspace-content');
    const read = await runTool({ name: 'read', arguments: { filePath: path.join(workspace, 'mine.txt') } });
    assert.equal(read.state?.status, 'completed', seen(read));
    assert.match(seen(read), /own-workspace-content/);
    const write = await runTool({ name: 'bash', arguments: { command: 'echo written-inside > made.txt && echo home-ok > "$HOME/h.txt" && cat "$HOME/h.txt"', description: 'write' } });
    assert.match(seen(write), /home-ok/);
    assert.equal(fs.readFileSync(path.join(workspace, 'made.txt'), 'utf8'), 'written-inside\n');
  });

  it('/proc shows only the sandbox\'s own processes, and no capabilities', async () => {
    const tool = await runTool({ name: 'bash', arguments: { command: 'ls /proc | grep -E "^[0-9]+$" | wc -l; cat /proc/1/cmdline | tr "\\0" " "; echo; grep CapEff /proc/self/status', description: 'look around' } });
    const [count, pid1, capLine] = seen(tool).trim().split('\n');
    // pid 1 (bwrap's reaper), opencode, the shell and its pipeline: a handful, not the host's.
    assert.ok(Number(count) < 15, `processes visible: ${count}`);
    assert.match(pid1 ?? '', /bwrap/);
    assert.doesNotMatch(seen(tool), new RegExp(String(process.pid)));
    assert.match(capLine ?? '', /CapEff:\s+0+$/);
  });

  it('the wrapped argv binds only the agent\'s own folders writable', () => {
    const argv = new BwrapSandbox('/usr/bin/bwrap').wrap('/bin/true', ['x'], { workspace: '/w', home: '/h', configDir: '/c' }).args;
    const writable = argv.flatMap((a, i) => (a === '--bind' ? [argv[i + 1]] : []));
    assert.deepEqual(writable, ['/w', '/h', '/c']);
    assert.ok(argv.includes('--unshare-pid') && !argv.includes('--die-with-parent') && !argv.includes('--new-session'));
  });
});
