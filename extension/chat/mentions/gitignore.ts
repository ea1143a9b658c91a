// A small .gitignore matcher (git's rules, the parts real projects use): comments, blank lines,
// `!` negation, a trailing `/` for folders only, a leading or inner `/` anchoring the pattern to the
// .gitignore's folder, `*`, `?`, `[...]` and `**`. As in git, a file inside an ignored folder stays
// ignored whatever a later `!` says about the file. Paths are workspace-relative with `/`.

interface Rule { negate: boolean; dirOnly: boolean; re: RegExp }

/** One .gitignore file's rules, relative to the folder that holds it (`''` for the root). */
interface RuleSet { base: string; rules: Rule[] }

/** A glob (`*`, `?`, `[...]`, `**`) as a regular expression source, without anchors. */
export function globToRegExp(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` any folders (or none); a trailing `**` everything inside
          if (i + 2 === glob.length) { re += '.*'; i += 1; } else { re += '(?:.*/)?'; i += 2; }
          continue;
        }
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escape(glob[++i]!);
    } else {
      re += escape(c);
    }
  }
  return re;
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Parses one .gitignore's text. */
export function parseGitignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    if (!line) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    let dirOnly = false;
    if (line.endsWith('/')) { dirOnly = true; line = line.slice(0, -1); }
    if (!line) continue;
    // A slash at the start or in the middle anchors the pattern; otherwise it matches at any depth.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegExp(line);
    rules.push({ negate, dirOnly, re: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`) });
  }
  return rules;
}

export class GitignoreMatcher {
  private readonly sets: RuleSet[] = [];

  /** Adds the rules of the .gitignore in folder `base` (workspace-relative, `''` for the root). */
  add(base: string, text: string): void {
    const rules = parseGitignore(text);
    if (rules.length) this.sets.push({ base: base.replace(/\/+$/, ''), rules });
    // Deeper files are consulted after shallower ones, so their rules win, as in git.
    this.sets.sort((a, b) => depth(a.base) - depth(b.base));
  }

  get empty(): boolean { return this.sets.length === 0; }

  /** Whether a workspace-relative file (or, with `isDir`, folder) is ignored, folders above it included. */
  ignores(path: string, isDir = false): boolean {
    if (this.sets.length === 0) return false;
    const parts = path.split('/');
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      prefix = i === 0 ? parts[0]! : `${prefix}/${parts[i]}`;
      const dir = i < parts.length - 1 || isDir;
      if (this.decide(prefix, dir)) return true;
    }
    return false;
  }

  private decide(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const set of this.sets) {
      let rel: string;
      if (set.base === '') rel = path;
      else if (path.startsWith(`${set.base}/`)) rel = path.slice(set.base.length + 1);
      else continue;
      for (const rule of set.rules) {
        if (rule.dirOnly && !isDir) continue;
        if (rule.re.test(rel)) ignored = !rule.negate;
      }
    }
    return ignored;
  }
}

function depth(base: string): number {
  return base === '' ? 0 : base.split('/').length;
}
