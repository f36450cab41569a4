/** The options of `runr view`, declared once. */
import { flag, negatable, num, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';

export const VIEW = {
  out: text('--out <file>', 'the HTML file to write (default .runr/view.html, git-ignored)'),
  where: text('--where <expr>', "only the runs this query matches (runr find's language)"),
  open: flag('--open', 'open the page in the default browser'),
  serve: flag('--serve', 'serve the page on 127.0.0.1 and push new journal events to it (Ctrl-C stops)'),
  port: num('--port <n>', 'port for --serve (default: a free one, printed)', { integer: true, min: 0 }),
  audit: negatable('--no-audit', 'do not audit the runs (skips re-hashing their artifacts)'),
};
export type ViewOptions = ParsedOptions<typeof VIEW>;
