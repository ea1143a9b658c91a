import type { OperationKind } from '../contract';

/**
 * What one part of the API tells the others, in-process (never sent to clients: that is the
 * EventHub). Each part that reacts subscribes in the composition root (backend/compositionRoot.ts),
 * so no service holds a hook another one fills in after construction.
 */
export interface DomainEvents {
  /** A provider credential or custom provider was stored, replaced or removed (backend/providers). */
  'credential.changed': { userId: string; providerId: string };
  /** The user's default model (projectId null) or a project's override changed. */
  'model.changed': { userId: string; projectId: string | null };
  /** A user's default OpenCode permissions (projectId null) or a project's override changed (backend/settings). */
  'permissions.changed': { userId: string; projectId: string | null };
  /** A project's opencode answered its health check after a deploy, start or restart. */
  'agent.healthy': { projectId: string; agentUrl: string };
  /** A project's tier was changed (a redeploy with another tier; backend/services/redeploy.ts). */
  'project.tierChanged': { projectId: string; from: string; to: string };
  /** The opencode plugin reported a session Hangar had not seen (backend/activity); a subagent's too. */
  'session.started': { projectId: string; sessionId: string; parentSessionId: string | null; title: string };
  /** The agent ran `git push` itself (its bash tool; the plugin reports it): how it ended. */
  'agent.pushed': { projectId: string; command: string; exit: number | null; ok: boolean };
  /** An operation has finished and released the project (its row holds the final state). */
  'operation.finished': {
    ownerId: string; projectId: string; kind: OperationKind; state: 'succeeded' | 'failed' | 'cancelled';
  };
}

export type DomainEventType = keyof DomainEvents;
type Handler<K extends DomainEventType> = (event: DomainEvents[K]) => unknown;

/** A typed in-process event bus: `emit` runs every handler of the type, in order, and waits for each. */
export class DomainBus {
  private readonly handlers = new Map<DomainEventType, Set<Handler<never>>>();

  /** Subscribes; returns the unsubscribe function. */
  on<K extends DomainEventType>(type: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  /** Resolves once every handler has; the first handler that throws rejects it (the rest still ran). */
  async emit<K extends DomainEventType>(type: K, event: DomainEvents[K]): Promise<void> {
    const errors: unknown[] = [];
    for (const handler of [...(this.handlers.get(type) ?? [])] as Handler<K>[]) {
      try {
        await handler(event);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw errors[0];
  }
}
