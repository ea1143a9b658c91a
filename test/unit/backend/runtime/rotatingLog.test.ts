import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { followFile, rotateIfNeeded, tailLines } from '../../../../backend/runtime/local/rotatingLog';

describe('local runtime log file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlog-'));
  const file = path.join(dir, 'opencode.log');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rotates by copy-and-truncate, keeps 3, and tails across the rotated files', () => {
    for (let i = 0; i < 5; i++) {
      fs.appendFileSync(file, `gen${i} a\ngen${i} b\n`);
      rotateIfNeeded(file, 10, 3);
    }
    fs.appendFileSync(file, 'current\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['opencode.log', 'opencode.log.1', 'opencode.log.2', 'opencode.log.3']);
    assert.deepEqual(tailLines(file, 3), { lines: ['gen4 a', 'gen4 b', 'current'], truncated: true });
    assert.equal(tailLines(file, 100).lines[0], 'gen2 a', 'the oldest kept generation');
  });

  it('follows appended lines and restarts at the top after a truncation', async () => {
    const seen: string[] = [];
    const ac = new AbortController();
    fs.writeFileSync(file, 'old\n');
    const following = followFile(file, fs.statSync(file).size, (l) => seen.push(l), ac.signal, 20);
    fs.appendFileSync(file, 'one\ntw');
    await new Promise((r) => setTimeout(r, 80));
    fs.appendFileSync(file, 'o\n');
    await new Promise((r) => setTimeout(r, 80));
    fs.truncateSync(file, 0);
    await new Promise((r) => setTimeout(r, 80));
    fs.appendFileSync(file, 'after\n');
    await new Promise((r) => setTimeout(r, 80));
    ac.abort();
    await following;
    assert.deepEqual(seen, ['one', 'two', 'after']);
  });
});
