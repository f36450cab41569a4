import type { Command } from 'commander';

/** What a command group's registration gets (the registry passes it; commands never import the registry). */
export interface RegisterDeps {
  signal: AbortSignal;
}
export type Register = (program: Command, deps: RegisterDeps) => void;
