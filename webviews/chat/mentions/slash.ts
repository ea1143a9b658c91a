// The `/` picker's text side: a slash command is typed at the very start of the message (`/name`,
// then its arguments); the agent's commands are filtered by what was typed after the slash.
import type { ChatCommand } from '../../protocol/chat';

/** The command name being typed: `/rev|` at the start of the text, the cursor still in the name. */
export function slashAtCursor(text: string, cursor: number): { query: string } | null {
  if (!text.startsWith('/')) return null;
  const name = /^\/(\S*)/.exec(text)![1]!;
  if (cursor < 1 || cursor > name.length + 1) return null;
  return { query: name };
}

/** Commands whose name starts with the query first, then those that contain it (name or description). */
export function filterCommands(commands: readonly ChatCommand[], query: string): ChatCommand[] {
  const q = query.toLowerCase();
  const starts = commands.filter((c) => c.name.toLowerCase().startsWith(q));
  const contains = commands.filter((c) => !starts.includes(c) && (c.name.toLowerCase().includes(q)
    || (c.description ?? '').toLowerCase().includes(q)));
  return [...starts, ...contains];
}

/** The text after picking `name`: `/name ` then whatever followed the typed name (its arguments). */
export function pickCommand(text: string, name: string): { text: string; cursor: number } {
  const rest = text.replace(/^\/\S*/, '').replace(/^\s+/, '');
  const head = `/${name} `;
  return { text: head + rest, cursor: head.length };
}
