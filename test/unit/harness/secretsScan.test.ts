// The search of the secrets scan (test/harness/secretsScan.mjs) and its registry (scanRegistry.mjs).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { MIN_SECRET_LENGTH, markedSecret, scanTree, secretIndex, secretsIn } from '../../harness/secretsScan.mjs';

const password = randomBytes(32).toString('base64url');
const secrets = [{ name: 'the password', value: password }];

describe('secrets scan: search', () => {
  it('finds a known secret at every offset, as UTF-8 and as UTF-16 at either byte alignment', () => {
    const index = secretIndex(secrets);
    for (let pad = 0; pad < 20; pad++) {
      const text = `${'x'.repeat(pad)}${password}!`;
      assert.deepEqual(secretsIn(Buffer.from(text), index).secrets.map((s) => s.name), ['the password'], `utf8 at ${pad}`);
      const utf16 = Buffer.concat([Buffer.alloc(pad % 2), Buffer.from(text, 'utf16le')]);
      assert.deepEqual(secretsIn(utf16, index).secrets.map((s) => s.name), ['the password'], `utf16 at ${pad}`);
    }
    assert.deepEqual(secretsIn(Buffer.from(password.slice(0, -1)), index).secrets, [], 'a prefix is not the secret');
  });

  it('names the marker value it found, and ignores known secrets too short to tell from chance', () => {
    const marked = markedSecret('sk-', 'unit');
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    const found = secretsIn(Buffer.from(`{"key":"${marked}","other":"${short}"}`, 'utf16le'), secretIndex([{ name: 'short', value: short }]));
    assert.equal(found.marker, marked.slice(3));
    assert.deepEqual(found.secrets, []);
  });

  it('scans a tree, names the file, and allows a secret only in its own home file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-scan-unit-'));
    try {
      const home = path.join(dir, 'local-token');
      fs.writeFileSync(home, password);
      fs.mkdirSync(path.join(dir, 'logs'));
      fs.writeFileSync(path.join(dir, 'logs', 'api.log'), `Authorization: Bearer ${password}\n`);
      const r = scanTree(dir, secretIndex([{ ...secrets[0]!, home }]));
      assert.equal(r.files, 2);
      assert.deepEqual(r.findings, [`the password in ${path.join(dir, 'logs', 'api.log')}`]);
    } finally {
      removeDataDir(dir); // not recording here: removed at once
    }
    assert.equal(fs.existsSync(dir), false);
  });
});
