import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDriver } from '../../../backend/runtime/local/localDriver';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { readRecord, scanProcesses } from '../../../backend/runtime/local/processes';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { contractTier, describeDriverContract } from './driverContract';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-local-'));
const box = new SecretBox(randomBytes(32));
const drivers: LocalDriver[] = [];

function crash(projectId: string): Promise<void> {
  const record = readRecord(projectPaths(path.join(dataDir, 'projects'), projectId).runtimeFile);
  assert.ok(record?.pid, 'a recorded pid');
  // The whole sandbox (bwrap, its reaper, opencode) dies at once, as when opencode crashes.
  process.kill(-record.pid, 'SIGKILL');
  return Promise.resolve();
}

describeDriverContract('local (real opencode)', async () => {
  const d = new LocalDriver({ dataDir, box, livenessMs: 200 });
  drivers.push(d);
  return d;
}, { crash, sameInstanceOnRestart: false });

describe('local runtime driver specifics', function () {
  this.timeout(60_000);
  const id = crypto.randomUUID();
  let driver: LocalDriver;
  before(() => { driver = new LocalDriver({ dataDir, box }); drivers.push(driver); });
  after(async () => {
    await driver.remove(id, { volumes: true }, () => {}).catch(() => {});
    for (const d of drivers) await d.close();
    // Nothing this file started may survive it.
    for (const s of scanProcesses(path.join(dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
  });

  it('isolates HOME/XDG, keeps the secret out of files in clear, and a second driver re-adopts the process', async () => {
    const password = 'pw-' + Math.random().toString(36).slice(2);
    const st = await driver.deploy({ projectId: id, slug: 's', tier: contractTier, force: false, env: { OPENCODE_SERVER_PASSWORD: password } }, () => {}, new AbortController().signal);
    assert.equal(st.state, 'running');
    const p = projectPaths(path.join(dataDir, 'projects'), id);
    const record = readRecord(p.runtimeFile)!;
    const environ = fs.readFileSync(`/proc/${record.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes(`HOME=${p.home}`));
    assert.ok(environ.includes(`XDG_DATA_HOME=${path.join(p.home, '.local', 'share')}`));
    assert.ok(environ.includes('OPENCODE_DISABLE_MODELS_FETCH=1'));
    assert.ok(!environ.some((e) => e.startsWith('HANGAR_ENCRYPTION_KEY')));
    assert.ok(!fs.readFileSync(p.specFile, 'utf8').includes(password), 'the stored spec is sealed');
    assert.ok(fs.existsSync(path.join(p.workspace, '.git')), 'git workspace');
    // A new driver (the API restarted) sees the same process running.
    const second = new LocalDriver({ dataDir, box });
    drivers.push(second);
    const adopted = await second.status(id);
    assert.deepEqual([adopted.state, adopted.instanceId, adopted.agentUrl], ['running', st.instanceId, st.agentUrl]);
    const exec = await second.exec(id, ['git', 'status', '--porcelain=v1', '-b']);
    assert.equal(exec.exitCode, 0);
    assert.match(exec.stdout, /## (No commits yet on )?main/);
    // The plugin install was skipped: the config dir holds only the stub.
    assert.ok(!fs.existsSync(path.join(p.configDir, 'node_modules', 'zod')), 'no npm install into the config dir');
  });
});
