import * as vscode from 'vscode';
import type { HangarEvent } from '../backend/contract';
import type { ConfigureProviderArgs, RemoveProviderCredentialArgs, SetDefaultProviderArgs } from './commandIds';
import type { CommandHandlers } from './commandRegistry';
import type { HangarSession } from './hangarSession';
import type { Logger } from './ports';
import {
  catalogPicks, modelPicks, providerRows, signInFlow, type LoadStatus, type ProvidersData,
} from './providersModel';
import type { RowModel } from './treeModel';
import { showError } from './userErrors';
import { RowTreeItem } from './views/rowTreeItem';

export const PROVIDERS_VIEW_ID = 'hangar.providers';

export interface ProvidersProbe {
  status: LoadStatus['kind'];
  rows: Array<{ id: string; label: string; description: string | undefined; tooltip: string | undefined; icon: string; contextValue: string }>;
  /** Where this extension's logs are written (the suite greps them for secrets). */
  logDir: string;
}

class ProviderTreeItem extends RowTreeItem {
  constructor(model: RowModel, readonly providerId: string) {
    super(model);
  }
}

class ProvidersTreeProvider implements vscode.TreeDataProvider<RowTreeItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  data: ProvidersData | undefined;
  status: LoadStatus = { kind: 'idle' };

  constructor(private readonly session: HangarSession) {}

  fire(): void { this.changed.fire(); }
  getTreeItem(item: RowTreeItem): vscode.TreeItem { return item; }

  getChildren(parent?: RowTreeItem): RowTreeItem[] {
    if (parent) return [];
    if (this.session.state.kind === 'disconnected' || this.session.state.kind === 'unauthorised') return [];
    if (this.status.kind === 'error' && !this.data) {
      return [new RowTreeItem({ id: 'providers:error', label: 'Could not load providers', description: this.status.message, contextValue: 'error', icon: { id: 'error', color: 'errorForeground' } })];
    }
    if (!this.data) return this.status.kind === 'loading' ? [new RowTreeItem({ id: 'providers:loading', label: 'Loading…', contextValue: 'loading', icon: { id: 'loading~spin' } })] : [];
    if (!this.data.providers.length) {
      return [new RowTreeItem({
        id: 'providers:empty', label: 'No provider configured', description: 'Configure one to run agents', contextValue: 'empty', icon: { id: 'info' },
        command: { command: 'hangar.configureProvider', title: 'Configure Provider' },
      })];
    }
    return providerRows(this.data).map((row) => new ProviderTreeItem(row, row.id.slice('provider:'.length)));
  }

  dispose(): void { this.changed.dispose(); }
}

type ProviderHandlers = Pick<CommandHandlers, 'hangar.configureProvider' | 'hangar.setDefaultProvider' | 'hangar.removeProviderCredential' | 'hangar.internal.providers'>;

/**
 * The Providers view and the provider commands. Loads on connect, on every full refetch and on
 * provider.changed events. API keys pass straight from the input box to the API: never logged or stored.
 */
export class ProvidersFeature implements vscode.Disposable {
  private readonly tree: ProvidersTreeProvider;
  private readonly view: vscode.TreeView<RowTreeItem>;
  private readonly subscriptions: vscode.Disposable[];
  private loading: Promise<void> | undefined;
  private again = false;

  constructor(private readonly session: HangarSession, private readonly log: Logger, private readonly logDir: string) {
    this.tree = new ProvidersTreeProvider(session);
    this.view = vscode.window.createTreeView(PROVIDERS_VIEW_ID, { treeDataProvider: this.tree });
    this.subscriptions = [
      this.tree,
      this.view,
      session.onDidReceiveEvent((e) => this.onEvent(e)),
      session.onDidChangeState((s) => {
        if (s.kind === 'connected') void this.load();
        if (s.kind === 'disconnected' || s.kind === 'unauthorised') {
          this.tree.data = undefined;
          this.tree.status = { kind: 'idle' };
        }
        this.tree.fire();
      }),
      session.store.onDidChange(() => {
        if (session.store.projectsLoad.kind === 'loading') void this.load();
      }),
    ];
    if (session.state.kind === 'connected') void this.load();
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
          this.tree.data = { providers: list.items, credentials, defaultModel };
          this.tree.status = { kind: 'loaded' };
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

  handlers(): ProviderHandlers {
    return {
      'hangar.configureProvider': (args) => this.configure(args),
      'hangar.setDefaultProvider': (args) => this.setDefault(args),
      'hangar.removeProviderCredential': (args) => this.remove(args),
      'hangar.internal.providers': () => this.probe(),
    };
  }

  probe(): ProvidersProbe {
    return {
      status: this.tree.status.kind,
      rows: this.tree.getChildren().map((i) => ({
        id: i.model.id, label: i.model.label, description: i.model.description, tooltip: i.model.tooltip, icon: i.model.icon.id, contextValue: i.model.contextValue,
      })),
      logDir: this.logDir,
    };
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private onEvent(e: HangarEvent): void {
    if (e.type !== 'provider.changed') return;
    this.log.debug(`provider ${e.data.providerId} changed (configured: ${e.data.configured})`);
    void this.load();
  }

  /** hangar.configureProvider: catalog picker, then the sign-in flow. `{providerId, key}` skips the UI. */
  private async configure(args?: ConfigureProviderArgs): Promise<boolean> {
    const api = this.session.api;
    let providerId = args?.providerId;
    let name = providerId;
    if (!providerId) {
      const list = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Hangar: loading the provider catalog…' }, () => api.providers());
      const picked = await vscode.window.showQuickPick(catalogPicks(list.items), {
        title: 'Configure Provider', placeHolder: `Search ${list.items.length} providers`, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true,
      });
      if (!picked) return false;
      const provider = list.items.find((p) => p.id === picked.providerId)!;
      const flow = signInFlow(provider);
      if (flow.kind === 'unsupported') {
        void vscode.window.showInformationMessage(`Hangar: ${flow.message}`);
        return false;
      }
      providerId = provider.id;
      name = provider.name;
    }
    const key = args?.key ?? await vscode.window.showInputBox({
      title: `Configure ${name}: API key`,
      prompt: `The API key for ${name}. It is sent to the Hangar server, stored there encrypted, and never shown again.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : 'an API key has no spaces or line breaks'),
    });
    if (key === undefined) return false;
    try {
      const meta = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Saving the key for ${name}…` },
        () => api.setCredential(providerId, key.trim()));
      this.log.info(`stored an API key for provider ${providerId} (${meta.hint})`);
      void vscode.window.showInformationMessage(`Hangar: ${name} is configured (key ${meta.hint}).`);
      await this.load();
      return true;
    } catch (e) {
      await showError(`Could not configure ${name}`, e);
      return false;
    }
  }

  /** hangar.setDefaultProvider: a configured provider, then one of its models. */
  private async setDefault(args?: SetDefaultProviderArgs): Promise<boolean> {
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
  private async remove(args?: RemoveProviderCredentialArgs): Promise<boolean> {
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
