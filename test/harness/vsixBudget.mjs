// Checks the packaged extension (dist/hangar.vsix, from `npm run package`): at most 500 KB and no
// source maps nor test hooks inside. Run by `npm test` right after its 'package' step; reads the zip's central
// directory itself (no unzip needed).
//
//   node test/harness/vsixBudget.mjs [file.vsix]
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './api.mjs';

export const VSIX_BUDGET_BYTES = 500 * 1024;

/** The entry names of a zip file, from its end-of-central-directory record. */
export function zipEntries(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Problems with the .vsix at file (empty when it is within budget, with no source maps and no test hooks). */
export function checkVsix(file) {
  const buf = fs.readFileSync(file);
  const problems = [];
  if (buf.length > VSIX_BUDGET_BYTES) problems.push(`${file} is ${buf.length} bytes, over the ${VSIX_BUDGET_BYTES}-byte budget`);
  const entries = zipEntries(buf);
  const maps = entries.filter((n) => n.endsWith('.map'));
  if (maps.length) problems.push(`${file} ships source maps: ${maps.join(', ')}`);
  // The suite's hooks (dist/testHooks.mjs, dist/test/…) are the test build's, never what users install.
  const hooks = entries.filter((n) => /(^|\/)testHooks\.m?js$|\/dist\/test\//.test(n));
  if (hooks.length) problems.push(`${file} ships test hooks: ${hooks.join(', ')}`);
  return { bytes: buf.length, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2] ?? path.join(REPO, 'dist', 'hangar.vsix');
  const { bytes, problems } = checkVsix(file);
  if (problems.length) {
    for (const p of problems) console.error(`vsix budget: ${p}`);
    process.exit(1);
  }
  console.log(`vsix budget: ${path.relative(process.cwd(), file)} is ${bytes} bytes (budget ${VSIX_BUDGET_BYTES}), no source maps`);
}
