// The environment and the error reports of the harness's nested installs (test/harness/deps.mjs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanInstallEnv, run, stepLog } from '../../harness/deps.mjs';

/** What `npm test` (npm 11 on Node 20) puts into the environment of its script. */
const NPM_RUN_ENV = {
  HOME: '/home/u',
  LANG: 'C.UTF-8',
  PATH: ['/repo/node_modules/.bin', '/node_modules/.bin', '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', '/usr/local/bin', '/usr/bin'].join(path.delimiter),
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_nodedir: '/usr',
  npm_config_local_prefix: '/repo',
  npm_lifecycle_event: 'test',
  npm_package_name: 'hangar',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  NPM_CONFIG_REGISTRY: 'https://registry.example/',
  INIT_CWD: '/repo',
  NODE: '/usr/bin/node',
  COLOR: '0',
  HANGAR_CACHE_DIR: '/cache',
};

describe('harness: nested installs run with a clean environment', () => {
  it('drops every npm_* / npm_config_* variable of the outer npm run, and INIT_CWD, NODE, COLOR', () => {
    const env = cleanInstallEnv(NPM_RUN_ENV);
    assert.deepEqual(Object.keys(env).sort(), ['HANGAR_CACHE_DIR', 'HOME', 'LANG', 'PATH']);
    assert.equal(env.npm_config_user_agent, undefined, 'code-server\'s postinstall reads it: it must not name the outer Node');
  });

  it('drops the node_modules/.bin and node-gyp-bin entries npm put on PATH, keeps the rest in order, prepends what is asked', () => {
    const env = cleanInstallEnv(NPM_RUN_ENV, { prependPath: ['/cache/node24/bin'] });
    assert.deepEqual(env.PATH!.split(path.delimiter), ['/cache/node24/bin', '/usr/local/bin', '/usr/bin']);
  });

  it('sets what the step needs after cleaning (npm_config_nodedir for node-gyp against Node 24)', () => {
    const env = cleanInstallEnv(NPM_RUN_ENV, { set: { npm_config_nodedir: '/cache/node24' } });
    assert.equal(env.npm_config_nodedir, '/cache/node24');
    assert.equal(env.npm_config_user_agent, undefined);
  });

  it('keeps NODE and COLOR outside of npm (they are the user\'s own then)', () => {
    assert.deepEqual(cleanInstallEnv({ PATH: '/usr/bin', NODE: '/opt/node', COLOR: '1' }), { PATH: '/usr/bin', NODE: '/opt/node', COLOR: '1' });
  });
});

describe('harness: a failed install step names itself and its log', () => {
  let cache: string;
  let saved: string | undefined;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-deps-log-'));
    saved = process.env.HANGAR_CACHE_DIR;
    process.env.HANGAR_CACHE_DIR = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.HANGAR_CACHE_DIR; else process.env.HANGAR_CACHE_DIR = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('rejects with the step, the exit code, the log file and the last lines; the log has the whole output', async () => {
    const script = 'for (let i = 0; i < 100; i++) console.log("line " + i); console.error("boom"); process.exit(3)';
    const logFile = stepLog('install code-server 4.139.1');
    assert.equal(logFile, path.join(cache, 'logs', 'install-code-server-4.139.1.log'));
    await assert.rejects(run('install code-server 4.139.1', process.execPath, ['-e', script], {}, () => {}), (err: Error) => {
      assert.match(err.message, /^deps: step "install code-server 4\.139\.1" failed: .* exited with 3\nfull log: (.*)\nlast output:\n/);
      assert.ok(err.message.includes(`full log: ${logFile}\n`));
      assert.match(err.message, /line 99\nboom$/);
      assert.doesNotMatch(err.message, /line 10\n/, 'only the tail in the message');
      return true;
    });
    const text = fs.readFileSync(logFile, 'utf8');
    assert.match(text, /line 0\n[\s\S]*line 99\n[\s\S]*boom/);
  });

  it('a command that cannot start is a named failure too', async () => {
    await assert.rejects(run('install Node 24', '/nonexistent/npm', ['install'], {}, () => {}),
      /^Error: deps: step "install Node 24" failed: \/nonexistent\/npm failed to start: spawn \/nonexistent\/npm ENOENT/);
  });
});
