// A small syntax highlighter for code blocks: a few token classes (keyword, string, comment, number,
// type/constant) for the languages agents write most. It returns tokens, never HTML, so the result
// is rendered as text. Large blocks are not highlighted (they would cost more than they help).
export type TokenClass = 'kw' | 'str' | 'com' | 'num' | 'lit' | 'add' | 'del' | 'meta';
export interface CodeToken { c: TokenClass | null; s: string }

export const MAX_HIGHLIGHT_CHARS = 60_000;

interface Lang { keywords: Set<string>; literals: Set<string>; line: string[]; block: Array<[string, string]>; quotes: string; hash?: boolean }

const words = (s: string) => new Set(s.split(' '));
const C_LIKE_LIT = words('true false null undefined this super self nil None True False NaN Infinity');
const JS = 'abstract as async await break case catch class const continue debugger declare default delete do else enum export extends finally for from function get if implements import in instanceof interface keyof let namespace new of private protected public readonly return satisfies set static switch throw try type typeof var void while with yield';

const LANGS: Record<string, Lang> = {
  js: { keywords: words(JS), literals: C_LIKE_LIT, line: ['//'], block: [['/*', '*/']], quotes: '"\'`' },
  py: { keywords: words('and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case'), literals: C_LIKE_LIT, line: ['#'], block: [['"""', '"""'], ["'''", "'''"]], quotes: '"\'' },
  sh: { keywords: words('if then else elif fi for while until do done case esac function in select return exit export local readonly set unset echo cd source alias sudo'), literals: words('true false'), line: ['#'], block: [], quotes: '"\'' },
  go: { keywords: words('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'), literals: words('true false nil iota'), line: ['//'], block: [['/*', '*/']], quotes: '"\'`' },
  rust: { keywords: words('as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while'), literals: words('true false None Some Ok Err'), line: ['//'], block: [['/*', '*/']], quotes: '"' },
  c: { keywords: words('auto break case catch char class const constexpr continue default delete do double else enum extern final float for friend goto if inline int long namespace new operator override private protected public return short signed sizeof static struct switch template throw try typedef typename union unsigned using virtual void volatile while boolean byte extends implements import instanceof interface package synchronized throws'), literals: C_LIKE_LIT, line: ['//'], block: [['/*', '*/']], quotes: '"\'' },
  json: { keywords: new Set(), literals: words('true false null'), line: [], block: [], quotes: '"' },
  css: { keywords: words('important media import supports keyframes from to'), literals: new Set(), line: [], block: [['/*', '*/']], quotes: '"\'' },
  yaml: { keywords: new Set(), literals: words('true false null yes no on off'), line: ['#'], block: [], quotes: '"\'' },
};

const ALIASES: Record<string, string> = {
  javascript: 'js', jsx: 'js', ts: 'js', typescript: 'js', tsx: 'js', mjs: 'js', cjs: 'js',
  python: 'py', bash: 'sh', shell: 'sh', zsh: 'sh', console: 'sh', shellscript: 'sh', golang: 'go', rs: 'rust',
  cpp: 'c', 'c++': 'c', h: 'c', hpp: 'c', java: 'c', cs: 'c', csharp: 'c', kotlin: 'c', swift: 'c',
  jsonc: 'json', json5: 'json', scss: 'css', less: 'css', yml: 'yaml', toml: 'yaml', ini: 'yaml',
};

export function languageOf(lang: string | undefined): string | null {
  const l = (lang ?? '').trim().split(/\s/)[0]!.toLowerCase();
  if (l === 'diff' || l === 'patch') return 'diff';
  if (LANGS[l]) return l;
  return ALIASES[l] ?? null;
}

export function highlight(code: string, lang: string | undefined): CodeToken[] {
  const id = languageOf(lang);
  if (!id || code.length > MAX_HIGHLIGHT_CHARS) return [{ c: null, s: code }];
  if (id === 'diff') return highlightDiff(code);
  return tokenize(code, LANGS[id]!);
}

function highlightDiff(code: string): CodeToken[] {
  return code.split(/(?<=\n)/).map((line) => ({
    c: line.startsWith('+') && !line.startsWith('+++') ? 'add'
      : line.startsWith('-') && !line.startsWith('---') ? 'del'
        : line.startsWith('@@') || line.startsWith('diff ') || line.startsWith('+++') || line.startsWith('---') ? 'meta' : null,
    s: line,
  }));
}

const isWordStart = (ch: string) => /[A-Za-z_$]/.test(ch);
const isWord = (ch: string) => /[\w$]/.test(ch);

function tokenize(code: string, lang: Lang): CodeToken[] {
  const out: CodeToken[] = [];
  let plain = '';
  const push = (c: TokenClass, s: string) => {
    if (plain) out.push({ c: null, s: plain });
    plain = '';
    out.push({ c, s });
  };
  let i = 0;
  const n = code.length;
  outer: while (i < n) {
    for (const [open, close] of lang.block) {
      if (code.startsWith(open, i)) {
        const end = code.indexOf(close, i + open.length);
        const stop = end < 0 ? n : end + close.length;
        push(open === '/*' ? 'com' : 'str', code.slice(i, stop));
        i = stop;
        continue outer;
      }
    }
    for (const l of lang.line) {
      if (code.startsWith(l, i) && (l !== '#' || i === 0 || /[\s;]/.test(code[i - 1]!))) {
        const end = code.indexOf('\n', i);
        const stop = end < 0 ? n : end;
        push('com', code.slice(i, stop));
        i = stop;
        continue outer;
      }
    }
    const ch = code[i]!;
    if (lang.quotes.includes(ch)) {
      let j = i + 1;
      while (j < n && code[j] !== ch) {
        if (code[j] === '\\') j++;
        else if (code[j] === '\n' && ch !== '`') break;
        j++;
      }
      const stop = Math.min(n, j + 1);
      push('str', code.slice(i, stop));
      i = stop;
      continue;
    }
    if (/\d/.test(ch) && (i === 0 || !isWord(code[i - 1]!))) {
      const m = /^(0x[\da-f_]+|\d[\d_]*(\.\d+)?(e[+-]?\d+)?)n?/i.exec(code.slice(i, i + 40));
      if (m) {
        push('num', m[0]);
        i += m[0].length;
        continue;
      }
    }
    if (isWordStart(ch)) {
      let j = i + 1;
      while (j < n && isWord(code[j]!)) j++;
      const w = code.slice(i, j);
      if (lang.keywords.has(w)) push('kw', w);
      else if (lang.literals.has(w)) push('lit', w);
      else plain += w;
      i = j;
      continue;
    }
    plain += ch;
    i++;
  }
  if (plain) out.push({ c: null, s: plain });
  return out;
}
