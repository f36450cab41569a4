/** `--open`: hand a file or URL to the system's opener (argv, detached; never a shell). */
import { spawn } from 'node:child_process';

export function openInBrowser(target: string): boolean {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [target], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
