// Which project a "Use in Chat" / "Copy Path" goes to, and how the agent names a file. Plain logic.
import type { Mention } from '../../../webviews/protocol/chat';

export interface ProjectChoice {
  /** given by the caller (code, tests) */
  explicit?: string;
  /** the chat panel that is the active editor */
  activeChat?: string;
  /** the chat panel that was active last, if still open */
  lastChat?: string;
  openChats: readonly string[];
  projects: ReadonlyArray<{ id: string }>;
}

/** The project to use, or 'ask' (the quick pick) when it is not clear. */
export function chooseProject(c: ProjectChoice): string | 'ask' {
  if (c.explicit) return c.explicit;
  if (c.activeChat) return c.activeChat;
  if (c.lastChat && c.openChats.includes(c.lastChat)) return c.lastChat;
  if (c.openChats.length === 1) return c.openChats[0]!;
  if (c.projects.length === 1) return c.projects[0]!.id;
  return 'ask';
}

interface Position { line: number; character: number }

/** An editor selection (0-based lines, as VS Code gives them) → a 1-based line range; none for an empty one. */
export function selectionRange(
  sel: { start: Position; end: Position; isEmpty: boolean } | undefined,
): Mention['range'] {
  if (!sel || sel.isEmpty) return undefined;
  const start = sel.start.line + 1;
  // A selection that ends at the start of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
  return { start, end: Math.max(start, endLine) };
}

/**
 * The path as the agent sees it: inside the container's workspace when it holds the same repository,
 * otherwise the workspace-relative name the inline content is sent under. With the range as `#L10-24`.
 */
export function agentPath(m: Mention, containerDir: string | undefined): string {
  const base = containerDir ? `${containerDir.replace(/\/+$/, '')}/${m.path}` : m.path;
  if (!m.range) return base;
  return m.range.start === m.range.end ? `${base}#L${m.range.start}` : `${base}#L${m.range.start}-${m.range.end}`;
}
