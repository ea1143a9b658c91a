import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isOnline, NETWORK_ONLY_COMMANDS, offlineMessage, QUEUED_OFFLINE_COMMANDS } from '../../../../extension/connection/onlineGate';
import type { ConnectionState } from '../../../../extension/connection/connectionState';

const me = { id: 'u', username: 'alice', role: 'user' } as never;

describe('connection: the online gate (issue #14)', () => {
  it('is online only when connected; offline says why at once, with the server and the reason', () => {
    const states: ConnectionState[] = [
      { kind: 'connected', url: 'https://h', user: me, version: '1' },
      { kind: 'offline', url: 'https://h', reason: 'ECONNREFUSED', retryInMs: 2000 },
      { kind: 'connecting', url: 'https://h', reconnecting: true },
      { kind: 'disconnected' },
    ];
    assert.deepEqual(states.map(isOnline), [true, false, false, false]);
    assert.deepEqual(states.map((s) => offlineMessage(s) !== undefined), [false, true, false, false]);
    assert.match(offlineMessage(states[1]!)!, /^Hangar is offline: https:\/\/h cannot be reached \(ECONNREFUSED\)\. This needs the server/);
  });

  it('hides every network-only menu entry while offline (package.json "when" has hangar.online)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const gated = new Set<string>(NETWORK_ONLY_COMMANDS);
    const entries = Object.entries(pkg.contributes.menus).flatMap(([menu, items]) => items.map((i) => ({ menu, ...i })))
      .filter((i) => gated.has(i.command));
    assert.ok(entries.length >= 15, `${entries.length} entries`);
    for (const e of entries) assert.match(e.when ?? '', /hangar\.online/, `${e.menu}: ${e.command}`);
  });

  it('keeps Start and Stop offered offline (they are queued), and only there', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const queued = new Set<string>(QUEUED_OFFLINE_COMMANDS);
    const entries = Object.values(pkg.contributes.menus).flat().filter((i) => queued.has(i.command));
    assert.equal(entries.length, 6);
    for (const e of entries) assert.doesNotMatch(e.when ?? '', /hangar\.online/, e.command);
    assert.deepEqual(QUEUED_OFFLINE_COMMANDS.filter((c) => (NETWORK_ONLY_COMMANDS as readonly string[]).includes(c)), []);
  });
});
