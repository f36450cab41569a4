/** `runr view --serve`: print the URL, serve until Ctrl-C. */
import type { CliContext } from '../../context.js';
import { openInBrowser } from './open.js';

export interface ServeFlags {
  where: string | null;
  runsDir: string | undefined;
  audit: boolean;
  port: number;
  open: boolean;
}

export async function serveCommand(ctx: CliContext, f: ServeFlags): Promise<void> {
  const { startViewServer } = await import('../../../view/serve.js');
  const server = await startViewServer({ cwd: ctx.cwd, where: f.where, audit: f.audit, port: f.port, ...(f.runsDir !== undefined ? { runsDir: f.runsDir } : {}) });
  if (ctx.json) ctx.out(JSON.stringify({ url: server.url, port: server.port }));
  else ctx.out(`serving ${server.url} (127.0.0.1 only; Ctrl-C stops)`);
  if (f.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}
