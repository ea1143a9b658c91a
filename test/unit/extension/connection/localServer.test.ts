import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkNode, localTokenPath, readLocalToken } from '../../../../extension/connection/localServer';

describe('local server helpers', () => {
  it('finds the token file: explicit setting, then HANGAR_DATA_DIR, then ~/.hangar', () => {
    assert.equal(localTokenPath('~/t', { HANGAR_DATA_DIR: '/d' }, '/home/u'), '/home/u/t');
    assert.equal(localTokenPath(undefined, { HANGAR_DATA_DIR: '/d' }, '/home/u'), '/d/local-token');
    assert.equal(localTokenPath('  ', {}, '/home/u'), '/home/u/.hangar/local-token');
  });

  it('reads a trimmed token, or nothing when the file is missing or empty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hangar-token-'));
    writeFileSync(path.join(dir, 'local-token'), 'abc123\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'empty'), '\n');
    assert.equal(await readLocalToken(path.join(dir, 'local-token')), 'abc123');
    assert.equal(await readLocalToken(path.join(dir, 'empty')), undefined);
    assert.equal(await readLocalToken(path.join(dir, 'missing')), undefined);
  });

  it('explains a missing node executable', async () => {
    await assert.rejects(checkNode('/nonexistent/node'), { kind: 'node_missing', message: /Node\.js was not found.*hangar\.nodePath/ });
    assert.match(await checkNode(process.execPath), /^v\d+/);
  });
});
