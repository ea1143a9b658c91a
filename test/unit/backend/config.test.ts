import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../backend/config';

describe('backend config', () => {
  it('defaults to loopback, port 7420, ~/.hangar, SQLite there, the local runtime', () => {
    const c = loadConfig({});
    assert.deepEqual(
      [c.host, c.port, c.dataDir, c.database, c.runtime, c.encryptionKey],
      ['127.0.0.1', 7420, path.join(os.homedir(), '.hangar'), { kind: 'sqlite', file: path.join(os.homedir(), '.hangar', 'hangar.db') }, 'local',
        { source: 'file', file: path.join(os.homedir(), '.hangar', 'secret.key') }],
    );
  });

  it('reads a sqlite URL relative to the data dir and a postgres URL as is', () => {
    assert.deepEqual(loadConfig({ HANGAR_DATA_DIR: '/srv/h', HANGAR_DATABASE_URL: 'sqlite:db/h.sqlite' }).database, { kind: 'sqlite', file: '/srv/h/db/h.sqlite' });
    assert.deepEqual(loadConfig({ HANGAR_DATABASE_URL: 'postgres://u@h/db' }).database, { kind: 'postgres', url: 'postgres://u@h/db' });
  });

  const bad: [string, string, RegExp][] = [
    ['HANGAR_PORT', '70000', /^HANGAR_PORT="70000" is invalid/],
    ['HANGAR_RUNTIME', 'kubernetes', /^HANGAR_RUNTIME="kubernetes" is invalid: .*local.*docker.*coolify/],
    ['HANGAR_DATABASE_URL', 'mysql://x', /^HANGAR_DATABASE_URL="mysql:\/\/x" is invalid: must start with sqlite: or postgres/],
    ['HANGAR_DATABASE_URL', 'mysql://u:hunter2@h/db', /^HANGAR_DATABASE_URL="mysql:\/\/u:\*\*\*@h\/db" is invalid/],
    ['HANGAR_ENCRYPTION_KEY', 'short-secret', /^HANGAR_ENCRYPTION_KEY="<redacted>" is invalid/],
  ];
  for (const [name, value, message] of bad) {
    it(`names ${name} in one line when it is bad`, () => {
      assert.throws(() => loadConfig({ [name]: value }), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    });
  }
});
