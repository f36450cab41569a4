// `npm run build` starts from an empty dist/: tsc never deletes the output of a source that moved
// or left the build, and such a file would otherwise be packed and shipped.
import fs from 'node:fs';

fs.rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
