import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { startFakeLlm, type FakeLlm } from '../fixtures/fakeLlm/server';
import { startAuthServer, type AuthServer } from '../fixtures/oauth/authServer';
import { startDeviceServer, type DeviceServer } from '../fixtures/oauth/githubDeviceServer';
import { activeExtension, api, env, snapshot, waitFor } from './helpers';
import { SECRET_MARKER } from '../harness/secretsScan.mjs';

interface SignInProbe {
  device?: { providerId: string; userCode: string; verificationUri: string; status: string; prompt: string };
  redirect?: { providerId: string; authorizeUrl: string; redirectUri: string; pasteBoxVisible: boolean; via?: 'uri' | 'paste' };
  rejectedRedirects: number;
  done?: boolean;
}
interface ProvidersProbe {
  rows: Array<{ id: string; label: string; description: string | undefined; tooltip: string | undefined; icon: string; contextValue: string }>;
  logDir: string;
  signInNotices: string[];
}
const signIn = async (args?: unknown) => (await vscode.commands.executeCommand('hangar.internal.providerSignIn', args)) as SignInProbe;
const providers = async () => (await vscode.commands.executeCommand('hangar.internal.providers')) as ProvidersProbe;
const row = (p: ProvidersProbe, id: string) => p.rows.find((r) => r.id === `provider:${id}`);

/** Asks the harness for a screenshot of the workbench and waits until the file is there. */
async function screenshot(name: string): Promise<void> {
  const file = path.join((await activeExtension()).extensionPath, 'test-results', name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

function port(name: 'HANGAR_TEST_GITHUB_OAUTH_PORT' | 'HANGAR_TEST_AUTH_SERVER_PORT'): number {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this suite through test/harness/run-vscode-suite.mjs`);
  return Number(v);
}

describe('provider sign-in: GitHub device flow, browser redirect, connection test', function () {
  this.timeout(60_000);
  let github: DeviceServer;
  let auth: AuthServer;
  let llm: FakeLlm;
  const goodKey = `gw-good-${SECRET_MARKER}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const badKey = `gw-bad-${SECRET_MARKER}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const secrets: string[] = [goodKey, badKey];

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    github = await startDeviceServer({ clientId: 'Iv1.hangar-test-client', port: port('HANGAR_TEST_GITHUB_OAUTH_PORT') });
    auth = await startAuthServer({ clientId: 'hangar-test-app', port: port('HANGAR_TEST_AUTH_SERVER_PORT') });
    llm = await startFakeLlm({ modelKeys: [goodKey] });
    await vscode.commands.executeCommand('hangar.providers.focus');
  });
  after(async () => {
    for (const id of ['github-copilot', 'openrouter', 'mistral']) await api('DELETE', `/api/providers/${id}/credentials`);
    for (const id of ['fake-gateway', 'broken-gateway']) await api('DELETE', `/api/custom-providers/${id}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.all([github?.close(), auth?.close(), llm?.close()]);
  });

  it('Configure Provider opens a picker over the whole catalog, with each provider\'s sign-in methods', async () => {
    const picker = vscode.commands.executeCommand<boolean>('hangar.configureProvider');
    await new Promise((r) => setTimeout(r, 2000)); // only for the picture: the picker has no probe
    await screenshot('providers-00-picker.png');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await picker, false, 'closing the picker configures nothing');
  });

  it('device flow: shows the code, "Copy Code and Open" copies it, GitHub approves, the Providers view shows it ok', async () => {
    const run = vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'github-copilot', method: 'oauth-device' });
    const s = await waitFor('the user code', () => signIn(), (v) => v.device?.providerId === 'github-copilot' && github.userCodes().includes(v.device.userCode));
    const code = s.device!.userCode;
    assert.equal(s.device!.prompt, `Sign in to GitHub Copilot: enter the code ${code} at ${github.url}/login/device`);
    await waitFor('authorization_pending', async () => github.answers(code), (a) => a.includes('authorization_pending'));
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('providers-01-device-code.png');
    await vscode.env.clipboard.writeText('something else');
    assert.equal((await signIn({ action: 'copyAndOpen' })).done, true);
    assert.equal(await vscode.env.clipboard.readText(), code);
    secrets.push(github.approve(code));
    assert.equal(await run, true, 'the device sign-in did not complete: see the Hangar log');
    await vscode.commands.executeCommand('notifications.hideList');
    const p = await waitFor('the GitHub Copilot row', providers, (v) => /^ok · /.test(row(v, 'github-copilot')?.description ?? ''));
    assert.equal(row(p, 'github-copilot')!.label, 'GitHub Copilot');
    const creds = (await api('GET', '/api/credentials')).json as { items: Array<{ providerId: string; type: string }> };
    assert.equal(creds.items.find((c) => c.providerId === 'github-copilot')?.type, 'oauth');
    await vscode.commands.executeCommand('hangar.providers.focus');
    await screenshot('providers-02-view.png');
  });

  it('device flow: Cancel stops it and stores nothing; an expired code says to start again', async () => {
    assert.equal((await api('DELETE', '/api/providers/github-copilot/credentials')).status, 204);
    const before = github.userCodes().length;
    const cancelled = vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'github-copilot', method: 'oauth-device' });
    const a = await waitFor('a new code', () => signIn(), (v) => github.userCodes().length > before && v.device?.userCode === github.userCodes().at(-1));
    await signIn({ action: 'cancel' });
    assert.equal(await cancelled, false);
    github.approve(a.device!.userCode);
    assert.equal((await signIn()).device!.status, 'cancelled');
    const expiring = vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'github-copilot', method: 'oauth-device' });
    const b = await waitFor('another code', () => signIn(), (v) => v.device?.userCode === github.userCodes().at(-1) && v.device?.userCode !== a.device!.userCode);
    github.expire(b.device!.userCode);
    assert.equal(await expiring, false);
    assert.equal((await signIn()).device!.status, 'expired');
    assert.ok(!github.answers(a.device!.userCode).includes('success'));
    const creds = (await api('GET', '/api/credentials')).json as { items: Array<{ providerId: string }> };
    assert.ok(!creds.items.some((c) => c.providerId === 'github-copilot'));
  });

  it('browser sign-in: the provider redirects back into VS Code through the extension\'s URI handler', async () => {
    const run = vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'openrouter', method: 'oauth-redirect' });
    const s = await waitFor('the authorisation URL', () => signIn(), (v) => v.redirect?.providerId === 'openrouter' && v.redirect.pasteBoxVisible);
    const redirectUri = s.redirect!.redirectUri;
    console.log(`redirect URI from asExternalUri: ${redirectUri.replace(/\?.*/, '?…')}`);
    assert.equal(new URL(s.redirect!.authorizeUrl).searchParams.get('redirect_uri'), redirectUri);
    // What the browser does after consent: the provider's 302 to the redirect URI. Opening that
    // address delivers it to the URI handler (code-server's /callback page in the browser, or the
    // vscode:// link on the desktop).
    const consent = await fetch(s.redirect!.authorizeUrl, { redirect: 'manual' });
    assert.equal(consent.status, 302);
    await vscode.env.openExternal(vscode.Uri.parse(consent.headers.get('location')!));
    assert.equal(await run, true, 'the browser sign-in did not complete: see the Hangar log');
    assert.equal((await signIn()).redirect!.via, 'uri');
    secrets.push(auth.issued.at(-1)!.access, auth.issued.at(-1)!.refresh);
    await waitFor('the OpenRouter row', providers, (v) => /^ok · /.test(row(v, 'openrouter')?.description ?? ''));
    // A redirect whose state this window did not start (a stale or forged link) is ignored with a warning.
    const before = (await signIn()).rejectedRedirects;
    const link = new URL((await vscode.env.asExternalUri(vscode.Uri.parse(`${vscode.env.uriScheme}://hangar-dev.hangar/oauth/callback`))).toString(true));
    link.searchParams.set('code', 'not-ours');
    link.searchParams.set('state', 'x'.repeat(43));
    await vscode.env.openExternal(vscode.Uri.parse(link.toString()));
    await waitFor('the foreign redirect rejected', () => signIn(), (v) => v.rejectedRedirects === before + 1, 15_000);
  });

  it('browser sign-in, paste fallback: the code its page shows is pasted; a failed refresh then asks to sign in again', async () => {
    auth.setExpiresIn(60); // inside the API's refresh lead: the scheduler refreshes it at once
    const run = vscode.commands.executeCommand<boolean>('hangar.configureProvider', { providerId: 'mistral', method: 'oauth-redirect' });
    const s = await waitFor('the paste box', () => signIn(), (v) => v.redirect?.providerId === 'mistral' && v.redirect.pasteBoxVisible);
    const page = await fetch(s.redirect!.authorizeUrl);
    const shown = /<code id="code">([^<]+)<\/code>/.exec(await page.text())?.[1];
    assert.ok(shown?.includes('#'), 'the provider page shows no code');
    assert.equal((await signIn({ action: 'paste', text: 'has a space' })).done, true);
    assert.equal((await signIn()).redirect!.pasteBoxVisible, true, 'a malformed paste closed the box');
    await signIn({ action: 'paste', text: shown });
    assert.equal(await run, true);
    assert.equal((await signIn()).redirect!.via, 'paste');
    for (const t of auth.issued) secrets.push(t.access, t.refresh);
    auth.revokeRefreshTokens();
    const p = await waitFor('the needs-sign-in notice', providers, (v) => v.signInNotices.some((n) => n.startsWith('Hangar: Mistral needs a new sign-in')), 20_000);
    assert.match(p.signInNotices.at(-1)!, /invalid_grant.*Sign in again/);
    const r = await waitFor('the Mistral row', providers, (v) => row(v, 'mistral')?.contextValue === 'provider.signIn');
    assert.match(row(r, 'mistral')!.description!, /^needs sign-in/);
    auth.setExpiresIn(3600);
    for (const t of auth.issued) secrets.push(t.access, t.refresh);
  });

  it('Test Provider Connection: ok with latency for a working key, failing for a rejected one; custom providers from the command', async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.addCustomProvider', { id: 'fake-gateway', name: 'Fake gateway', baseURL: llm.baseUrl, apiKey: goodKey, models: 'fake-model=128k/4096' }), true);
    assert.equal(await vscode.commands.executeCommand('hangar.addCustomProvider', { id: 'broken-gateway', name: 'Broken gateway', baseURL: llm.baseUrl, apiKey: badKey, models: 'fake-model=8192' }), true);
    const ok = await vscode.commands.executeCommand<{ verdict: string; latencyMs: number; message: string }>('hangar.testProviderConnection', { providerId: 'fake-gateway' });
    assert.equal(ok?.verdict, 'ok');
    assert.ok(Number.isInteger(ok.latencyMs));
    const bad = await vscode.commands.executeCommand<{ verdict: string }>('hangar.testProviderConnection', { providerId: 'broken-gateway' });
    assert.equal(bad?.verdict, 'bad_key');
    const p = await waitFor('the failing row', providers, (v) => /^failing/.test(row(v, 'broken-gateway')?.description ?? ''));
    assert.match(row(p, 'broken-gateway')!.tooltip!, /Last test: bad key/);
    assert.match(row(p, 'fake-gateway')!.description!, /^ok/);
    const models = (await api('GET', '/api/providers/fake-gateway/models')).json as { items: Array<{ id: string; limit: { context: number } }> };
    assert.deepEqual(models.items.map((m) => [m.id, m.limit.context]), [['fake-model', 131072]]);
    await vscode.commands.executeCommand('hangar.providers.focus');
    await screenshot('providers-03-statuses.png');
  });

  it('Set Project Provider and Model: a project overrides the default, and goes back to it', async () => {
    const created = await api('POST', '/api/projects', { name: `model-override-${Date.now().toString(36)}` });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const project = created.json as { id: string; slug: string };
    try {
      const eff = await vscode.commands.executeCommand<{ providerId: string | null; modelId: string | null; source: string }>(
        'hangar.setProjectModel', { id: project.id, providerId: 'fake-gateway', modelId: 'fake-model' });
      assert.deepEqual(eff && [eff.providerId, eff.modelId, eff.source], ['fake-gateway', 'fake-model', 'project']);
      assert.equal(((await api('GET', `/api/projects/${project.id}/model`)).json as { source: string }).source, 'project');
      const back = await vscode.commands.executeCommand<{ source: string }>('hangar.setProjectModel', { id: project.id, providerId: null, modelId: null });
      assert.notEqual(back?.source, 'project');
    } finally {
      await api('DELETE', `/api/projects/${project.id}`);
    }
  });

  it('no token or key of this suite is in a setting, an extension log, the API log or the database file', async () => {
    assert.ok(secrets.length >= 6);
    const settings = JSON.stringify(vscode.workspace.getConfiguration().inspect('hangar'));
    const root = path.dirname((await providers()).logDir);
    const dataDir = env('HANGAR_TEST_DATA_DIR');
    const files = [...walk(root), ...walk(dataDir)];
    assert.ok(files.some((f) => f.endsWith('hangar.db')), 'the database file was not found');
    for (const s of secrets) {
      assert.ok(!settings.includes(s), 'a secret is in the settings');
      for (const f of files) assert.ok(!fs.readFileSync(f).includes(s), `${f} contains a secret`);
    }
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !/\/(workspace|projects)\//.test(path.join(e.parentPath, '/')))
    .map((e) => path.join(e.parentPath, e.name));
}
