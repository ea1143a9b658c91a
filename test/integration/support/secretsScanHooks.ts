// Root hooks of the integration suites (test/.mocharc.integration*.json): the secrets scan after the
// whole suite (issue 13). Before the first test the registry starts recording: every API data dir
// the launchers start (apiServer.ts, faults/support.ts, harness/api.mjs) and every event stream
// read (sseReader.ts), and data dirs removed through removeDataDir() stay until now. After the last
// test: every file of every data dir (SQLite's file with its -wal, logs, sealed specs, workspaces,
// the agents' homes), each PostgreSQL database's rows, every stream and API log, searched for
// marker secrets (test/harness/secretsScan.mjs) and for every secret the APIs hold: their admin
// tokens, encryption keys and every sealed value (server passwords, webhook secrets, credentials).
// A finding fails the suite, naming the file and the secret.
import fs from 'node:fs';
import path from 'node:path';
import { recorded, startRecording } from '../../harness/scanRegistry.mjs';
import { dataDirKeySecrets, scanBytes, scanTree, secretIndex, type KnownSecret } from '../../harness/secretsScan.mjs';
import { readDatabase } from './apiSecrets';

async function scanEverythingRecorded(): Promise<{ findings: string[]; summary: string }> {
  const started = Date.now();
  const { dataDirs, captures } = recorded();
  const present = dataDirs.filter((d) => fs.existsSync(d.dir));
  const secrets: KnownSecret[] = [];
  const dumps: Array<{ dir: string; text: string }> = [];
  const notes = new Map<string, number>();
  for (const { dir } of present) {
    secrets.push(...dataDirKeySecrets(dir));
    try {
      const db = await readDatabase(dir);
      secrets.push(...db.secrets);
      if (db.dump) dumps.push({ dir, text: db.dump });
      if (db.note) notes.set(db.note, (notes.get(db.note) ?? 0) + 1);
    } catch (err) {
      const note = `database not read: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      notes.set(note, (notes.get(note) ?? 0) + 1);
    }
  }
  const anchors = secretIndex(secrets);
  const findings: string[] = [];
  let files = 0;
  let bytes = 0;
  // A data dir recorded inside another (a test's parent dir) is scanned once, as part of the outer one.
  const roots = present.filter((d) => !present.some((o) => o !== d && d.dir.startsWith(o.dir + path.sep)));
  for (const { dir } of roots) {
    const r = scanTree(dir, anchors);
    files += r.files;
    bytes += r.bytes;
    findings.push(...r.findings);
  }
  for (const d of dumps) findings.push(...scanBytes(`the PostgreSQL database of ${d.dir}`, Buffer.from(d.text), anchors));
  let streamBytes = 0;
  for (const c of captures) {
    const text = Buffer.from(c.text());
    streamBytes += text.length;
    findings.push(...scanBytes(c.label, text, anchors));
  }
  const noteText = [...notes].map(([n, count]) => `${count}× ${n}`).join('; ');
  const summary = `secrets scan: ${dataDirs.length} data dirs recorded (${dataDirs.length - present.length} removed before the scan), `
    + `${files} files (${(bytes / 1e6).toFixed(1)} MB), ${dumps.length} PostgreSQL databases, ${captures.length} streams and logs `
    + `(${(streamBytes / 1e6).toFixed(1)} MB), ${secrets.length} known secrets + markers: ${findings.length} found `
    + `in ${((Date.now() - started) / 1000).toFixed(1)} s${noteText ? ` (${noteText})` : ''}`;
  return { findings, summary };
}

export const mochaHooks = {
  beforeAll(): void {
    startRecording();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    const { dataDirs } = recorded();
    const { findings, summary } = await scanEverythingRecorded();
    console.log(`\n  ${summary}`);
    // The dirs whose tests removed them go now; with a finding they stay for a look (and are named).
    if (!findings.length || process.env.HANGAR_KEEP_STATE) {
      for (const d of dataDirs) if (d.remove && !process.env.HANGAR_KEEP_STATE) fs.rmSync(d.dir, { recursive: true, force: true });
    }
    if (findings.length) {
      const shown = findings.slice(0, 50).map((f) => `\n  - ${f}`).join('');
      throw new Error(`plaintext secrets left by the suite (${findings.length}):${shown}${findings.length > 50 ? '\n  ...' : ''}`);
    }
  },
};
