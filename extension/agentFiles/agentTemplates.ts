// What "New from a Template" writes for each kind of agent file (opencode 1.18 layouts).

export type AgentFileKind = 'agent' | 'command' | 'tool' | 'plugin';

export const AGENTS_MD = 'AGENTS.md';
export const OPENCODE_JSON = 'opencode.json';

/** Where opencode looks for each kind, and the file extension a new one gets. */
export const KIND_DIRS: Record<AgentFileKind, { dir: string; ext: string; label: string }> = {
  agent: { dir: '.opencode/agent', ext: '.md', label: 'Agents' },
  command: { dir: '.opencode/command', ext: '.md', label: 'Commands' },
  tool: { dir: '.opencode/tool', ext: '.ts', label: 'Tools' },
  plugin: { dir: '.opencode/plugin', ext: '.ts', label: 'Plugins' },
};

/** A file name opencode accepts as an agent/command/tool name: letters, digits, `-`, `_`. */
export function validName(name: string): string | undefined {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) return undefined;
  return 'Use letters, digits, "-" or "_" (up to 64), starting with a letter or digit.';
}

export function templateFor(kind: AgentFileKind | 'agentsMd', name: string): string {
  switch (kind) {
    case 'agentsMd':
      return '# Instructions for the agent\n\n- Describe the project, its layout and how to build and test it.\n'
        + '- Say what the agent must and must not do.\n';
    case 'agent':
      return `---\ndescription: What the ${name} agent does (shown when picking an agent)\nmode: primary\n---\n\n`
        + `You are ${name}. Describe how this agent works.\n`;
    case 'command':
      return `---\ndescription: What /${name} does\n---\n\nDo this with the arguments: $ARGUMENTS\n`;
    case 'tool':
      return [
        'import { tool } from "@opencode-ai/plugin"', '',
        'export default tool({',
        `  description: "What the ${name} tool does",`,
        '  args: {',
        '    input: tool.schema.string().describe("What the tool takes"),',
        '  },',
        '  async execute(args) {',
        '    return `got ${args.input}`',
        '  },',
        '})', '',
      ].join('\n');
    case 'plugin':
      return [
        'import type { Plugin } from "@opencode-ai/plugin"', '',
        `export const ${name.replace(/[^A-Za-z0-9]/g, '')}Plugin: Plugin = async ({ project, client, directory }) => {`,
        '  return {',
        '    "tool.execute.before": async (input, output) => {',
        '      // inspect or change a tool call before it runs',
        '    },',
        '  }',
        '}', '',
      ].join('\n');
  }
}

/** The path of a new file of `kind` named `name`. */
export function pathFor(kind: AgentFileKind, name: string): string {
  const k = KIND_DIRS[kind];
  return `${k.dir}/${name}${k.ext}`;
}
