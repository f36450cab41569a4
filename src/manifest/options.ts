/** Options shared by the manifest functions, and how the runs directory is found. */
import path from 'node:path';

export interface ManifestOptions {
  /** The runs directory (absolute, or relative to `cwd`). Default: the project's (`.runr/runs` or config `runs_dir`). */
  runsDir?: string;
  /** Where to look for the project (default: the process's working directory). */
  cwd?: string;
  /** Where notes go (a corrupt manifest moved aside). Default: stderr. */
  warn?: (message: string) => void;
  now?: () => Date;
  /** fsync the manifest and its directory on write (default true). */
  fsync?: boolean;
  /** How long a writer waits for the manifest lock (ms, default 120000). */
  lockWaitMs?: number;
}

export interface ResolvedOptions {
  runsDir: string;
  warn: (message: string) => void;
  now: () => Date;
  fsync: boolean;
  lockWaitMs: number;
}

/** Async only because the project (and its config schema) is loaded lazily: `runr find --dir` never needs it. */
export async function resolveOptions(opts: ManifestOptions = {}): Promise<ResolvedOptions> {
  const cwd = opts.cwd ?? process.cwd();
  let runsDir: string;
  if (opts.runsDir !== undefined) runsDir = path.resolve(cwd, opts.runsDir);
  else {
    const { openProject } = await import('../store/project.js');
    runsDir = openProject(cwd).runsDir;
  }
  return {
    runsDir,
    warn: opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`)),
    now: opts.now ?? (() => new Date()),
    fsync: opts.fsync ?? true,
    lockWaitMs: opts.lockWaitMs ?? 120_000,
  };
}
