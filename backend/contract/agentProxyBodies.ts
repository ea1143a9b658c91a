import { z } from 'zod';
import { AgentMessageId, AgentSessionId } from './agent';

/**
 * The bodies the agent proxy forwards: exactly what the chat sends (extension/chat/chatApi.ts),
 * nothing else. A `file` part's `url` is checked again by the proxy against the project's
 * workspace (backend/opencode/proxyBodySchema.ts): a `data:` URL, a workspace-relative path or a
 * `file://` URL inside the agent's workspace; never another file of the host.
 */
const Title = z.string().max(500);
/** `http:`-style schemes, `file:` and `data:` need a scheme; a workspace-relative path has none. */
const PartUrl = z.string().min(1).max(8 * 1024 * 1024);

export const AgentTextPart = z.strictObject({
  type: z.literal('text'),
  text: z.string().max(1024 * 1024),
  synthetic: z.boolean().optional(),
});

export const AgentFilePart = z.strictObject({
  type: z.literal('file'),
  mime: z.string().min(1).max(200).regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/, 'a MIME type like text/plain'),
  url: PartUrl.describe('data:<mime>;base64,…, a workspace-relative path, or file://<agent workspace>/<path>[?start=&end=]'),
  filename: z.string().max(4096).optional(),
});
export type AgentFilePart = z.infer<typeof AgentFilePart>;

export const AgentPromptBody = z.strictObject({
  parts: z.array(z.discriminatedUnion('type', [AgentTextPart, AgentFilePart])).min(1).max(200),
  model: z.strictObject({ providerID: z.string().min(1).max(200), modelID: z.string().min(1).max(200) }).optional(),
  agent: z.string().min(1).max(200).optional(),
  messageID: AgentMessageId.optional(),
});
export type AgentPromptBody = z.infer<typeof AgentPromptBody>;

/** POST /session/:id/command: run one of the agent's slash commands with its arguments (the rest of the line). */
export const AgentCommandBody = z.strictObject({
  command: z.string().min(1).max(200),
  arguments: z.string().max(100_000),
  agent: z.string().min(1).max(200).optional(),
  /** `provider/model`, as opencode takes it here */
  model: z.string().min(3).max(401).optional(),
  messageID: AgentMessageId.optional(),
});
export type AgentCommandBody = z.infer<typeof AgentCommandBody>;

export const AgentSessionCreateBody = z.strictObject({ title: Title.optional(), parentID: AgentSessionId.optional() });
export const AgentSessionRenameBody = z.strictObject({ title: Title });
export const AgentAbortBody = z.strictObject({});
export const AgentPermissionReplyBody = z.strictObject({ reply: z.enum(['once', 'always', 'reject']), message: z.string().max(4096).optional() });
