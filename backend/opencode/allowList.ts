import { z } from 'zod';
import { AgentCommandBody, AgentCommands, AgentMcpAddBody, AgentMcpStatus, McpName, AgentAbortBody, AgentMessageId, AgentPermissionId, AgentPermissionReplyBody, AgentPromptBody, AgentSessionCreateBody, AgentSessionId, AgentSessionRenameBody, AgentSessionStatus } from '../contract';
import type { Method } from '../http/route';

/** A workspace-relative path: no absolute paths, no `..` segments, no NUL. */
const RelativePath = z.string().max(4096).refine(
  (p) => !p.startsWith('/') && !p.startsWith('\\') && !/^[A-Za-z]:/.test(p) && !p.includes('\0') && !p.split(/[\\/]/).includes('..'),
  'a path inside the workspace (relative, without "..")',
);
const Text = z.string().max(1024);
const Count = z.string().regex(/^[0-9]{1,6}$/, 'a number');

/** Path parameters the allow-list uses, each validated before anything reaches the agent. */
export const ProxyParams = { sessionID: AgentSessionId, requestID: AgentPermissionId, name: McpName } as const;
type ParamName = keyof typeof ProxyParams;

export interface ProxiedRoute {
  method: Method;
  /** The path on opencode, in router syntax (`:sessionID`); the proxy serves it under /api/projects/:id/opencode. */
  path: string;
  summary: string;
  params?: ParamName[];
  /** Query keys passed through (others are dropped; `directory` and `workspace` never pass). */
  query?: Record<string, z.ZodType>;
  /** The body's schema (backend/contract/agentProxyBodies.ts): only what it accepts is forwarded. */
  body?: z.ZodType;
  /** The answer holds provider settings: credential fields are removed (proxyResponseFilter.ts). */
  redact?: boolean;
  /** Its `?path=` must exist inside the workspace (on this host: symlinks resolved). */
  confinePath?: boolean;
  /** Its `file` parts are confined to the project's workspace (proxyBodySchema.ts). */
  confineFiles?: boolean;
  response?: z.ZodType;
  /** The agent's JSON answer is parsed with `response` and only what it accepts goes back (502 otherwise). */
  checkResponse?: boolean;
  /** Longer than the default timeout for routes that may work a while. */
  timeoutMs?: number;
}

/**
 * Everything the proxy forwards; any other path under /opencode is 404 `not_proxied`. Order
 * matters where paths overlap: /session/status before /session/:sessionID.
 */
export const PROXIED_ROUTES: ProxiedRoute[] = [
  { method: 'get', path: '/session/status', summary: 'Busy and retrying sessions (idle ones are omitted)', response: AgentSessionStatus },
  { method: 'get', path: '/session', summary: 'List sessions', query: { roots: Text, start: Count, search: Text, limit: Count } },
  { method: 'post', path: '/session', summary: 'Create a session {title?, parentID?}', body: AgentSessionCreateBody },
  { method: 'get', path: '/session/:sessionID', summary: 'One session', params: ['sessionID'] },
  { method: 'patch', path: '/session/:sessionID', summary: 'Rename a session {title}', params: ['sessionID'], body: AgentSessionRenameBody },
  { method: 'delete', path: '/session/:sessionID', summary: 'Delete a session', params: ['sessionID'] },
  { method: 'get', path: '/session/:sessionID/message', summary: 'A session\'s messages [{info, parts}] (?limit=&before=)', params: ['sessionID'], query: { limit: Count, before: AgentMessageId } },
  { method: 'post', path: '/session/:sessionID/prompt_async', summary: 'Send a prompt {parts, model?, agent?}; 204 at once, follow the event stream', params: ['sessionID'], body: AgentPromptBody, confineFiles: true },
  {
    method: 'post', path: '/session/:sessionID/command',
    summary: 'Run a slash command {command, arguments, agent?, model?}; answers when its turn ends',
    params: ['sessionID'], body: AgentCommandBody, timeoutMs: 600_000,
  },
  { method: 'post', path: '/session/:sessionID/abort', summary: 'Stop the session\'s turn', params: ['sessionID'], body: AgentAbortBody },
  { method: 'get', path: '/session/:sessionID/diff', summary: 'Files the session changed', params: ['sessionID'], query: { messageID: AgentMessageId } },
  { method: 'get', path: '/permission', summary: 'Pending tool permission requests' },
  { method: 'post', path: '/permission/:requestID/reply', summary: 'Answer a permission request {reply: once|always|reject}', params: ['requestID'], body: AgentPermissionReplyBody },
  { method: 'get', path: '/find/file', summary: 'Fuzzy file search in the workspace', query: { query: Text, dirs: z.enum(['true', 'false']), type: z.enum(['file', 'directory']), limit: Count } },
  { method: 'get', path: '/file', summary: 'List a folder of the workspace', query: { path: RelativePath }, confinePath: true },
  { method: 'get', path: '/file/content', summary: 'Read a file of the workspace', query: { path: RelativePath }, confinePath: true },
  { method: 'get', path: '/vcs', summary: 'The workspace\'s branch' },
  { method: 'get', path: '/vcs/diff', summary: 'The workspace\'s changes (?mode=git|branch)', query: { mode: z.enum(['git', 'branch']), context: Count } },
  { method: 'get', path: '/provider', summary: 'Providers and models as the agent sees them (without credentials)', redact: true },
  { method: 'get', path: '/config/providers', summary: 'Configured providers and default models (without credentials)', redact: true },
  { method: 'get', path: '/agent', summary: 'The agent\'s agents (build, plan, …)' },
  { method: 'get', path: '/command', summary: 'The agent\'s slash commands (name, description)', response: AgentCommands, checkResponse: true },
  { method: 'get', path: '/mcp', summary: 'MCP servers and their connection state', response: AgentMcpStatus, checkResponse: true },
  {
    method: 'post', path: '/mcp', summary: 'Add an MCP server to the running agent {name, config: local command | remote URL}',
    body: AgentMcpAddBody, response: AgentMcpStatus, checkResponse: true, timeoutMs: 60_000,
  },
  { method: 'post', path: '/mcp/:name/connect', summary: 'Connect an MCP server', params: ['name'], timeoutMs: 60_000 },
  { method: 'post', path: '/mcp/:name/disconnect', summary: 'Disconnect an MCP server', params: ['name'] },
];

/** The agent-side path with validated parameters filled in. */
export function upstreamPath(route: ProxiedRoute, params: Record<string, string>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
