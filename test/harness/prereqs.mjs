// The Debian packages `npm start` and `npm test` need, installed through the script CI runs
// (test/harness/setup-debian.sh): checked in one dpkg-query (fast when present), installed as root
// or with sudo when something is missing, and otherwise a clear error with the exact command.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SETUP_DEBIAN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'setup-debian.sh');

/**
 * @param {object} [o]
 * @param {(line: string) => void} [o.log]
 * @param {string} [o.script] the setup script (default test/harness/setup-debian.sh)
 * @param {NodeJS.ProcessEnv} [o.env]
 */
export function ensureDebianPackages({ log = (line) => console.log(`[prereqs] ${line}`), script = SETUP_DEBIAN, env = process.env } = {}) {
  const check = spawnSync('bash', [script, '--check'], { encoding: 'utf8', env });
  if (check.error) throw new Error(`cannot run ${script}: ${check.error.message}`);
  if (check.status === 0) return { installed: false };
  if (check.status === 3) {
    // Not Debian: nothing to install with; later steps name what they miss.
    log(check.stderr.trim());
    return { installed: false };
  }
  if (check.status !== 1) throw new Error(`${script} --check exited with ${check.status}: ${(check.stderr || check.stdout).trim()}`);
  log(`${check.stdout.trim()}; installing them with ${path.relative(process.cwd(), script) || script}`);
  const install = spawnSync('bash', [script], { stdio: ['inherit', 'inherit', 'pipe'], encoding: 'utf8', env });
  if (install.status === 0) return { installed: true };
  const said = (install.stderr || '').trim();
  if (install.status === 2) throw new Error(said); // not root, no sudo: the message has the command
  process.stderr.write(said ? `${said}\n` : '');
  throw new Error(`installing the Debian packages failed (exit ${install.status}). Run it yourself as root (or with sudo):\n  sudo bash ${script}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try { ensureDebianPackages(); } catch (err) { console.error(err.message); process.exit(1); }
}
