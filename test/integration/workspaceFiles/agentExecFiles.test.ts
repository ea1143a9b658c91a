// The coolify runtime's path to a workspace: Coolify has no exec, so the file program runs through
// the agent's own opencode PTY API (agentExec) on opencode's Bun. The Coolify stand-in runs no
// containers, so this drives that exact path against a real opencode started by the local driver.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentExec } from '../../../backend/runtime/agentExec';
import type { RuntimeDriver } from '../../../backend/runtime/driver';
import { LocalDriver } from '../../../backend/runtime/local/localDriver';
import { resolveOpencodeBinary } from '../../../backend/runtime/local/opencodeBinary';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { silentLogger } from '../../../backend/logger';
import { HttpError } from '../../../backend/errors';
import type { WorkspaceChanged } from '../../../backend/contract';
import { WorkspaceFiles } from '../../../backend/workspaceFiles/workspaceFiles';
import { contractTier } from '../runtime/driverContract';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('workspace files through the agent\'s PTY API (the coolify runtime\'s path, real opencode)', function () {
  this.timeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-agentfs-'));
  const id = crypto.randomUUID();
  const password = 'pw-' + randomBytes(8).toString('hex');
  let local: LocalDriver;
  let files: WorkspaceFiles;
  let workspace: string;
  const published: WorkspaceChanged[] = [];

  before(async () => {
    local = new LocalDriver({ dataDir, box: new SecretBox(randomBytes(32)) });
    const st = await local.deploy({ projectId: id, slug: 'af', tier: contractTier, force: false, env: { OPENCODE_SERVER_PASSWORD: password } }, () => {}, new AbortController().signal);
    assert.equal(st.state, 'running');
    workspace = projectPaths(path.join(dataDir, 'projects'), id).workspace;
    const opencode = resolveOpencodeBinary().path;
    // What CoolifyDriver.exec does: agentExec on the project's agent. In a container `opencode` is on
    // PATH; this agent's PATH is the host's, so the pinned binary is named by its path.
    const coolifyLike = {
      name: 'coolify',
      exec: (_id: string, argv: string[], opts?: { env?: Record<string, string>; timeoutMs?: number }) =>
        agentExec(st.agentUrl!, password, argv[0] === 'opencode' ? [opencode, ...argv.slice(1)] : argv, opts),
    } as unknown as RuntimeDriver;
    files = new WorkspaceFiles({
      ownedRow: async (_u, projectId) => ({ id: projectId, runtime: 'coolify' }),
      driverFor: async () => coolifyLike,
      workspace: () => ({ agentRoot: workspace }),
      agentTarget: async () => { throw new Error('not needed'); },
      publish: (_u, data) => { published.push(data); },
      log: silentLogger,
    });
  });
  after(async () => {
    await local?.remove(id, { volumes: true }, () => {}).catch(() => {});
    await local?.close();
    for (const s of scanProcesses(path.join(dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
  });

  it('writes, lists, stats and reads a file (binary-safe, 300 KiB), and publishes the change', async () => {
    const big = randomBytes(300 * 1024);
    await files.mkdir('u', id, 'docs');
    await files.write('u', id, { path: 'docs/blob.bin', content: big.toString('base64'), create: true, overwrite: true });
    assert.ok(fs.readFileSync(path.join(workspace, 'docs/blob.bin')).equals(big), 'the bytes on disk are the bytes sent');
    assert.deepEqual((await files.list('u', id, 'docs')).entries, [{ name: 'blob.bin', type: 'file', symlink: false }]);
    assert.equal((await files.stat('u', id, 'docs/blob.bin')).size, big.length);
    const read = await files.read('u', id, 'docs/blob.bin');
    assert.ok(Buffer.from(read.content, 'base64').equals(big), 'read back unchanged through the PTY');
    assert.deepEqual(published.map((p) => p.changes), [[{ type: 'created', path: 'docs' }], [{ type: 'created', path: 'docs/blob.bin' }]]);
  });

  it('refuses a symlink out of the workspace there too', async () => {
    fs.symlinkSync('/etc/passwd', path.join(workspace, 'pw'));
    await assert.rejects(files.read('u', id, 'pw'), (e: HttpError) => e.status === 403 && e.code === 'outside_workspace');
    await assert.rejects(files.write('u', id, { path: 'pw', content: '', create: true, overwrite: true }), (e: HttpError) => e.code === 'symlink_refused');
    await assert.rejects(files.read('u', id, 'nope.txt'), (e: HttpError) => e.status === 404);
  });
});
