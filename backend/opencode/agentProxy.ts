import type { Config } from '../config';
import type { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { ProjectService } from '../services/projects';
import { AgentEventRelays } from './eventRelay';
import { AgentTargets } from './upstream';
import { AgentConnections } from './agentConnections';
import { agentWorkspaceResolver, type AgentWorkspace } from './agentWorkspace';

export interface AgentProxy {
  targets: AgentTargets;
  /** Keep-alive connections to the running agents (closed with the API). */
  connections: AgentConnections;
  relays: AgentEventRelays;
  /** Where a project's workspace is, for confining the files a prompt attaches. */
  workspace: (projectId: string, runtime: string) => AgentWorkspace;
}

export function createAgentProxy(
  config: Config, projects: ProjectService, log: Logger, hub?: Pick<EventHub, 'follow'>,
): AgentProxy {
  // Resolved targets are dropped on every event about their project (status, update, delete), from any replica.
  // Their keep-alive pools are closed when the project stops or is deleted, and retired when it moves.
  const connections = new AgentConnections();
  const targets = new AgentTargets(projects, hub, Date.now, connections);
  const relays = new AgentEventRelays({
    bufferSize: config.agent.eventBuffer,
    bufferBytes: 16 * 1024 * 1024,
    graceMs: config.agent.graceMs,
    connectTimeoutMs: Math.min(config.agent.timeoutMs, 10_000),
    stallMs: 35_000,
    backoff: { initialMs: 250, maxMs: 10_000 },
    notRunningPollMs: 1000,
    target: (id) => targets.byId(id),
    log,
  });
  return { targets, connections, relays, workspace: agentWorkspaceResolver(config.dataDir) };
}
