// The chat's model and agent choice, without vscode: the agent's catalog (models, agents, slash
// commands), the user's pick, a pick the agent no longer has, and the needs-redeploy notice.
import type { ChatHostToWebview, ModelRef } from '../../webviews/protocol/chat';
import type { ChatApi } from './chatApi';
import { catalogFrom, commandCall, lastChoice, type AgentCatalog } from './agentCatalog';
import { sameModel } from './chatLinks';

export interface Choice { model?: ModelRef; agent?: string }

export interface ModelChoiceDeps {
  api: Pick<ChatApi, 'providers' | 'agents' | 'commands'>;
  post(message: ChatHostToWebview): void;
  /** the catalog is only asked of a running project */
  running(): boolean;
  /** the choice changed: keep it across reloads */
  persist(): void;
}

export class ModelChoice {
  private catalog: AgentCatalog | undefined;
  private picked: Choice = {};
  private needsRedeploy: string | null = null;

  constructor(private readonly deps: ModelChoiceDeps) {}

  /** What the user picked last (persisted), not the agent's defaults. */
  get choice(): Choice { return this.picked; }

  /** The user's pick (a sent prompt, a restored chat). */
  pick(choice: Choice): void {
    const { model, agent } = choice;
    this.picked = { ...(model ? { model } : {}), ...(agent ? { agent } : {}) };
  }

  /** A transcript was read: with nothing picked yet, the pickers start on the session's last choice. */
  fromTranscript(raw: unknown[]): void {
    if (!this.picked.model && !this.picked.agent) this.picked = lastChoice(raw);
  }

  /** A slash command the agent knows, as opencode's command call; undefined for a plain prompt. */
  commandOf(text: string): ReturnType<typeof commandCall> {
    return commandCall(text, this.catalog?.commands);
  }

  /** The model and agent the pickers start on: the user's last choice, else the agent's defaults. */
  fields(): Choice {
    const model = this.picked.model ?? this.catalog?.defaultModel;
    const agent = this.picked.agent ?? this.catalog?.defaultAgent;
    return { ...(model ? { model } : {}), ...(agent ? { agent } : {}) };
  }

  load(): Promise<AgentCatalog> {
    if (this.catalog && this.catalog.models.length) return Promise.resolve(this.catalog);
    const { api } = this.deps;
    const providers = api.providers().catch(() => undefined);
    const commands = api.commands().catch(() => undefined);
    return Promise.all([providers, api.agents().catch(() => undefined), commands]).then(([p, a, c]) => {
      this.catalog = catalogFrom(p, a, c);
      return this.catalog;
    });
  }

  /** The agent reloaded its config files (`workspace.changed` with agentReloaded): its agent list again. */
  async agentFilesChanged(): Promise<void> {
    // The agent rebuilds its instance on the first request after the reload: until then it may fail or time out.
    for (let attempt = 0; attempt < 6; attempt++) {
      this.catalog = undefined;
      if (!this.deps.running()) return;
      if ((await this.load()).models.length) break;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
    this.postModels(this.dropStale(), true);
    this.deps.persist();
  }

  /**
   * The agent's provider changed (`agent.config` on the user's event stream): its model list again,
   * and the choice moved to its default when the agent no longer has it.
   */
  async modelsChanged(
    change: { needsRedeploy: string | null; providerId?: string | null; modelId?: string | null },
  ): Promise<void> {
    this.needsRedeploy = change.needsRedeploy;
    this.catalog = undefined;
    if (!this.deps.running()) return;
    const catalog = await this.load();
    // opencode's own "default" is its pick among a provider's models; the one the user set is Hangar's.
    const { providerId, modelId } = change;
    const known = catalog.models.some((m) => m.providerId === providerId && m.modelId === modelId);
    if (!change.needsRedeploy && providerId && modelId && known) {
      catalog.defaultModel = { providerId, modelId };
      if (this.picked.model && this.picked.model.providerId !== providerId) delete this.picked.model;
    }
    this.postModels(this.dropStale());
    this.deps.persist();
  }

  /** The project's row says its agent needs a redeploy for a provider change (or no longer does). */
  setNeedsRedeploy(why: string | null): void {
    if (why === this.needsRedeploy) return;
    this.needsRedeploy = why;
    this.postModels(undefined);
  }

  postModels(notice: string | undefined, withAgents = false): void {
    const { model } = this.fields();
    const why = this.needsRedeploy;
    this.deps.post({
      type: 'chat.models', models: this.catalog?.models ?? [],
      ...(model ? { model } : {}), ...(notice ? { notice } : {}),
      ...(withAgents ? { agents: this.catalog?.agents ?? [], commands: this.catalog?.commands ?? [] } : {}),
      ...(why ? { needsRedeploy: `This project needs a redeploy for its provider change: ${why}.` } : {}),
    });
  }

  /**
   * A chosen model the agent does not have (a provider change, a reopened chat after a redeploy)
   * would fail the turn: forget it, so the agent's default is used, and say so.
   */
  dropStale(): string | undefined {
    const chosen = this.picked.model;
    const models = this.catalog?.models;
    if (!chosen || !models?.length) return undefined;
    if (models.some((m) => m.providerId === chosen.providerId && m.modelId === chosen.modelId)) return undefined;
    delete this.picked.model;
    const now = this.fields().model;
    const name = now
      ? models.find((m) => sameModel(m, now))?.name ?? `${now.providerId}/${now.modelId}`
      : 'its default';
    return `${chosen.providerId}/${chosen.modelId} is not available on this agent any more: using ${name}.`;
  }

  /** A queued prompt's model when the agent has it; otherwise none (the agent's default), said once in the chat. */
  usable(model: ModelRef | undefined): ModelRef | undefined {
    const models = this.catalog?.models;
    if (!model || !models?.length || models.some((m) => sameModel(m, model))) return model;
    if (this.picked.model?.providerId === model.providerId && this.picked.model.modelId === model.modelId) {
      this.postModels(this.dropStale());
    }
    return this.fields().model;
  }
}
