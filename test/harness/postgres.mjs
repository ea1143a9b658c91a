// A private PostgreSQL for the tests that run the API on it (HANGAR_TEST_DATABASE=postgres), from
// Debian's `postgresql` package (binaries under /usr/lib/postgresql/<version>/bin), like dockerd.mjs:
// its own data dir, loopback port and socket under /tmp/hangar-postgres, reused when one answers,
// stopped and removed by the process that started it (HANGAR_KEEP_POSTGRES=1 keeps it running).
// postgres refuses to run as root: as root the cluster belongs to an unprivileged OS user
// (hangar-pg, created when missing) and every server command runs as that user through runuser.
// Each test API gets its own database (CREATE DATABASE is fast), named after its data dir.
// Under CI=true a PostgreSQL that cannot start is an error; elsewhere requirePostgres() returns null.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const PG_ROOT = process.env.HANGAR_PG_ROOT || '/tmp/hangar-postgres';
const DATA = path.join(PG_ROOT, 'data');
const PORTFILE = path.join(PG_ROOT, 'port');
const LOGFILE = path.join(PG_ROOT, 'postgres.log');
const OS_USER = 'hangar-pg';
const DB_USER = 'hangar';
const DB_PREFIX = 'hangar_t_';

/** Whether the tests run the API on PostgreSQL (`HANGAR_TEST_DATABASE=postgres`) instead of SQLite. */
export const onPostgres = () => process.env.HANGAR_TEST_DATABASE === 'postgres';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isRoot = () => process.getuid?.() === 0;

/** The newest installed server's bin dir (HANGAR_PG_BIN overrides), or null. */
export function postgresBinDir() {
  if (process.env.HANGAR_PG_BIN) return process.env.HANGAR_PG_BIN;
  const base = '/usr/lib/postgresql';
  let versions = [];
  try { versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)); } catch { /* none */ }
  for (const v of versions) if (fs.existsSync(path.join(base, v, 'bin', 'postgres'))) return path.join(base, v, 'bin');
  return null;
}

/** Runs a server binary as the cluster's owner (synchronously), throwing with its output on failure. */
function runAsOwner(bin, args) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', OS_USER, '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  return r.stdout;
}

function ensureOsUser() {
  if (!isRoot()) return;
  if (spawnSync('id', ['-u', OS_USER]).status === 0) return;
  execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', OS_USER]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const adminUrl = (port, db = 'postgres') => `postgres://${DB_USER}@127.0.0.1:${port}/${db}`;

async function answers(port) {
  const client = new pg.Client({ connectionString: adminUrl(port), connectionTimeoutMillis: 1000 });
  try { await client.connect(); await client.query('select 1'); return true; } catch { return false; } finally { await client.end().catch(() => {}); }
}

function readPort() {
  try { const p = Number(fs.readFileSync(PORTFILE, 'utf8').trim()); return p > 0 ? p : null; } catch { return null; }
}

/** A mkdir lock so two test processes do not both initialise or start the cluster. */
async function withLock(fn) {
  const lock = `${PG_ROOT}.start-lock`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try { fs.mkdirSync(lock); break; } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: err });
      await sleep(200);
    }
  }
  try { return await fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

async function launch(bin, log) {
  ensureOsUser();
  fs.mkdirSync(PG_ROOT, { recursive: true, mode: 0o700 });
  if (isRoot()) execFileSync('chown', ['-R', `${OS_USER}:`, PG_ROOT]);
  if (!fs.existsSync(path.join(DATA, 'PG_VERSION'))) {
    fs.rmSync(DATA, { recursive: true, force: true });
    // C collation: text sorts by bytes, as in SQLite; trust on loopback only (a throw-away cluster).
    runAsOwner(path.join(bin, 'initdb'), ['-D', DATA, '-U', DB_USER, '--auth=trust', '--locale=C', '--encoding=UTF8', '--no-sync']);
  }
  const port = await freePort();
  fs.writeFileSync(PORTFILE, String(port));
  const out = fs.openSync(LOGFILE, 'a');
  if (isRoot()) fs.fchownSync(out, Number(execFileSync('id', ['-u', OS_USER]).toString()), Number(execFileSync('id', ['-g', OS_USER]).toString()));
  // Durability off: a test cluster that is thrown away needs speed, not crash safety.
  const args = ['-D', DATA, '-p', String(port), '-h', '127.0.0.1', '-k', PG_ROOT, '-c', 'fsync=off',
    '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'];
  const postgres = path.join(bin, 'postgres');
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', OS_USER, '--', postgres, ...args]] : [postgres, args];
  const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', out, out], cwd: '/' });
  fs.closeSync(out);
  child.unref();
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && exited === null) {
    if (await answers(port)) { log(`postgres pid ${child.pid} ready on 127.0.0.1:${port} (${PG_ROOT})`); return port; }
    await sleep(100);
  }
  if (exited === null) { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }
  const tail = fs.readFileSync(LOGFILE, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`postgres did not become ready${exited !== null ? ` (exited ${exited})` : ''}; ${LOGFILE}:\n${tail}`);
}

let shared = null; // { port, startedHere, users }

/**
 * Makes sure the test cluster answers. Returns { url(db), port, startedHere, stop }: stop() stops the
 * cluster (and removes its data) only when this process started it and no other caller still uses it.
 */
export async function startPostgres({ log = (line) => console.log(`[postgres] ${line}`) } = {}) {
  if (!shared) {
    const started = Date.now();
    const bin = postgresBinDir();
    const reused = readPort();
    if (reused && await answers(reused)) {
      shared = { port: reused, startedHere: false, users: 0 };
    } else {
      if (!bin) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (test/harness/setup-debian.sh does it)');
      shared = await withLock(async () => {
        const again = readPort();
        if (again && await answers(again)) return { port: again, startedHere: false, users: 0 };
        return { port: await launch(bin, log), startedHere: true, users: 0 };
      });
      if (shared.startedHere) process.once('exit', () => { if (shared?.startedHere && !process.env.HANGAR_KEEP_POSTGRES) stopClusterSync(); });
    }
    log(`cluster on port ${shared.port} in ${Date.now() - started} ms${shared.startedHere ? ' (started here)' : ' (reused)'}`);
    await dropDatabasesOfRemovedDirs(shared.port).catch((err) => log(`cleanup skipped: ${err.message}`));
  }
  shared.users += 1;
  const { port } = shared;
  let released = false;
  return {
    port,
    startedHere: shared.startedHere,
    url: (db = 'postgres') => adminUrl(port, db),
    stop: async () => {
      if (released) return;
      released = true;
      shared.users -= 1;
      if (shared.users === 0 && shared.startedHere && !process.env.HANGAR_KEEP_POSTGRES) { stopClusterSync(); shared = null; }
    },
  };
}

/** The cluster, or null when it cannot run here and we are not in CI (the caller skips). */
export async function requirePostgres(opts) {
  try {
    return await startPostgres(opts);
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.warn(`[postgres] not available, PostgreSQL tests skipped: ${err.message}`);
    return null;
  }
}

/** Stops the cluster (fast shutdown) and removes its files. Synchronous: it also runs on process exit. */
export function stopClusterSync() {
  const bin = postgresBinDir();
  if (bin && fs.existsSync(path.join(DATA, 'postmaster.pid'))) {
    try { runAsOwner(path.join(bin, 'pg_ctl'), ['stop', '-D', DATA, '-m', 'fast', '-w', '-t', '20']); } catch { /* already down */ }
  }
  fs.rmSync(PG_ROOT, { recursive: true, force: true });
}

/** The database name for a test data dir: stable, so an API restarted on the same dir finds its data. */
export function databaseNameFor(dataDir) {
  return DB_PREFIX + createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
}

let cluster = null;

/**
 * The database URL of the API whose data dir is `dataDir`: a database of its own, created on first
 * use (the dir is recorded as its comment, so a later run drops it once the dir is gone).
 */
export async function databaseUrlFor(dataDir) {
  cluster ??= await startPostgres({ log: () => {} });
  const name = databaseNameFor(dataDir);
  const client = new pg.Client({ connectionString: cluster.url() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${name}`).catch((err) => { if (err.code !== '42P04') throw err; });
      await client.query(`comment on database ${name} is ${pg.escapeLiteral(path.resolve(dataDir))}`);
    }
  } finally {
    await client.end();
  }
  return cluster.url(name);
}

/** `{ HANGAR_DATABASE_URL }` for a test API on PostgreSQL; `{}` on SQLite (the API's default file). */
export async function testDatabaseEnv(dataDir) {
  return onPostgres() ? { HANGAR_DATABASE_URL: await databaseUrlFor(dataDir) } : {};
}

/** A reused cluster keeps the databases of earlier runs: drop those whose data dir was removed. */
async function dropDatabasesOfRemovedDirs(port) {
  const client = new pg.Client({ connectionString: adminUrl(port) });
  await client.connect();
  try {
    const { rows } = await client.query(`select datname, shobj_description(oid, 'pg_database') as dir from pg_database
      where datname like '${DB_PREFIX}%'`);
    for (const r of rows) {
      if (r.dir && !fs.existsSync(r.dir)) await client.query(`drop database if exists ${r.datname} with (force)`).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** What openDatabase() takes for a test's data dir: its SQLite file, or its PostgreSQL database. */
export async function testDatabaseConfig(dataDir, file = 'hangar.db') {
  return onPostgres() ? { kind: 'postgres', url: await databaseUrlFor(dataDir) } : { kind: 'sqlite', file: path.join(dataDir, file) };
}
