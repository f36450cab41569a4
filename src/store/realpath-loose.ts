/** Realpaths for containment checks on paths that may not exist yet. */
import fs from 'node:fs';
import path from 'node:path';

/** Realpath of `abs`, or of its nearest existing ancestor joined with the rest. */
export function realpathLoose(abs: string): string {
  let cur = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}
