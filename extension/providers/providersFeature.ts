import * as vscode from 'vscode';
import type { ConnectionTestResult, CredentialMeta, HangarEvent, ProviderSummary } from '../../backend/contract';
import type { ConfigureProviderArgs, RemoveProviderCredentialArgs, SetDefaultProviderArgs } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { DeviceSignIn } from './deviceSignIn';
import { ProviderCommands } from './providerCommands';
import { RedirectSignIn } from './redirectSignIn';
import { catalogPicks, modelPicks, signInChoices } from './providersModel';
import type { UriRouter } from '../core/uriRouter';
import { showError } from '../core/userErrors';
import type { RowTreeItem } from '../core/views/rowTreeItem';
import { ProvidersTreeProvider } from './providersTree';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import type { PROVIDERS_COMMANDS } from './providersManifest';
import { providersCommands } from './providersCommands';
import type { OfflineCache } from '../core/store/offlineCache';
import { providersForCache, providersFromCache } from './providersCache';

export const PROVIDERS_VIEW_ID = 'hangar.providers';

type ProviderCommand = (typeof PROVIDERS_COMMANDS)[number];

/**
 * The Providers view and the provider commands. Loads on connect, on every full refetch and on
 * provider.changed events. API keys pass straight from the input box to the API: never logged or stored.
 */
export class ProvidersFeature implements vscode.Disposable, Feature<ProviderCommand> {
  readonly id = 'providers';
  readonly disposables: vscode.Disposable[] = [this];
  readonly commands: Pick<CommandHandlers, ProviderCommand>;
  readonly tree: ProvidersTreeProvider;
  private readonly view: vscode.TreeView<RowTreeItem>;
  private readonly subscriptions: vscode.Disposable[];
  private loading: Promise<void> | undefined;
  private again = false;
  /** GitHub's device flow and the browser redirect: the sign-in in progress and its buttons. */
  readonly device: DeviceSignIn;
  readonly redirect: RedirectSignIn;
  private readonly providerCommands: ProviderCommands;
  /** Test Provider Connection results of this window, shown as "failing" in the view. */
  private readonly tests = new Map<string, ConnectionTestResult>();

  constructor(
    private readonly session: HangarSession, private readonly log: Logger, uriRouter: UriRouter, extensionId: string,
    treeView: (tree: ProvidersTreeProvider) => vscode.TreeView<RowTreeItem>,
    private readonly offline: OfflineCache,
  ) {
    this.tree = new ProvidersTreeProvider(session);
    this.view = treeView(this.tree);
    this.device = new DeviceSignIn(log);
    this.redirect = new RedirectSignIn(log, uriRouter, extensionId);
    this.providerCommands = new ProviderCommands(session, log, (id, r) => {
      this.tests.set(id, r);
      if (this.tree.data) this.tree.data = { ...this.tree.data, tests: this.tests };
      this.tree.fire();
    });
    this.commands = providersCommands(this, this.providerCommands);
    this.subscriptions = [
      this.tree,
      this.view,
      this.device,
      this.redirect,
      session.onDidReceiveEvent((e) => this.onEvent(e)),
      session.onDidChangeState((s) => {
        if (s.kind === 'connected') void this.load();
        if (s.kind === 'offline') void this.restore();
        // A new link (another server, a window starting) starts empty: the old rows were another copy's.
        if (s.kind === 'disconnected' || s.kind === 'unauthorised' || (s.kind === 'connecting' && !s.reconnecting)) {
          this.tree.data = undefined;
          this.tree.status = { kind: 'idle' };
          this.tree.loadedAt = undefined;
        }
        this.tree.fire();
      }),
      session.store.onDidChange(() => {
        if (session.store.projectsLoad.kind === 'loading') void this.load();
      }),
    ];
    if (session.state.kind === 'connected') void this.load();
    if (session.state.kind === 'offline') void this.restore();
  }

  /** A window opened while the server cannot be reached: the view shows the offline store's copy, with its age. */
  private async restore(): Promise<void> {
    await this.offline.listsReady;
    if (this.tree.data || this.session.state.kind !== 'offline') return;
    const cached = this.offline.list('providers');
    const data = cached && providersFromCache(cached.items);
    if (!cached || !data) return;
    this.tree.data = { ...data, tests: this.tests };
    this.tree.status = { kind: 'loaded' };
    this.tree.loadedAt = cached.at;
    this.log.info(`providers: showing the offline copy (${data.providers.length} provider(s))`);
    this.tree.fire();
  }

  /** Fetches configured providers, credentials and the default; a call during a load runs once more after it. */
  load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        this.tree.status = { kind: 'loading' };
        if (!this.tree.data) this.tree.fire();
        try {
          const api = this.session.api;
          const [list, credentials, defaultModel] = await Promise.all([api.providers({ configured: true }), api.credentials(), api.defaultModel()]);
          this.noticeNeedsSignIn(this.tree.data?.credentials, credentials, list.items);
          this.tree.data = { providers: list.items, credentials, defaultModel, tests: this.tests };
          this.tree.status = { kind: 'loaded' };
          this.tree.loadedAt = Date.now();
          this.offline.putList('providers', [providersForCache(this.tree.data)], this.tree.loadedAt);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          this.tree.status = { kind: 'error', message };
          this.log.warn(`providers: could not load: ${message}`);
        }
        this.tree.fire();
      } while (this.again);
    })().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  /** A credential that newly needs a sign-in (its refresh failed): say so once, with "Sign in again". */
  private noticeNeedsSignIn(before: CredentialMeta[] | undefined, after: CredentialMeta[], providers: ProviderSummary[]): void {
    const was = new Map((before ?? []).map((c) => [c.providerId, c.status]));
    for (const c of after) {
      if (c.status !== 'needs_sign_in' || was.get(c.providerId) === 'needs_sign_in') continue;
      const name = providers.find((p) => p.id === c.providerId)?.name ?? c.providerId;
      const text = `Hangar: ${name} needs a new sign-in. ${c.statusReason ?? ''}`.trim();
      this.log.warn(`provider ${c.providerId} needs a new sign-in`);
      void vscode.window.showWarningMessage(text, 'Sign in again').then((choice) => {
        if (choice) void vscode.commands.executeCommand('hangar.configureProvider', { providerId: c.providerId });
      });
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private onEvent(e: HangarEvent): void {
    if (e.type !== 'provider.changed') return;
    this.log.debug(`provider ${e.data.providerId} changed (configured: ${e.data.configured})`);
    void this.load();
  }

  /**
   * hangar.configureProvider: a searchable picker over the whole catalog (auth methods shown), then
   * the right sign-in: API key (password box), GitHub's device flow, or a browser redirect.
   * `{providerId, key}` skips the UI; `{providerId, method}` skips the pickers.
   */
  async configure(args?: ConfigureProviderArgs): Promise<boolean> {
    const api = this.session.api;
    const list = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Hangar: loading the provider catalog…' }, () => api.providers());
    let provider: ProviderSummary | undefined;
    if (args?.providerId) {
      provider = list.items.find((p) => p.id === args.providerId);
      if (!provider) {
        void vscode.window.showErrorMessage(`Hangar: there is no provider "${args.providerId}" in the catalog.`);
        return false;
      }
    } else {
      const picked = await vscode.window.showQuickPick(catalogPicks(list.items), {
        title: 'Configure Provider', placeHolder: `Search ${list.items.length} providers`, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true,
      });
      if (!picked) return false;
      provider = list.items.find((p) => p.id === picked.providerId)!;
    }
    const choices = signInChoices(provider);
    let method = args?.key !== undefined ? 'api' : args?.method;
    if (!method) {
      if (choices.length === 1) method = choices[0]!.method;
      else {
        const picked = await vscode.window.showQuickPick(choices.map((c) => ({ label: c.label, detail: c.detail, method: c.method })), {
          title: `Configure ${provider.name}`, placeHolder: 'How do you want to sign in?', ignoreFocusOut: true,
        });
        if (!picked) return false;
        method = picked.method;
      }
    }
    try {
      let ok: boolean;
      if (method === 'oauth-device') ok = await this.device.run(api, provider.id, provider.name);
      else if (method === 'oauth-redirect') {
        const meta = await this.redirect.run(api, provider.id, provider.name);
        if (meta) void vscode.window.showInformationMessage(`Hangar: ${provider.name} is signed in (${meta.hint}).`);
        ok = meta !== undefined;
      } else ok = await this.configureKey(provider, args?.key);
      await this.load();
      return ok;
    } catch (e) {
      await showError(`Could not configure ${provider.name}`, e);
      return false;
    }
  }

  private async configureKey(provider: ProviderSummary, given: string | undefined): Promise<boolean> {
    const name = provider.name;
    const key = given ?? await vscode.window.showInputBox({
      title: `Configure ${name}: API key`,
      prompt: [provider.signInNote, `It is sent to the Hangar server, stored there encrypted, and never shown again.`].filter(Boolean).join(' '),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : 'an API key has no spaces or line breaks'),
    });
    if (key === undefined) return false;
    const meta = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Saving the key for ${name}…` },
      () => this.session.api.setCredential(provider.id, key.trim()));
    this.log.info(`stored an API key for provider ${provider.id} (${meta.hint})`);
    void vscode.window.showInformationMessage(`Hangar: ${name} is configured (key ${meta.hint}).`, 'Test Connection').then((c) => {
      if (c) void vscode.commands.executeCommand('hangar.testProviderConnection', { providerId: provider.id });
    });
    return true;
  }

  /** hangar.setDefaultProvider: a configured provider, then one of its models. */
  async setDefault(args?: SetDefaultProviderArgs): Promise<boolean> {
    const api = this.session.api;
    let providerId = args?.providerId;
    if (!providerId) {
      const list = await api.providers({ configured: true });
      if (!list.items.length) {
        const choice = await vscode.window.showInformationMessage('Hangar: no provider is configured yet.', 'Configure Provider');
        if (choice) await vscode.commands.executeCommand('hangar.configureProvider');
        return false;
      }
      const picked = await vscode.window.showQuickPick(catalogPicks(list.items), { title: 'Set Default Provider (1/2)', placeHolder: 'The provider new projects use', matchOnDescription: true });
      if (!picked) return false;
      providerId = picked.providerId;
    }
    let modelId = args?.modelId;
    if (!modelId) {
      const [models, current] = await Promise.all([api.providerModels(providerId), api.defaultModel()]);
      if (!models.length) {
        void vscode.window.showWarningMessage(`Hangar: ${providerId} lists no models; it cannot be the default.`);
        return false;
      }
      const picked = await vscode.window.showQuickPick(modelPicks(models, current, providerId), { title: `Set Default Provider (2/2): model of ${providerId}`, matchOnDescription: true });
      if (!picked) return false;
      modelId = picked.modelId;
    }
    try {
      await api.setDefaultModel({ providerId, modelId });
    } catch (e) {
      await showError(`Could not set ${providerId} as the default`, e);
      return false;
    }
    this.log.info(`default model set to ${providerId}/${modelId}`);
    void vscode.window.showInformationMessage(`Hangar: the default is now ${providerId} · ${modelId}.`);
    await this.load();
    return true;
  }

  /** hangar.removeProviderCredential: modal confirmation naming the provider; `confirm: true` skips it. */
  async remove(args?: RemoveProviderCredentialArgs): Promise<boolean> {
    const api = this.session.api;
    let providerId = args?.providerId;
    if (!providerId) {
      const creds = await api.credentials();
      if (!creds.length) {
        void vscode.window.showInformationMessage('Hangar: no provider credential is stored.');
        return false;
      }
      const picked = await vscode.window.showQuickPick(creds.map((c) => ({ label: c.providerId, description: `${c.type} · ${c.hint}`, providerId: c.providerId })), { title: 'Remove Provider Credential' });
      if (!picked) return false;
      providerId = picked.providerId;
    }
    const name = this.tree.data?.providers.find((p) => p.id === providerId)?.name ?? providerId;
    if (args?.confirm !== true) {
      const answer = await vscode.window.showWarningMessage(`Remove the credential for ${name}?`, {
        modal: true, detail: 'Projects using this provider lose access to it; running agents follow without a redeploy.',
      }, 'Remove');
      if (answer !== 'Remove') return false;
    }
    try {
      await api.deleteCredential(providerId);
    } catch (e) {
      await showError(`Could not remove the credential for ${name}`, e);
      return false;
    }
    this.log.info(`removed the credential for provider ${providerId}`);
    void vscode.window.showInformationMessage(`Hangar: the credential for ${name} was removed.`);
    await this.load();
    return true;
  }
}

/** Built on first use or once a server answers (credentials that need a new sign-in are announced then). */
export function createProvidersFeature(core: FeatureCore): ProvidersFeature {
  return new ProvidersFeature(core.session, core.log, core.uriRouter, core.context.extension.id,
    (tree) => core.treeView(PROVIDERS_VIEW_ID, tree), core.offline);
}
