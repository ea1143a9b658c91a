import * as vscode from 'vscode';
import type { ActivityNotification, HangarEvent } from '../../backend/contract';
import { ActivityModel, agentStateOf, type AgentState } from './activityModel';
import type { OpenSessionArgs } from '../core/commandIds';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { ActivityTreeProvider } from './activityTree';
import { NotificationCenter } from './notifications/notificationCenter';
import { readNotifySettings, VscodeNotificationSinks } from './notifications/vscodeNotifications';
import { parseSessionLink } from './notifications/sessionLink';
import type { UriRouter } from '../core/uriRouter';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import type { ACTIVITY_COMMANDS } from './activityManifest';
import { activityCommands } from './activityCommands';
import { ActivitySession } from '../../backend/contract';
import type { OfflineCache } from '../core/store/offlineCache';

export const ACTIVITY_VIEW_ID = 'hangar.activity';
const NOTIFY_SETTINGS = [
  'hangar.notifications.inApp', 'hangar.notifications.system', 'hangar.notifications.quietHours',
];

export interface ActivityFeatureOptions {
  /** The extension's URI router: the feature registers `/session`. */
  uriRouter?: UriRouter;
  /** The project and session of the chat panel in front, if one is: its notifications are not raised. */
  chatInFront?: () => Promise<{ projectId: string; sessionId: string | null } | undefined>;
  /** The Activity view (created at activation), showing this feature's rows. */
  treeView(tree: ActivityTreeProvider): vscode.TreeView<unknown>;
  /** The offline store: each load is kept, and shown (with its age) while the server cannot be reached. */
  offline?: OfflineCache;
}

/**
 * The Activity view, its badge and the notifications: wires the plain ActivityModel to VS Code.
 * Fetches on connect and on every resync/reconnect; events keep it fresh in between.
 */
export class ActivityFeature implements vscode.Disposable, Feature<(typeof ACTIVITY_COMMANDS)[number]> {
  readonly id = 'activity';
  readonly disposables: vscode.Disposable[] = [this];
  readonly commands: Feature<(typeof ACTIVITY_COMMANDS)[number]>['commands'];
  readonly model = new ActivityModel();
  readonly tree: ActivityTreeProvider;
  readonly view: vscode.TreeView<unknown>;
  private readonly subscriptions: vscode.Disposable[];
  private ticker: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  readonly sinks: VscodeNotificationSinks;
  readonly center: NotificationCenter;

  constructor(
    private readonly session: HangarSession,
    private readonly log: Logger,
    private readonly options: ActivityFeatureOptions,
  ) {
    this.sinks = new VscodeNotificationSinks(session, log);
    this.center = new NotificationCenter({ settings: readNotifySettings, now: () => new Date(), sinks: this.sinks });
    this.tree = new ActivityTreeProvider(session, this.model);
    this.view = options.treeView(this.tree);
    this.model.setVisible(this.view.visible);
    this.subscriptions = [
      this.tree,
      this.view,
      this.view.onDidChangeVisibility((e) => {
        this.model.setVisible(e.visible);
        this.updateTicker();
      }),
      this.model.onDidChange(() => {
        this.updateBadge();
        this.updateTicker();
      }),
      session.onDidReceiveEvent((e) => this.onEvent(e)),
      session.onDidChangeState((s) => {
        if (s.kind === 'connected') void this.load();
        if (s.kind === 'offline') void this.restore();
        if (s.kind === 'disconnected' || s.kind === 'unauthorised' || (s.kind === 'connecting' && !s.reconnecting)) {
          this.tree.loadedAt = undefined;
          this.model.clear();
        }
      }),
      // A full refetch of projects (connect, reconnect, resync, Refresh) refetches activity too.
      session.store.onDidChange(() => {
        if (session.store.projectsLoad.kind === 'loading') void this.load();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (NOTIFY_SETTINGS.some((k) => e.affectsConfiguration(k))) this.flushHeld();
      }),
      { dispose: () => { if (this.flushTimer) clearTimeout(this.flushTimer); } },
      ...(options.uriRouter ? [options.uriRouter.register('/session', (q) => this.openLink(q))] : []),
    ];
    if (session.state.kind === 'connected') void this.load();
    if (session.state.kind === 'offline') void this.restore();
    this.commands = activityCommands(this, session);
  }

  /** A window opened while the server cannot be reached: the offline store's sessions, with their age. */
  private async restore(): Promise<void> {
    const offline = this.options.offline;
    if (!offline) return;
    await offline.ready;
    if (this.tree.loadedAt !== undefined || this.session.state.kind !== 'offline') return;
    const cached = offline.list('activity');
    if (!cached) return;
    const items = cached.items.flatMap((i) => {
      const r = ActivitySession.safeParse(i);
      return r.success ? [r.data] : [];
    });
    this.tree.loadedAt = cached.at;
    this.model.finishLoad(items);
    this.log.info(`activity: showing the offline copy (${items.length} session(s))`);
  }

  /** GET /api/activity (first page: the view shows the most recent sessions). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      this.model.beginLoad();
      try {
        const page = await this.session.api.activity({ limit: 100 });
        this.tree.loadError = undefined;
        this.tree.loadedAt = Date.now();
        this.model.finishLoad(page.items);
        this.options.offline?.putList('activity', page.items, this.tree.loadedAt);
      } catch (e) {
        this.tree.loadError = e instanceof Error ? e.message : String(e);
        this.log.warn(`activity: could not load sessions: ${this.tree.loadError}`);
        this.model.abortLoad();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** hangar.openSession: the project's chat, at that session (opened if it was not). */
  async openSession(args: OpenSessionArgs | undefined): Promise<boolean> {
    if (!args?.projectId || !args.sessionId) throw new Error('hangar.openSession needs {projectId, sessionId}');
    this.log.info(`open session ${args.sessionId} of project ${args.projectId} in its chat`);
    await vscode.commands.executeCommand('hangar.openChat', { id: args.projectId, sessionId: args.sessionId });
    return true;
  }

  /** The agent state of a project (Projects tree), from its sessions; undefined before the first load. */
  agentState(projectId: string): AgentState {
    return agentStateOf(this.model.sessions, projectId);
  }

  /** vscode://hangar-dev.hangar/session?project=…&session=… (from the outgoing webhook, a chat message, …). */
  private async openLink(q: URLSearchParams): Promise<void> {
    const link = parseSessionLink(q);
    if ('error' in link) {
      void vscode.window.showErrorMessage(`Hangar: this session link cannot be opened: ${link.error}`);
      return;
    }
    await vscode.commands.executeCommand('hangar.openSession', link);
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.subscriptions) d.dispose();
  }

  private onEvent(e: HangarEvent): void {
    const note = this.model.apply(e);
    if (note) void this.notify(note);
  }

  private async notify(note: ActivityNotification): Promise<void> {
    let front: { projectId: string; sessionId: string | null } | undefined;
    try {
      front = await this.options.chatInFront?.();
    } catch (e) {
      this.log.debug(`activity: cannot tell which chat is in front: ${e instanceof Error ? e.message : String(e)}`);
    }
    const decision = this.center.offer(note, front?.projectId === note.projectId && front.sessionId === note.sessionId);
    this.log.info(`notification ${note.kind} for session ${note.sessionId}: ${decision}`);
    if (decision === 'held') this.scheduleFlush();
  }

  /** Quiet hours: look again when they end (or when the settings change) and sum up what was held. */
  private scheduleFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const ms = this.center.msUntilFlush();
    this.flushTimer = ms === undefined ? undefined : setTimeout(() => this.flushHeld(), Math.min(ms, 2 ** 31 - 1));
  }

  private flushHeld(): void {
    this.center.flushIfQuietEnded();
    this.scheduleFlush();
  }

  private updateBadge(): void {
    const n = this.model.badgeCount;
    const tooltip = `${n} session${n === 1 ? '' : 's'} finished, failed or need approval`;
    this.view.badge = n ? { value: n, tooltip } : undefined;
  }

  /** While a session runs and the view is visible, its duration ticks. */
  private updateTicker(): void {
    const needed = this.view.visible
      && this.model.sessions.some((s) => s.status === 'running' || s.status === 'waiting_for_permission');
    if (needed && !this.ticker) this.ticker = setInterval(() => this.tree.refresh(), 1000);
    if (!needed && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

/** Built on first use; the chat in front (if the chat has loaded) holds back its own session's notifications. */
export function createActivityFeature(core: FeatureCore): ActivityFeature {
  return new ActivityFeature(core.session, core.log, {
    uriRouter: core.uriRouter,
    treeView: (tree) => core.treeView(ACTIVITY_VIEW_ID, tree),
    offline: core.offline,
    chatInFront: () => Promise.resolve(core.loaded('chat')?.panels.activeSession()),
  });
}
