import * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import { registerCommands, type CommandHandlers } from './commandRegistry';
import type { AnyFeature, FeatureId, FeatureManifest, ViewId } from './feature';
import type { FeatureCore, FeatureTypes, Shell } from './featureCore';
import type { HangarSession } from './hangarSession';
import { isNetworkOnly, offlineMessage } from '../connection/onlineGate';
import { LazyFileSystemProvider } from './lazyFileSystem';
import { LazyTreeProvider } from './lazyTreeProvider';
import type { OfflineCache } from './store/offlineCache';
import type { showError } from './userErrors';

/**
 * Builds the session once, from its own chunk (the API client and its schemas are most of the code),
 * and hands over that chunk's showError: it knows the ApiError class the features throw.
 */
export type SessionLoader = (shell: Shell) => Promise<{ session: HangarSession; showError: typeof showError; offline: OfflineCache }>;

/**
 * Registers every feature's commands, views and deep links at activation without loading any feature,
 * and loads each feature (and, before the first, the session) the first time something needs it.
 */
export class FeatureHost implements vscode.Disposable {
  private readonly features = new Map<FeatureId, Promise<AnyFeature>>();
  private readonly ready = new Map<FeatureId, AnyFeature>();
  private readonly views = new Map<ViewId, { provider: LazyTreeProvider; view: vscode.TreeView<unknown> }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Placeholder webview serializers, by feature: gone before the feature registers its own. */
  private readonly serializers = new Map<FeatureId, vscode.Disposable[]>();
  private core: Promise<FeatureCore> | undefined;
  private readonly loadListeners = new Set<(feature: AnyFeature) => void>();
  private showError: typeof showError | undefined;

  constructor(
    private readonly shell: Shell,
    private readonly manifests: readonly FeatureManifest[],
    private readonly loadSession: SessionLoader,
  ) {}

  /** Cheap: command ids, tree views with placeholder providers, the URI handler. */
  register(): void {
    const handlers: Partial<Record<CommandId, (...args: unknown[]) => unknown>> = {};
    for (const m of this.manifests) {
      for (const id of m.commands) {
        handlers[id] = async (...args: unknown[]) => {
          if (isNetworkOnly(id) && await this.refuseOffline()) return undefined;
          const feature: AnyFeature = await this.load(m.id);
          const handler = feature.commands[id] as ((...a: unknown[]) => unknown) | undefined;
          if (!handler) throw new Error(`the ${m.id} feature has no handler for ${id}`);
          return handler(...args);
        };
      }
      for (const viewId of m.views ?? []) {
        const provider = new LazyTreeProvider(() => this.load(m.id));
        const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider });
        this.views.set(viewId, { provider, view });
        this.disposables.push(view, provider);
      }
      for (const scheme of m.fileSystems ?? []) {
        const provider = new LazyFileSystemProvider(async () => {
          const feature: AnyFeature = await this.load(m.id);
          const target = feature.fileSystems?.[scheme];
          if (!target) throw new Error(`the ${m.id} feature serves no ${scheme}: file system`);
          return target;
        });
        const registration = vscode.workspace.registerFileSystemProvider(scheme, provider, { isCaseSensitive: true });
        this.disposables.push(registration, provider);
      }
      this.serializers.set(m.id, (m.panelSerializers ?? []).map((viewType) =>
        vscode.window.registerWebviewPanelSerializer(viewType, {
          deserializeWebviewPanel: async (panel, state) => {
            const feature: AnyFeature = await this.load(m.id);
            feature.restorePanel?.(viewType, panel, state);
          },
        })));
    }
    this.disposables.push(
      ...registerCommands(handlers as CommandHandlers, this.shell.log, (id, e) => this.report(id, e)),
      vscode.window.registerUriHandler({ handleUri: (uri) => this.handleUri(uri.path, uri.query) }),
    );
  }

  /** Loads the features that start by themselves (`loadOn: 'startup'`); called after activate() returned. */
  startup(): void {
    for (const m of this.manifests) if (m.loadOn === 'startup') void this.loadLogged(m.id);
  }

  load<K extends FeatureId>(id: K): Promise<FeatureTypes[K]> {
    let loading = this.features.get(id);
    if (!loading) {
      loading = this.build(id);
      this.features.set(id, loading);
      loading.catch(() => this.features.delete(id));
    }
    return loading as Promise<AnyFeature> as Promise<FeatureTypes[K]>;
  }

  private async build(id: FeatureId): Promise<AnyFeature> {
    const manifest = this.manifests.find((m) => m.id === id);
    if (!manifest) throw new Error(`no feature ${id}`);
    const started = performance.now();
    const [core, create] = await Promise.all([this.loadCore(), manifest.load()]);
    for (const placeholder of this.serializers.get(id) ?? []) placeholder.dispose();
    this.serializers.delete(id);
    const feature = await create(core);
    this.shell.context.subscriptions.push(...feature.disposables);
    this.ready.set(id, feature);
    for (const l of [...this.loadListeners]) l(feature);
    this.shell.log.debug(`feature ${id} loaded in ${(performance.now() - started).toFixed(1)} ms`);
    for (const m of this.manifests) {
      if (typeof m.loadOn === 'object' && m.loadOn.with === id) void this.loadLogged(m.id);
    }
    return feature;
  }

  private loadCore(): Promise<FeatureCore> {
    this.core ??= (async () => {
      const { session, showError, offline } = await this.loadSession(this.shell);
      this.showError = showError;
      const core: FeatureCore = {
        ...this.shell,
        session,
        offline,
        treeView: <T>(id: ViewId, provider: vscode.TreeDataProvider<T>) => {
          const entry = this.views.get(id);
          if (!entry) throw new Error(`the view ${id} is not declared by any feature`);
          entry.provider.attach(provider as vscode.TreeDataProvider<unknown>);
          return entry.view as vscode.TreeView<T>;
        },
        feature: (id) => this.load(id),
        loaded: <K extends keyof FeatureTypes>(id: K) => this.ready.get(id) as FeatureTypes[K] | undefined,
      };
      // Events and notifications need their features as soon as a server answers, views open or not.
      const onState = () => {
        if (session.state.kind !== 'connected' && session.state.kind !== 'offline') return;
        for (const m of this.manifests) if (m.loadOn === 'connected') void this.loadLogged(m.id);
      };
      this.disposables.push(session.onDidChangeState(onState));
      onState();
      return core;
    })();
    return this.core;
  }

  /** Fires once per feature, when its code has loaded and it was built (before its first command runs). */
  onDidLoad(listener: (feature: AnyFeature) => void): vscode.Disposable {
    this.loadListeners.add(listener);
    return new vscode.Disposable(() => this.loadListeners.delete(listener));
  }

  /** A network-only command while offline: says why at once (no wizard first) and probes the server. */
  private async refuseOffline(): Promise<boolean> {
    const { session } = await this.loadCore();
    const why = offlineMessage(session.state);
    if (!why) return false;
    void session.testConnection().catch(() => undefined);
    void vscode.window.showWarningMessage(why);
    return true;
  }

  private async loadLogged(id: FeatureId): Promise<void> {
    try {
      await this.load(id);
    } catch (e) {
      this.shell.log.error(`feature ${id} failed to load: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  /** A command failed: one message with a next step (before any feature loaded, a plain one). */
  private report(id: CommandId, e: unknown): void {
    if (this.showError) {
      void this.showError(`Hangar: ${id} failed`, e);
      return;
    }
    void vscode.window.showErrorMessage(`Hangar: ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  private async handleUri(path: string, query: string): Promise<void> {
    const owner = this.manifests.find((m) => m.uriPaths?.includes(path));
    if (owner) await this.load(owner.id);
    if (!(await this.shell.uriRouter.handle(path, query))) this.shell.log.warn(`no handler for the link ${path}`);
  }

  dispose(): void {
    for (const d of [...this.disposables.splice(0), ...[...this.serializers.values()].flat()]) d.dispose();
  }
}
