/** getManifest: the manifest of a runs directory; a missing file is an empty manifest (not saved). */
import type { Manifest } from '../core/manifest/manifest.js';
import { emptyManifest } from '../core/manifest/manifest.js';
import { freezeEntries } from './parse.js';
import { loadManifest, withManifestLock } from './io.js';
import type { ManifestOptions, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { manifestFile } from './paths.js';

export async function getManifest(opts: ManifestOptions = {}): Promise<Manifest> {
  return getManifestResolved(await resolveOptions(opts));
}

export async function getManifestResolved(o: ResolvedOptions): Promise<Manifest> {
  const file = manifestFile(o.runsDir);
  const r = loadManifest(file);
  switch (r.kind) {
    case 'missing':
      return emptyManifest();
    case 'ok':
      return r.manifest;
    case 'corrupt':
      return recoverCorrupt(o);
  }
}

/** Under the lock, look again (another process may have recovered it already), then recover. */
export function recoverCorrupt(o: ResolvedOptions): Promise<Manifest> {
  const file = manifestFile(o.runsDir);
  return withManifestLock(o, async () => {
    const again = loadManifest(file);
    switch (again.kind) {
      case 'missing':
        return emptyManifest();
      case 'ok':
        return again.manifest;
      case 'corrupt': {
        // Loaded only here: the rebuild pulls in the run store and every adapter.
        const { recoverLocked } = await import('./rebuild.js');
        return freezeEntries(recoverLocked(o, again.problem));
      }
    }
  });
}
