// `npm start` / `npm test` install the Debian packages through setup-debian.sh (test/harness/prereqs.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages, SETUP_DEBIAN } from '../../harness/prereqs.mjs';

describe('harness: Debian prerequisites', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-prereqs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** setup-debian.sh with its package list replaced (a package that does not exist is always missing). */
  function scriptWith(packages: string): string {
    const text = fs.readFileSync(SETUP_DEBIAN, 'utf8').replace(/^PACKAGES=\(.*\)$/m, `PACKAGES=(${packages})`);
    const file = path.join(dir, 'setup-debian.sh');
    fs.writeFileSync(file, text);
    return file;
  }

  it('the real list is present here (the harness installed it): one quick check, nothing installed', function () {
    if (!fs.existsSync('/usr/bin/dpkg-query')) this.skip();
    const started = Date.now();
    assert.deepEqual(ensureDebianPackages({ log: () => {} }), { installed: false });
    assert.ok(Date.now() - started < 5000);
  });

  it('--check names what is missing and exits 1 without installing', function () {
    if (!fs.existsSync('/usr/bin/dpkg-query')) this.skip();
    const r = spawnSync('bash', [scriptWith('bash hangar-no-such-package'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout.trim(), 'setup-debian: missing hangar-no-such-package');
  });

  it('without root and without sudo: a clear error with the exact command to run as root', function () {
    if (!fs.existsSync('/usr/bin/dpkg-query') || process.getuid?.() !== 0) this.skip();
    const script = scriptWith('bash hangar-no-such-package');
    fs.chmodSync(dir, 0o755);
    // An unprivileged user whose PATH has no sudo.
    const r = spawnSync('su', ['nobody', '-s', '/bin/bash', '-c', `PATH=/usr/bin:/bin; command -v sudo >/dev/null && exit 99; bash ${script}`], { encoding: 'utf8' });
    assert.notEqual(r.status, 99, 'sudo is installed here: this case cannot be shown');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing hangar-no-such-package, and installing them needs root \(no sudo here\)\. Run, as root:\n {2}bash .*setup-debian\.sh\n/);
  });

  it('a failed install is an error naming the script to run (no silent continue)', () => {
    const fake = path.join(dir, 'fake.sh');
    fs.writeFileSync(fake, 'if [ "${1:-}" = --check ]; then echo "setup-debian: missing x"; exit 1; fi\necho "setup-debian: missing x, and installing them needs root (no sudo here). Run, as root:" >&2\necho "  bash /x/setup-debian.sh" >&2\nexit 2\n');
    const lines: string[] = [];
    assert.throws(() => ensureDebianPackages({ script: fake, log: (l) => lines.push(l) }), /needs root \(no sudo here\)\. Run, as root:\n {2}bash \/x\/setup-debian\.sh/);
    assert.match(lines.join('\n'), /setup-debian: missing x; installing them/);
  });
});
