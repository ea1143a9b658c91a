import { z } from 'zod';

/**
 * A project's MCP servers through the agent proxy (opencode's /mcp routes), checked in both
 * directions: what the extension may add, and what the agent's answers may contain.
 */
export const McpName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a name of letters, digits, "_", "-" or "." (up to 64)');

const Env = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name'), z.string().max(4096))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 variables');
const Timeout = z.number().int().min(100).max(600_000).optional().describe('ms to wait for the server\'s tools');

/** A command the agent starts in its own runtime (argv, never a shell line). */
export const McpLocalConfig = z.strictObject({
  type: z.literal('local'),
  command: z.array(z.string().min(1).max(4096)).min(1).max(64),
  environment: Env.optional(),
  enabled: z.boolean().optional(),
  timeout: Timeout,
});
/** A server the agent reaches over HTTP(S). Headers (tokens) go to the agent and are never returned. */
export const McpRemoteConfig = z.strictObject({
  type: z.literal('remote'),
  url: z.string().max(2048).url().refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'a header name'), z.string().max(8192)).optional(),
  enabled: z.boolean().optional(),
  timeout: Timeout,
});
export const McpConfig = z.discriminatedUnion('type', [McpLocalConfig, McpRemoteConfig]);
export type McpConfig = z.infer<typeof McpConfig>;

export const AgentMcpAddBody = z.strictObject({ name: McpName, config: McpConfig });
export type AgentMcpAddBody = z.infer<typeof AgentMcpAddBody>;

/** One server's connection state as opencode reports it; anything else in the answer is dropped. */
export const McpServerState = z.object({
  status: z.enum(['connected', 'disabled', 'failed', 'needs_auth', 'needs_client_registration']),
  error: z.string().max(4096).optional(),
});
export const AgentMcpStatus = z.record(McpName, McpServerState);
export type AgentMcpStatus = z.infer<typeof AgentMcpStatus>;

/** GET /command: the agent's slash commands (the chat's command picker). */
export const AgentCommand = z.object({
  name: z.string().max(200),
  /** null for a command file without a description (opencode 1.18) */
  description: z.string().max(2000).nullish(),
  agent: z.string().max(200).nullish(),
});
export const AgentCommands = z.array(AgentCommand).max(1000);
