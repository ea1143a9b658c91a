// agentExec against the real opencode server (started by the local runtime driver, as Hangar runs it):
// commands run through opencode's PTY API, which is how the coolify runtime runs git in its containers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentExec, AgentExecError, normalisePtyOutput } from '../../../backend/runtime/agentExec';
import { basicAuth } from '../../../backend/runtime/health';
import { LocalDriver } from '../../../backend/runtime/local/localDriver';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { contractTier } from './driverContract';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('agentExec: commands through the real opencode PTY API', function () {
  this.timeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-agentexec-'));
  const id = crypto.randomUUID();
  const password = 'pw-' + randomBytes(8).toString('hex');
  let driver: LocalDriver;
  let agentUrl: string;
  let workspace: string;

  before(async () => {
    driver = new LocalDriver({ dataDir, box: new SecretBox(randomBytes(32)) });
    const st = await driver.deploy({ projectId: id, slug: 'ae', tier: contractTier, force: false, env: { OPENCODE_SERVER_PASSWORD: password } }, () => {}, new AbortController().signal);
    assert.equal(st.state, 'running');
    agentUrl = st.agentUrl!;
    workspace = projectPaths(path.join(dataDir, 'projects'), id).workspace;
  });
  after(async () => {
    await driver?.remove(id, { volumes: true }, () => {}).catch(() => {});
    await driver?.close();
    for (const s of scanProcesses(path.join(dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
  });

  async function sessions(): Promise<unknown[]> {
    const res = await fetch(`${agentUrl}/pty`, { headers: { Authorization: basicAuth(password) } });
    return (await res.json()) as unknown[];
  }

  it('runs git --version and returns its output, normalised, with exit code 0', async () => {
    const res = await agentExec(agentUrl, password, ['git', '--version']);
    assert.equal(res.exitCode, 0);
    assert.match(res.stdout, /^git version \d+\.\d+/);
    assert.ok(!res.stdout.includes('\r'), 'CRLF normalised');
    assert.equal(res.stderr, '', 'a PTY merges stderr into stdout');
  });

  it('reports a failing command\'s exit code and its (merged) error output', async () => {
    const res = await agentExec(agentUrl, password, ['git', 'no-such-subcommand']);
    assert.equal(res.exitCode, 1);
    assert.match(res.stdout, /'no-such-subcommand' is not a git command/);
    const missing = await agentExec(agentUrl, password, ['hangar-no-such-binary']);
    assert.equal(missing.exitCode, 127);
  });

  it('passes argv as they are: spaces, ; and $ are not interpreted by a shell', async () => {
    const res = await agentExec(agentUrl, password, ['printf', '%s|', 'a b; echo pwned', '$HOME', '`id`', '"q"']);
    assert.equal(res.exitCode, 0);
    assert.equal(res.stdout, 'a b; echo pwned|$HOME|`id`|"q"|');
  });

  it('keeps the environment out of the agent\'s logs and files (it carries the GitHub token for sync)', async () => {
    const secret = 'ghp_' + randomBytes(12).toString('hex');
    const res = await agentExec(agentUrl, password, ['true'], { env: { GIT_CONFIG_VALUE_0: `Authorization: Basic ${secret}` } });
    assert.equal(res.exitCode, 0);
    const lines = await driver.logs(id, 10_000);
    assert.ok(!lines.some((l) => l.includes(secret)), 'the secret is in the agent\'s log');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.isFile() && fs.statSync(full).size < 50_000_000 && fs.readFileSync(full).includes(secret)) files.push(full);
      }
    };
    walk(dataDir);
    assert.deepEqual(files, [], 'files under the project folder hold the secret');
  });

  it('passes the environment and honours cwd (default: the agent\'s workspace)', async () => {
    const env = await agentExec(agentUrl, password, ['printenv', 'HANGAR_TEST_VALUE'], { env: { HANGAR_TEST_VALUE: 'x y;z' } });
    assert.deepEqual([env.exitCode, env.stdout], [0, 'x y;z\n']);
    // Inside the workspace: the sandboxed agent sees nothing of the data dir beyond its own folders.
    const dir = fs.mkdtempSync(path.join(workspace, 'cwd-'));
    const cwd = await agentExec(agentUrl, password, ['pwd'], { cwd: dir });
    assert.equal(cwd.stdout.trim(), fs.realpathSync(dir));
    const dflt = await agentExec(agentUrl, password, ['git', 'rev-parse', '--show-toplevel']);
    assert.equal(dflt.stdout.trim(), fs.realpathSync(workspace));
  });

  it('stops a command that outlives its timeout, with a clear error, and leaves no session behind', async () => {
    await assert.rejects(agentExec(agentUrl, password, ['sleep', '30'], { timeoutMs: 1_500 }), (err: unknown) => {
      assert.ok(err instanceof AgentExecError);
      assert.equal(err.code, 'agent_exec_timeout');
      assert.match(err.message, /sleep did not finish within 2 s and was stopped/);
      return true;
    });
    assert.deepEqual(await sessions(), []);
  });

  it('says so when the password is wrong', async () => {
    await assert.rejects(agentExec(agentUrl, 'wrong', ['git', '--version'], { timeoutMs: 10_000 }), /HTTP 401: check the project's password/);
  });

  it('normalises ANSI escapes and carriage returns', () => {
    assert.equal(normalisePtyOutput('\x1b[1;31mred\x1b[0m\r\nnext\rover\x1b]0;title\x07'), 'red\nnext\nover');
  });
});
