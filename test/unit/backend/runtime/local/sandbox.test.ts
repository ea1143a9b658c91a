import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BwrapSandbox, SandboxError, resolveSandbox } from '../../../../../backend/runtime/local/sandbox';
import type { Logger } from '../../../../../backend/logger';

function recorder(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const noop = () => undefined;
  return { warnings, log: { debug: noop, info: noop, error: noop, warn: (m: string) => { warnings.push(m); } } as unknown as Logger };
}

describe('local runtime sandbox choice (HANGAR_LOCAL_SANDBOX)', () => {
  // A PATH without bwrap: an empty folder.
  const noBwrap = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-nobwrap-'));
  after(() => fs.rmSync(noBwrap, { recursive: true, force: true }));

  it('off: no sandbox, a loud warning and a note saying what the agent can read', () => {
    const { log, warnings } = recorder();
    const s = resolveSandbox({ PATH: process.env.PATH, HANGAR_LOCAL_SANDBOX: 'off' }, log);
    assert.equal(s.kind, 'none');
    assert.match(s.note ?? '', /not sandboxed \(HANGAR_LOCAL_SANDBOX=off\).*data dir/);
    assert.equal(warnings.length, 1);
    assert.deepEqual(s.wrap('/bin/opencode', ['serve'], { workspace: '/w', home: '/h', configDir: '/c' }), { cmd: '/bin/opencode', args: ['serve'] });
  });

  it('auto without bubblewrap: falls back with a warning that says how to fix it', () => {
    const { log, warnings } = recorder();
    const s = resolveSandbox({ PATH: noBwrap }, log);
    assert.equal(s.kind, 'none');
    assert.match(warnings[0] ?? '', /bubblewrap \(bwrap\) is not installed.*apt-get install bubblewrap.*HANGAR_LOCAL_SANDBOX=off/);
  });

  it('CI=true or HANGAR_LOCAL_SANDBOX=bwrap without bubblewrap: an error, never a silent fallback', () => {
    assert.throws(() => resolveSandbox({ PATH: noBwrap, CI: 'true' }), (e: unknown) => e instanceof SandboxError && /not installed.*CI=true/.test(e.message));
    assert.throws(() => resolveSandbox({ PATH: noBwrap, HANGAR_LOCAL_SANDBOX: 'bwrap' }), SandboxError);
    assert.throws(() => resolveSandbox({ PATH: noBwrap, HANGAR_LOCAL_SANDBOX: 'maybe' }), /HANGAR_LOCAL_SANDBOX="maybe" is invalid/);
  });

  it('wraps the agent so only its workspace, home and config dir are writable, in new pid/ipc/uts namespaces', () => {
    const { cmd, args } = new BwrapSandbox('/usr/bin/bwrap').wrap('/bin/sh', ['-c', 'true'], { workspace: '/p/w', home: '/p/h', configDir: '/p/c' });
    assert.equal(cmd, '/usr/bin/bwrap');
    const pairs = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
    assert.deepEqual(pairs('--bind'), ['/p/w', '/p/h', '/p/c']);
    assert.ok(pairs('--ro-bind-try').every((d) => ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'].includes(d!)));
    for (const f of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--proc', '--dev']) assert.ok(args.includes(f), f);
    assert.deepEqual(pairs('--cap-drop'), ['ALL']);
    assert.deepEqual(pairs('--unsetenv'), ['HANGAR_LOCAL_ROOT']);
    assert.deepEqual(args.slice(args.indexOf('--') + 1), [fs.realpathSync('/bin/sh'), '-c', 'true']);
  });
});
