import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, env, snapshot, waitFor } from './helpers';

describe('connection', () => {
  before(async () => {
    await activeExtension();
    await vscode.workspace.getConfiguration('hangar')
      .update('localTokenFile', path.join(env('HANGAR_TEST_DATA_DIR'), 'local-token'), vscode.ConfigurationTarget.Global);
  });

  it('connects to a loopback server through the local token file, without asking', async () => {
    const me = await vscode.commands.executeCommand<{ username: string } | undefined>('hangar.connect', { url: env('HANGAR_TEST_API_URL') });
    assert.ok(me, 'hangar.connect returned nothing: see the Hangar log');
    const s = await waitFor('the tiers to load', snapshot, (v) => v.tierIds.length > 0);
    assert.equal(s.connection, 'connected');
    assert.equal(s.url, env('HANGAR_TEST_API_URL'));
    assert.equal(s.statusBarText, '$(server) Hangar');
    assert.equal(s.user, me.username);
  });

  it('keeps the token in SecretStorage and in no setting', async () => {
    const s = await snapshot();
    assert.equal(s.hasStoredToken, true);
    const token = env('HANGAR_TEST_API_TOKEN');
    const cfg = vscode.workspace.getConfiguration('hangar');
    assert.equal(cfg.get('serverUrl'), env('HANGAR_TEST_API_URL'));
    for (const key of ['serverUrl', 'localTokenFile', 'localServer.path', 'nodePath']) {
      assert.ok(!JSON.stringify(cfg.inspect(key) ?? {}).includes(token), `the token leaked into hangar.${key}`);
    }
    assert.ok(!JSON.stringify(cfg).includes(token), 'the token leaked into the hangar settings');
  });

  it('tests the connection', async () => {
    const result = await vscode.commands.executeCommand<{ version: string; latencyMs: number } | undefined>('hangar.testConnection');
    assert.ok(result);
    assert.ok(result.version.length > 0);
    assert.ok(result.latencyMs >= 0);
  });
});
