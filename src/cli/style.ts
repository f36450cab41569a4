/**
 * Terminal styling through Node's own `util.styleText` (no hand-written escape codes). Whether to
 * colour follows no-color.org and chalk's rules: FORCE_COLOR (non-empty, not "0") turns colour on,
 * NO_COLOR (non-empty) turns it off, otherwise colour only on a TTY whose TERM is not "dumb".
 */
import { styleText } from 'node:util';

export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (force === '0' || force === 'false') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export function paint(enabled: boolean): Paint {
  if (!enabled) {
    const id = (s: string) => s;
    return { green: id, red: id, yellow: id, dim: id, bold: id };
  }
  // The decision is made above (it also covers --json and piped output), so styleText must not
  // second-guess it against process.stdout.
  const style = (format: 'green' | 'red' | 'yellow' | 'dim' | 'bold') => (s: string) => styleText(format, s, { validateStream: false });
  return { green: style('green'), red: style('red'), yellow: style('yellow'), dim: style('dim'), bold: style('bold') };
}
