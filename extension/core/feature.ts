import type * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import type { CommandHandlers } from './commandRegistry';
import type { VIEW_IDS } from './commandIds';
import type { FeatureCore } from './featureCore';

export type FeatureId =
  | 'connection' | 'projects' | 'chat' | 'providers' | 'sync' | 'activity' | 'desktop' | 'agentFiles' | 'settings';
export type ViewId = (typeof VIEW_IDS)[keyof typeof VIEW_IDS];

/** What a feature contributes once its code has loaded: its command handlers and what to dispose. */
export interface AnyFeature {
  readonly id: FeatureId;
  readonly commands: Partial<CommandHandlers>;
  readonly disposables: vscode.Disposable[];
  /** A webview panel VS Code restores after a reload (see FeatureManifest.panelSerializers). */
  restorePanel?(viewType: string, panel: vscode.WebviewPanel, state: unknown): void;
  /** The providers of the schemes its manifest declares (FeatureManifest.fileSystems), by scheme. */
  readonly fileSystems?: Readonly<Record<string, vscode.FileSystemProvider>>;
}

/** A feature owning the commands C: a handler missing from its map is a compile error. */
export interface Feature<C extends CommandId> extends AnyFeature {
  readonly commands: Pick<CommandHandlers, C>;
}

/**
 * What activation knows about a feature without loading its code: the command ids and views it owns
 * (registered eagerly and cheaply), the deep-link paths it answers, and when it loads by itself.
 * `load` imports the feature's module (a separate chunk of the bundle) and builds it.
 */
export interface FeatureManifest<F extends AnyFeature = AnyFeature> {
  readonly id: F['id'];
  readonly commands: ReadonlyArray<keyof F['commands'] & CommandId>;
  readonly views?: readonly ViewId[];
  readonly uriPaths?: readonly string[];
  /** Webview panel types VS Code restores after a reload: a placeholder serializer loads the feature. */
  readonly panelSerializers?: readonly string[];
  /**
   * File system schemes it serves (case-sensitive): a placeholder provider, registered at activation so
   * that editors restored with the window find it, loads the feature on the first file call.
   */
  readonly fileSystems?: readonly string[];
  /**
   * `startup`: right after activation; `connected`: once a server answers (events and notifications);
   * `{ with }`: as soon as that other feature has loaded (it adds to that feature's views).
   */
  readonly loadOn?: 'startup' | 'connected' | { readonly with: FeatureId };
  load(): Promise<(core: FeatureCore) => F | Promise<F>>;
}
