import assert from 'node:assert/strict';
import { providersForCache, providersFromCache } from '../../../../../extension/providers/providersCache';
import { providerRows } from '../../../../../extension/providers/providersModel';
import { projectRow, viewRows } from '../../../../../extension/projects/treeModel';
import { aProject } from '../../builders';

const URL = 'http://h';
const connected = { kind: 'connected', url: URL, user: { id: 'u', username: 'u', role: 'user', tokenName: 't' }, version: undefined } as const;
const offline = { kind: 'offline', url: URL, reason: 'ECONNREFUSED', retryInMs: 1000 } as const;

describe('stale rows offline (issue #14)', () => {
  it('marks each row with the age of its copy while offline, and not while connected', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const at = now - 5 * 60_000;
    const projects = [aProject({ id: 'p1', name: 'alpha', status: 'running' })];
    const live = viewRows('projects', connected, { kind: 'loaded', at }, projects, projectRow, now);
    assert.equal(live[0]?.description, 'standard · running');
    const stale = viewRows('projects', offline, { kind: 'loaded', at }, projects, projectRow, now);
    assert.equal(stale[0]?.id, 'project:p1', 'the id stays stable (VS Code keys the row by it)');
    assert.equal(stale[0]?.description, 'standard · running · 5 min ago');
    assert.match(stale[0]?.tooltip ?? '', /^_Offline: the last known state, from 5 min ago\._\n\n\*\*alpha\*\*/);
    // A loading or failed list has no copy to date: its message rows stay as they are.
    assert.equal(viewRows('projects', offline, { kind: 'error', message: 'x' }, [], projectRow, now)[0]?.description, undefined);
  });

  it('keeps the providers\' copy without any key hint, and reads it back as the view shows it', () => {
    const data = {
      providers: [{ id: 'openai', name: 'OpenAI', env: [], doc: null, modelCount: 3, configured: true, custom: false, authMethods: ['api' as const], isDefault: true, signInNote: null }],
      credentials: [{ providerId: 'openai', type: 'api' as const, hint: 'sk-…wxyz', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null, expiresAt: null, status: 'ok' as const, statusReason: null }],
      defaultModel: { providerId: 'openai', modelId: 'gpt-x' },
    };
    const stored = JSON.stringify(providersForCache(data));
    assert.doesNotMatch(stored, /wxyz/, 'no part of the key reaches the file');
    const back = providersFromCache([JSON.parse(stored)]);
    assert.ok(back);
    const row = providerRows(back)[0]!;
    assert.equal(row.label, 'OpenAI');
    assert.equal(row.description, 'ok · default · gpt-x');
    assert.doesNotMatch(row.tooltip ?? '', /Key: `/);
    assert.equal(providersFromCache([{ providers: 'not a list' }]), undefined, 'a copy that no longer fits is not shown');
  });
});
