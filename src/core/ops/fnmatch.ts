/**
 * Python's `fnmatch` pattern language as `pathlib.Path.glob` uses it for one path component
 * (POSIX: case-sensitive, `*` also matches a leading dot): `*`, `?`, `[seq]`, `[!seq]`. Everything
 * else is literal; a `[` without its `]` is literal too. No braces, no extglobs (unlike picomatch).
 */

const SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

export function hasGlobMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Translate a pattern to a regular expression that must match the whole name. */
export function fnmatchToRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let re = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] as string;
    i++;
    if (c === '*') {
      while (chars[i] === '*') i++;
      re += '[^]*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      let j = i;
      if (chars[j] === '!') j++;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) {
        re += '\\[';
        continue;
      }
      re += charClass(chars.slice(i, j));
      i = j + 1;
    } else {
      re += c.replace(SPECIAL, '\\$&');
    }
  }
  return new RegExp(`^(?:${re})$`, 'su');
}

/** `[...]` contents (without brackets) to a JS class; reversed ranges are dropped, as Python does. */
function charClass(stuff: string[]): string {
  let negate = false;
  let k = 0;
  if (stuff[0] === '!') {
    negate = true;
    k = 1;
  }
  const parts: string[] = [];
  while (k < stuff.length) {
    const a = stuff[k] as string;
    const dash = stuff[k + 1];
    const b = stuff[k + 2];
    if (dash === '-' && b !== undefined && k + 2 < stuff.length) {
      if ((a.codePointAt(0) as number) <= (b.codePointAt(0) as number)) parts.push(`${esc(a)}-${esc(b)}`);
      k += 3;
    } else {
      parts.push(esc(a));
      k += 1;
    }
  }
  if (parts.length === 0) return negate ? '[^]' : '(?!)';
  return `[${negate ? '^' : ''}${parts.join('')}]`;
}

function esc(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}
