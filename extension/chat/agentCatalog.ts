// The model and agent pickers' lists, from the agent's own answers (GET /config/providers and
// GET /agent through the proxy): what this opencode can actually use, not the whole catalog.
import { z } from 'zod';
import type { ChatAgent, ChatCommand, ChatModel, ModelRef } from '../../webviews/protocol/chat';

const OcModel = z.object({ id: z.string().min(1).optional(), name: z.string().optional() }).passthrough();
const OcProvider = z.object({
  id: z.string().min(1),
  name: z.string().catch(''),
  models: z.record(z.string(), z.unknown()).catch({}),
}).passthrough();
export const OcProviders = z.object({
  providers: z.array(z.unknown()).catch([]),
  default: z.record(z.string(), z.string()).catch({}),
}).passthrough();
export type OcProviders = z.infer<typeof OcProviders>;

const OcAgent = z.object({
  name: z.string().min(1),
  description: z.string().optional().catch(undefined),
  mode: z.string().catch('primary'),
  hidden: z.boolean().nullish().catch(undefined),
}).passthrough();
export const OcAgents = z.array(z.unknown());

const OcCommand = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional().catch(undefined),
}).passthrough();

export interface AgentCatalog {
  models: ChatModel[];
  agents: ChatAgent[];
  /** the `/` picker's slash commands (GET /command) */
  commands?: ChatCommand[];
  /** the agent's default model: the first provider's default */
  defaultModel?: ModelRef;
  defaultAgent?: string;
}

export function catalogFrom(providersRaw: unknown, agentsRaw: unknown, commandsRaw?: unknown): AgentCatalog {
  const p = OcProviders.safeParse(providersRaw);
  const models: ChatModel[] = [];
  let defaultModel: ModelRef | undefined;
  if (p.success) {
    for (const raw of p.data.providers) {
      const provider = OcProvider.safeParse(raw);
      if (!provider.success) continue;
      const { id: providerId, name: providerName, models: byId } = provider.data;
      for (const [key, m] of Object.entries(byId)) {
        const model = OcModel.safeParse(m);
        const modelId = (model.success ? model.data.id : undefined) ?? key;
        const name = (model.success ? model.data.name : undefined) || modelId;
        models.push({ providerId, modelId, name: `${providerName || providerId} · ${name}` });
      }
      const d = p.data.default[providerId];
      if (!defaultModel && d && models.some((m) => m.providerId === providerId && m.modelId === d)) {
        defaultModel = { providerId, modelId: d };
      }
    }
  }
  const agents: ChatAgent[] = [];
  const a = OcAgents.safeParse(agentsRaw);
  if (a.success) {
    for (const raw of a.data) {
      const agent = OcAgent.safeParse(raw);
      // Subagents are called by other agents; hidden ones (title, summary, compaction) are internal.
      if (!agent.success || agent.data.mode === 'subagent' || agent.data.hidden) continue;
      const { name, description } = agent.data;
      agents.push(description ? { name, description } : { name });
    }
  }
  const defaultAgent = agents.some((x) => x.name === 'build') ? 'build' : agents[0]?.name;
  const commands = commandsFrom(commandsRaw);
  return {
    models, agents, ...(commands.length ? { commands } : {}),
    ...(defaultModel ? { defaultModel } : {}), ...(defaultAgent ? { defaultAgent } : {}),
  };
}

/** GET /command's answer as the picker shows it: name and description, sorted by name; anything else dropped. */
export function commandsFrom(raw: unknown): ChatCommand[] {
  if (!Array.isArray(raw)) return [];
  const out: ChatCommand[] = [];
  for (const item of raw) {
    const c = OcCommand.safeParse(item);
    if (!c.success || out.some((x) => x.name === c.data.name)) continue;
    out.push(c.data.description ? { name: c.data.name, description: c.data.description } : { name: c.data.name });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `/name the rest` at the start of a prompt, when the agent has a command `name`: what POST /session/:id/command
 * takes.
 */
export function commandCall(
  text: string, commands: readonly ChatCommand[] | undefined,
): { command: string; arguments: string } | undefined {
  const m = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m || !commands?.some((c) => c.name === m[1])) return undefined;
  return { command: m[1]!, arguments: (m[2] ?? '').trim() };
}

/** The model and agent of the session's last user message, when it has one (opencode keeps them per message). */
export function lastChoice(messages: readonly unknown[]): { model?: ModelRef; agent?: string } {
  const Info = z.object({
    role: z.literal('user'),
    agent: z.string().optional().catch(undefined),
    model: z.object({ providerID: z.string(), modelID: z.string() }).optional().catch(undefined),
  });
  for (let i = messages.length - 1; i >= 0; i--) {
    const r = z.object({ info: Info }).safeParse(messages[i]);
    if (!r.success) continue;
    const { model, agent } = r.data.info;
    return {
      ...(model ? { model: { providerId: model.providerID, modelId: model.modelID } } : {}),
      ...(agent ? { agent } : {}),
    };
  }
  return {};
}
