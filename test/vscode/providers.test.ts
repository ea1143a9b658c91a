import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { api, snapshot, waitFor } from './helpers';
import { SECRET_MARKER } from '../harness/secretsScan.mjs';

/** What `hangar.internal.providers` returns (extension/providers/providersFeature.ts). */
interface ProvidersProbe {
  status: string;
  rows: Array<{ id: string; label: string; description: string | undefined; tooltip: string | undefined; icon: string; contextValue: string }>;
  logDir: string;
}

const probe = async () => (await vscode.commands.executeCommand('hangar.internal.providers')) as ProvidersProbe;

/** Every log file under `dir`, with its text. */
function logFiles(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) return logFiles(p);
    return f.endsWith('.log') ? [{ file: p, text: readFileSync(p, 'utf8') }] : [];
  });
}

describe('providers view and commands', () => {
  const key = `sk-hangar-vscode-${SECRET_MARKER}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const otherKey = `sk-ant-other-${SECRET_MARKER}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    await vscode.commands.executeCommand('hangar.providers.focus');
  });

  after(async () => {
    await api('DELETE', '/api/providers/openai/credentials');
    await api('DELETE', '/api/providers/anthropic/credentials');
  });

  it('configures a provider through the command and shows it in the Providers view with its masked hint', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'openai', key });
    assert.equal(ok, true, 'configureProvider failed: see the Hangar log');
    const p = await waitFor('the openai row', probe, (v) => v.rows.some((r) => r.id === 'provider:openai'));
    const row = p.rows.find((r) => r.id === 'provider:openai')!;
    assert.equal(row.label, 'OpenAI');
    assert.match(row.description ?? '', /^ok · \S*…\S+/);
    assert.ok(!JSON.stringify(p).includes(key), 'the view shows the key');
    const creds = await api('GET', '/api/credentials');
    assert.ok((creds.json as { items: Array<{ providerId: string }> }).items.some((c) => c.providerId === 'openai'));
  });

  it('follows provider.changed events from another client', async () => {
    const res = await api('POST', '/api/providers/anthropic/credentials', { type: 'api', key: otherKey });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    await waitFor('the anthropic row', probe, (v) => v.rows.some((r) => r.id === 'provider:anthropic'));
    assert.equal((await api('DELETE', '/api/providers/anthropic/credentials')).status, 204);
    await waitFor('the anthropic row gone', probe, (v) => !v.rows.some((r) => r.id === 'provider:anthropic'));
  });

  it('sets it as the default: starred', async () => {
    const models = await api('GET', '/api/providers/openai/models');
    const modelId = (models.json as { items: Array<{ id: string }> }).items[0]?.id;
    assert.ok(modelId, 'openai lists no models');
    assert.equal(await vscode.commands.executeCommand('hangar.setDefaultProvider', { providerId: 'openai', modelId }), true);
    const p = await waitFor('the star', probe, (v) => v.rows[0]?.id === 'provider:openai' && v.rows[0].icon === 'star-full');
    assert.match(p.rows[0]!.description ?? '', new RegExp(`default · ${modelId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.deepEqual((await api('GET', '/api/me/default-model')).json, { providerId: 'openai', modelId });
  });

  it('removes the credential', async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.removeProviderCredential', { providerId: 'openai', confirm: true }), true);
    await waitFor('the openai row gone', probe, (v) => !v.rows.some((r) => r.id === 'provider:openai'));
    const creds = await api('GET', '/api/credentials');
    assert.ok(!(creds.json as { items: Array<{ providerId: string }> }).items.some((c) => c.providerId === 'openai'));
  });

  it('never writes the key to a setting or a Hangar log line', async () => {
    const settings = JSON.stringify(vscode.workspace.getConfiguration('hangar')) + JSON.stringify(vscode.workspace.getConfiguration().inspect('hangar'));
    assert.ok(!settings.includes(key));
    const { logDir } = await probe();
    // The whole extension host's log folder: the Hangar channel and anything else it may have written.
    const root = path.dirname(logDir);
    const files = await waitFor('the Hangar log line about the key', async () => logFiles(root),
      (fs) => fs.some((f) => f.text.includes('stored an API key for provider openai')));
    for (const f of files) {
      assert.ok(!f.text.includes(key), `${f.file} contains the key`);
      assert.ok(!f.text.includes(otherKey), `${f.file} contains the other client's key`);
    }
  });
});
