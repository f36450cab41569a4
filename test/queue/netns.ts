/**
 * Simulated hosts for the fault tests: network namespaces joined to this machine by veth pairs.
 * Host i's side is 10.<net>.<i>.1/30, the namespace's 10.<net>.<i>.2/30 (`net` 241 for the fault
 * test, 242 for the chaos run, so both can run at once): traffic never leaves the machine (the
 * namespaces have no route but their veth). Root only.
 */
import { spawnSync } from 'node:child_process';

export interface SimHost {
  ns: string;
  /** The address PostgreSQL/Redis listen on for this host (the host side of its veth). */
  serverAddr: string;
  hostVeth: string;
  linkDown(): void;
  linkUp(): void;
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

export function netnsAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (ip netns add)' };
  const probe = `rqprobe${process.pid % 100000}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `ip netns add failed: ${r.stderr.trim()}` };
  spawnSync('ip', ['netns', 'del', probe]);
  return { ok: true };
}

export function makeHosts(n: number, net = 241): { hosts: SimHost[]; remove(): void } {
  if (n < 1 || n > 250 || net < 1 || net > 254) throw new Error(`makeHosts: ${n} hosts on 10.${net}.x: out of range`);
  const tag = `r${net}q${process.pid % 10000}`;
  const hosts: SimHost[] = [];
  const remove = (): void => {
    for (const h of hosts) spawnSync('ip', ['netns', 'del', h.ns]); // takes its veth pair with it
  };
  try {
    for (let i = 1; i <= n; i++) {
      const ns = `${tag}h${i}`;
      const a = `${tag}h${i}a`;
      const b = `${tag}h${i}b`;
      ip(['netns', 'add', ns]);
      const h: SimHost = {
        ns,
        serverAddr: `10.${net}.${i}.1`,
        hostVeth: a,
        linkDown: () => ip(['link', 'set', a, 'down']),
        linkUp: () => ip(['link', 'set', a, 'up']),
      };
      hosts.push(h);
      ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
      ip(['link', 'set', b, 'netns', ns]);
      ip(['addr', 'add', `10.${net}.${i}.1/30`, 'dev', a]);
      ip(['link', 'set', a, 'up']);
      ip(['-n', ns, 'addr', 'add', `10.${net}.${i}.2/30`, 'dev', b]);
      ip(['-n', ns, 'link', 'set', b, 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { hosts, remove };
}
