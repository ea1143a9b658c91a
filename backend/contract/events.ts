import { z } from 'zod';
import { ActivityNotification, ActivitySession } from './activity';
import { IsoTime } from './common';
import { Operation } from './operations';
import { Project, ProjectStatus } from './projects';
import { SyncResult, SyncStatus } from './sync';
import { Tier } from './tiers';
import { WorkspaceChanged } from './workspaceFiles';

/** Every event on GET /api/events; the SSE `event:` line carries `type`, `id:` carries `id`. */
const envelope = { id: z.number().int().positive(), at: IsoTime };

export const HangarEvent = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('project.created'), data: z.object({ project: Project }) }),
  z.object({ ...envelope, type: z.literal('project.updated'), data: z.object({ project: Project }) }),
  z.object({ ...envelope, type: z.literal('project.deleted'), data: z.object({ id: z.string() }) }),
  z.object({ ...envelope, type: z.literal('tier.changed'), data: z.object({ tier: Tier }) }),
  z.object({
    ...envelope,
    type: z.literal('project.status'),
    data: z.object({ projectId: z.string(), status: ProjectStatus, reason: z.string().nullable() }),
  }),
  z.object({ ...envelope, type: z.literal('operation.progress'), data: z.object({ operation: Operation }) }),
  z.object({ ...envelope, type: z.literal('operation.finished'), data: z.object({ operation: Operation }) }),
  z.object({ ...envelope, type: z.literal('activity.updated'), data: z.object({ session: ActivitySession }) }),
  z.object({ ...envelope, type: z.literal('notification.created'), data: ActivityNotification }),
  // Metadata only: which provider changed and whether it is still usable; never a secret.
  z.object({ ...envelope, type: z.literal('provider.changed'), data: z.object({ providerId: z.string(), configured: z.boolean() }) }),
  // A running agent's provider and model after a provider change: applied live (the chat reloads its
  // model list), or why it needs a redeploy. Metadata only.
  z.object({
    ...envelope,
    type: z.literal('agent.config'),
    data: z.object({
      projectId: z.string(), providerId: z.string().nullable(), modelId: z.string().nullable(),
      applied: z.boolean(), needsRedeploy: z.string().nullable(),
    }),
  }),
  // GitHub sync: the status after every change, and the summary of each finished fetch/push/pull.
  z.object({ ...envelope, type: z.literal('sync.status'), data: z.object({ status: SyncStatus }) }),
  z.object({ ...envelope, type: z.literal('sync.result'), data: z.object({ projectId: z.string(), operationId: z.string(), result: SyncResult }) }),
  // A file route changed the project's workspace (the `hangar:` file system's change events).
  z.object({ ...envelope, type: z.literal('workspace.changed'), data: WorkspaceChanged }),
  z.object({
    ...envelope,
    type: z.literal('resync'),
    data: z.object({ reason: z.string() }),
  }),
]);
export type HangarEvent = z.infer<typeof HangarEvent>;
export type HangarEventType = HangarEvent['type'];
export type HangarEventData<T extends HangarEventType> = Extract<HangarEvent, { type: T }>['data'];
