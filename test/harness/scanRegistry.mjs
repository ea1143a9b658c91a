// What a test run leaves for the secrets scan (secretsScan.mjs): the API data dirs it made, the event
// streams it read. The integration suite's root hook (test/integration/support/secretsScanHooks.ts)
// turns recording on; from then on a data dir a test removes through removeDataDir() stays until the
// scan after the whole suite has read it. Without the hook (one test file run alone) nothing is
// recorded and removeDataDir() removes at once.
// One registry per process, on globalThis: the .mjs and the TypeScript tests may load this module twice.
import fs from 'node:fs';
import path from 'node:path';

const KEY = Symbol.for('hangar.test.scanRegistry');
/** @type {{ recording: boolean, dataDirs: Map<string, { remove: boolean }>, captures: Array<{ label: string, text: () => string }> }} */
const registry = (globalThis[KEY] ??= { recording: false, dataDirs: new Map(), captures: [] });

/** Called by the root hook before the suite: records and keeps from now on. */
export function startRecording() { registry.recording = true; }

export function isRecording() { return registry.recording; }

/** An API data dir the suite uses (the launchers call this). */
export function recordDataDir(dir) {
  if (!registry.recording || !dir) return;
  const key = path.resolve(dir);
  if (!registry.dataDirs.has(key)) registry.dataDirs.set(key, { remove: false });
}

/** Removes a test's data dir (or a dir holding data dirs): at once, or after the scan while recording. */
export function removeDataDir(dir) {
  if (!dir) return;
  if (registry.recording) registry.dataDirs.set(path.resolve(dir), { remove: true });
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** Something a test read from the API (an event stream): `text()` is read at scan time. */
export function recordCapture(label, text) {
  if (registry.recording) registry.captures.push({ label, text });
}

/** What was recorded; the scan removes the dirs whose tests asked for it. */
export function recorded() {
  return { dataDirs: [...registry.dataDirs.entries()].map(([dir, e]) => ({ dir, remove: e.remove })), captures: [...registry.captures] };
}
