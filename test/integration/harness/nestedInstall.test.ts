// Reproduces the first-contact failure of `npm install && npm start` / `npm test` (issue 12): a
// nested `npm install` started from inside an outer `npm run` inherited npm_config_user_agent naming
// the outer Node (v20), and code-server's postinstall, which reads it, refused to install under
// Node 24. The fixture package's postinstall makes code-server's exact check (its postinstall.sh),
// against the Node that runs it. Real npm, real Node 24 (from the harness cache), offline.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanInstallEnv, ensureNode, run } from '../../harness/deps.mjs';

const POSTINSTALL = `#!/usr/bin/env sh
set -eu
# code-server 4.139.1's postinstall.sh: the major version of node from $npm_config_user_agent
major_node_version=$(echo "$npm_config_user_agent" | sed -n 's/.*node\\/v\\([^.]*\\).*/\\1/p')
running=$(node -p 'process.versions.node.split(".")[0]')
echo "$npm_config_user_agent" > "$AGENT_SEEN"
if [ "$major_node_version" -ne "$running" ]; then
  echo "ERROR: code-server currently requires node v$running."
  echo "We have detected that you are on node v$major_node_version"
  exit 1
fi
`;

describe('harness: a nested install started from `npm run` (real npm, Node 24)', function () {
  this.timeout(240_000);
  let dir: string;
  let node24Bin: string;
  let tarball: string;
  /** The environment `npm test` gives its script on the machine's Node (v20). */
  let outer: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(300_000);
    node24Bin = path.dirname((await ensureNode({ log: () => {} })).node24);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-nested-install-'));
    const pkg = path.join(dir, 'pkg');
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ua-check', version: '1.0.0', scripts: { postinstall: 'sh ./postinstall.sh' } }));
    fs.writeFileSync(path.join(pkg, 'postinstall.sh'), POSTINSTALL);
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8', env: cleanInstallEnv() });
    assert.equal(packed.status, 0, packed.stderr);
    tarball = path.join(dir, packed.stdout.trim().split('\n').at(-1)!);
    outer = {
      ...process.env,
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_lifecycle_event: 'test',
      npm_node_execpath: '/usr/bin/node',
      INIT_CWD: process.cwd(),
    };
  });

  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  function project(name: string): string {
    const p = path.join(dir, name);
    fs.mkdirSync(p);
    fs.writeFileSync(path.join(p, 'package.json'), JSON.stringify({ name, private: true, allowScripts: { 'ua-check': true } }));
    return p;
  }
  const npmArgs = () => ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball];

  it('with the outer environment inherited, the postinstall refuses (the bug this guards against)', () => {
    const cwd = project('inherited');
    const seen = path.join(cwd, 'agent.txt');
    const r = spawnSync('npm', npmArgs(), { cwd, encoding: 'utf8', env: { ...outer, PATH: `${node24Bin}${path.delimiter}${outer.PATH}`, AGENT_SEEN: seen } });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /We have detected that you are on node v20/);
  });

  it('with cleanInstallEnv, npm on Node 24 names itself and the postinstall passes', async () => {
    const cwd = project('clean');
    const seen = path.join(cwd, 'agent.txt');
    await run('nested install check', 'npm', npmArgs(),
      { cwd, env: cleanInstallEnv(outer, { prependPath: [node24Bin], set: { AGENT_SEEN: seen } }) }, () => {});
    assert.match(fs.readFileSync(seen, 'utf8'), /^npm\/\S+ node\/v24\./);
    assert.ok(fs.existsSync(path.join(cwd, 'node_modules', 'ua-check', 'package.json')));
  });
});
