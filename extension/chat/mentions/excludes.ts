// `files.exclude` as a predicate, for paths the FileSystemWatcher reports (workspace.findFiles
// applies the setting itself). VS Code globs: `**`, `*`, `?`, `[...]` and `{a,b}`; a pattern that
// matches a folder excludes everything inside it.
import { globToRegExp } from './gitignore';

function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  const before = glob.slice(0, m.index);
  const after = glob.slice(m.index + m[0].length);
  return m[1]!.split(',').flatMap((alt) => expandBraces(before + alt + after));
}

/** `{"**\/.git": true, "**\/*.pyc": false}` → whether a workspace-relative path is excluded. */
export function excludeMatcher(setting: Record<string, unknown>): (path: string) => boolean {
  const res = Object.entries(setting)
    .filter(([, on]) => on === true)
    .flatMap(([glob]) => expandBraces(glob.replace(/^\.?\//, '')))
    .map((g) => new RegExp(`^${globToRegExp(g)}$`));
  if (res.length === 0) return () => false;
  return (path) => {
    const parts = path.split('/');
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      prefix = i === 0 ? parts[0]! : `${prefix}/${parts[i]}`;
      if (res.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}
