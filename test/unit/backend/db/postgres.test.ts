import assert from 'node:assert/strict';
import { redactDatabaseUrl } from '../../../../backend/db/postgres';
import { pgSafeText } from '../../../../backend/db/postgresText';

describe('db: PostgreSQL helpers', () => {
  it('never shows the password of a database URL', () => {
    assert.equal(redactDatabaseUrl('postgres://hangar:s3cr%40t@db.example:5432/hangar'), 'postgres://hangar:***@db.example:5432/hangar');
    assert.equal(redactDatabaseUrl('postgres://hangar@127.0.0.1/hangar'), 'postgres://hangar@127.0.0.1/hangar');
    assert.equal(redactDatabaseUrl('not a url'), 'postgres://…');
  });

  it('replaces NUL, which PostgreSQL text cannot hold, and leaves every other string as it is', () => {
    assert.equal(pgSafeText('a\0b\0'), 'a\uFFFDb\uFFFD');
    const s = 'ünïcode ✓ \u0001';
    assert.equal(pgSafeText(s), s);
  });
});
