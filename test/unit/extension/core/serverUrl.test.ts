import assert from 'node:assert/strict';
import { checkServerUrl, isLoopbackUrl, normaliseServerUrl, tokenSecretKey, validateServerUrlInput } from '../../../../extension/core/serverUrl';

describe('serverUrl', () => {
  it('normalises case, default ports and trailing slashes', () => {
    assert.equal(normaliseServerUrl(' HTTP://LocalHost:80/ '), 'http://localhost');
    assert.equal(normaliseServerUrl('https://Hangar.Example.com:443/hangar//'), 'https://hangar.example.com/hangar');
    assert.equal(normaliseServerUrl('http://127.0.0.1:7420'), 'http://127.0.0.1:7420');
  });

  it('refuses other schemes, credentials, queries and garbage with a message', () => {
    for (const bad of ['', 'ftp://x', 'http://u:p@host', 'http://host/?a=1', 'http://host/#x', 'not a url']) {
      const r = checkServerUrl(bad);
      assert.equal(r.ok, false, bad);
      assert.ok(validateServerUrlInput(bad));
    }
  });

  it('names one secret key per normalised server', () => {
    assert.equal(tokenSecretKey('http://127.0.0.1:7420/'), 'hangar.token:http://127.0.0.1:7420');
    assert.equal(tokenSecretKey('HTTP://127.0.0.1:7420'), tokenSecretKey('http://127.0.0.1:7420/'));
  });

  it('knows loopback hosts', () => {
    assert.equal(isLoopbackUrl('http://127.0.0.1:7420'), true);
    assert.equal(isLoopbackUrl('http://localhost:1'), true);
    assert.equal(isLoopbackUrl('http://[::1]:7420'), true);
    assert.equal(isLoopbackUrl('https://hangar.example.com'), false);
  });
});
