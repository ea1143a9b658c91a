import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DESKTOP_MISSING, LocalDesktop } from '../../../../backend/runtime/local/desktop';
import { findOnPath } from '../../../../backend/runtime/local/desktopBinaries';
import { projectPaths } from '../../../../backend/runtime/local/paths';

describe('local runtime desktop without Xvfb/x11vnc', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-nobin-'));
  after(() => fs.rmSync(empty, { recursive: true, force: true }));

  it('says what is missing and how to install it', () => {
    const d = new LocalDesktop({ searchPath: empty });
    assert.equal(d.missing(), DESKTOP_MISSING);
    assert.match(DESKTOP_MISSING, /apt-get install xvfb x11vnc/);
  });

  it('refuses to start, and has nothing running or to stop', async () => {
    const p = projectPaths(path.join(empty, 'projects'), 'p1');
    const d = new LocalDesktop({ searchPath: empty });
    await assert.rejects(d.start(p, new AbortController().signal), (e: Error) => e.message === DESKTOP_MISSING);
    assert.equal(d.status(p), undefined);
    assert.equal(await d.stop(p), false);
  });

  it('finds executables on a search path like which', () => {
    const bin = path.join(empty, 'Xvfb');
    fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findOnPath('Xvfb', `/nonexistent${path.delimiter}${empty}`), bin);
    assert.equal(findOnPath('x11vnc', empty), undefined);
  });
});
