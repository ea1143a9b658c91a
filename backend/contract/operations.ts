import { z } from 'zod';
import { IsoTime, listOf } from './common';

// fetch/push/pull/import are GitHub sync operations (backend/sync/); they share the one-per-project rule.
export const OperationKind = z.enum(['deploy', 'start', 'stop', 'restart', 'delete', 'fetch', 'push', 'pull', 'import']);
export type OperationKind = z.infer<typeof OperationKind>;
export const OperationState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type OperationState = z.infer<typeof OperationState>;

export const OperationStep = z.object({ at: IsoTime, message: z.string() });

/** One container action on one project; at most one runs per project at a time. */
export const Operation = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: OperationKind,
  force: z.boolean(),
  state: OperationState,
  steps: z.array(OperationStep),
  error: z.string().nullable(),
  cancellable: z.boolean(),
  createdAt: IsoTime,
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
});
export type Operation = z.infer<typeof Operation>;
export const OperationList = listOf(Operation);
export type OperationList = z.infer<typeof OperationList>;

export const DeployBody = z.strictObject({ force: z.boolean().default(false) });
export const DeleteProjectQuery = z.object({
  deleteVolumes: z.enum(['true', 'false']).optional().describe('also remove the workspace volume; needs confirm=<project slug>'),
  confirm: z.string().optional(),
  ignoreUnsynced: z.enum(['true', 'false']).optional()
    .describe('true = delete even when the workspace has unpushed commits or uncommitted files (otherwise 409 unsynced_changes)'),
});

export const LogsQuery = z.object({
  tail: z.coerce.number().int().min(1).max(10_000).default(200),
  follow: z.enum(['true', 'false']).optional(),
});
export const LogLines = z.object({ lines: z.array(z.string()), truncated: z.boolean() });
export type LogLines = z.infer<typeof LogLines>;
/** One `event: log` frame of GET /api/projects/:id/logs?follow=true. */
export const LogEvent = z.object({ line: z.string() });
export type LogEvent = z.infer<typeof LogEvent>;
