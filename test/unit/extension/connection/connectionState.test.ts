import assert from 'node:assert/strict';
import type { Me } from '../../../../backend/contract';
import { nextState, statusBarModel, type ConnectionState } from '../../../../extension/connection/connectionState';

const ada: Me = { id: 'u1', username: 'ada', role: 'admin', tokenName: 'local' };
const url = 'http://127.0.0.1:7420';

describe('connection state machine', () => {
  it('goes connecting → connected → reconnecting → offline → connected', () => {
    let s: ConnectionState = { kind: 'disconnected' };
    s = nextState(s, { type: 'connect', url });
    assert.deepEqual(s, { kind: 'connecting', url, reconnecting: false });
    s = nextState(s, { type: 'authenticated', user: ada, version: '0.1.0' });
    assert.equal(s.kind, 'connected');
    s = nextState(s, { type: 'streamLost' });
    assert.deepEqual(s, { kind: 'connecting', url, reconnecting: true });
    s = nextState(s, { type: 'unreachable', reason: 'ECONNREFUSED', retryInMs: 2000 });
    assert.deepEqual(s, { kind: 'offline', url, reason: 'ECONNREFUSED', retryInMs: 2000 });
    s = nextState(s, { type: 'authenticated', user: ada, version: undefined });
    assert.equal(s.kind, 'connected');
  });

  it('stays unauthorised until the user connects again, and ignores late events once disconnected', () => {
    let s = nextState({ kind: 'connecting', url, reconnecting: false }, { type: 'rejected', message: '401' });
    assert.equal(nextState(s, { type: 'unreachable', reason: 'x' }), s);
    s = nextState(s, { type: 'disconnect' });
    assert.equal(nextState(s, { type: 'authenticated', user: ada, version: undefined }).kind, 'disconnected');
  });

  it('describes each state for the status bar', () => {
    assert.deepEqual(statusBarModel({ kind: 'connected', url, user: ada, version: undefined }), {
      text: '$(server) Hangar', tooltip: `Connected to ${url} as ada (admin)`, command: 'hangar.testConnection',
    });
    assert.equal(statusBarModel({ kind: 'connecting', url, reconnecting: false }).text, '$(sync~spin) Hangar');
    assert.equal(statusBarModel({ kind: 'offline', url, reason: 'x', retryInMs: undefined }).text, '$(debug-disconnect) Hangar: offline');
    assert.deepEqual(
      [statusBarModel({ kind: 'unauthorised', url, message: 'x' }).text, statusBarModel({ kind: 'unauthorised', url, message: 'x' }).command],
      ['$(lock) Hangar: unauthorised', 'hangar.connect']);
    assert.deepEqual(statusBarModel({ kind: 'disconnected' }).text, '$(plug) Hangar: not connected');
  });
});
