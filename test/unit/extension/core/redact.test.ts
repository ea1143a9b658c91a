import assert from 'node:assert/strict';
import { redact, SecretRegistry } from '../../../../extension/core/redact';

describe('redact', () => {
  const token = 'hgr_3f9a8b7c6d5e4f3a2b1c';

  it('masks a known token wherever it appears', () => {
    assert.equal(redact(`token ${token} in ${token}!`, [token]), 'token *** in ***!');
  });

  it('masks bearer credentials and Authorization headers even when the token is unknown', () => {
    assert.equal(redact('GET /api/me Authorization: Bearer abc.def-ghi'), 'GET /api/me Authorization: Bearer ***');
    assert.equal(redact('authorization=xyz123'), 'authorization=***');
  });

  it('masks token fields in JSON and query strings', () => {
    assert.equal(redact('{"token":"s3cr3t-value","name":"ci"}'), '{"token":"***","name":"ci"}');
    assert.equal(redact('GET /x?token=abcdef&page=2'), 'GET /x?token=***&page=2');
  });

  it('leaves ordinary text and short "secrets" alone', () => {
    assert.equal(redact('GET /api/projects failed: 404 not_found', ['abc']), 'GET /api/projects failed: 404 not_found');
  });

  it('forgets a secret once removed from the registry', () => {
    const reg = new SecretRegistry();
    reg.add(token);
    assert.equal(reg.redact(`x ${token}`), 'x ***');
    reg.remove(token);
    assert.equal(reg.redact(`x ${token}`), `x ${token}`);
  });
});
