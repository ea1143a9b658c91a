// What every webview's protocol shares: request ids, `ready`, the host's `response`, the project status
// the panels show, and the typed dispatch. One file per webview beside it (chat.ts, desktop.ts,
// project.ts, …): each holds every message between the host and that webview, one zod schema each,
// discriminated on `type`. Both sides validate with these schemas; the types come from z.infer.
// zod/mini keeps the webview bundles small (it tree-shakes; the classic API does not) and parses the
// same way. Imports only zod: the host maps contract objects (backend/contract) to the view shapes.
import * as z from 'zod/mini';

/** Correlates a request from the webview with the host's `response`. */
export const RequestId = z.string().check(z.minLength(1), z.maxLength(64));

/** The webview's first message: the host posts nothing before it (it would be lost). */
export const Ready = z.strictObject({ type: z.literal('ready') });

/** The host's answer to any request: `error` (a sentence for people) exactly when `ok` is false. */
export const ResponseMessage = z.strictObject({
  type: z.literal('response'),
  requestId: RequestId,
  ok: z.boolean(),
  error: z.optional(z.string()),
}).check(z.refine((r) => r.ok === (r.error === undefined), 'error is set exactly when ok is false'));
export type ResponseMessage = z.infer<typeof ResponseMessage>;

/** A project's status as the panels show it (a copy of the contract's values). */
export const ProjectStatusView = z.enum([
  'not_deployed', 'deploying', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'failed',
]);
export type ProjectStatusView = z.infer<typeof ProjectStatusView>;

type Message = { type: string };

/** One handler per message type: a missing or misspelt handler is a compile error. */
export type MessageHandlers<M extends Message, R = unknown> = {
  [K in M['type']]: (message: Extract<M, { type: K }>) => R;
};

/** The messages of a union that are requests (carry a requestId), and the rest. */
export type RequestOf<M extends Message> = Extract<M, { requestId: string }>;
/** A request as the caller writes it: the ipc module adds the id. */
export type RequestBody<M extends Message> =
  RequestOf<M> extends infer R ? R extends Message ? Omit<R, 'requestId'> : never : never;

/** Calls the handler for `message.type`. */
export function dispatch<M extends Message, R>(handlers: MessageHandlers<M, R>, message: M): R {
  const handler = handlers[message.type as M['type']] as (m: M) => R;
  return handler(message);
}
