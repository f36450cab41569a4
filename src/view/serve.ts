/**
 * `runr view --serve`: the same page over HTTP on 127.0.0.1, and a stream of server-sent events
 * (`/events`) carrying, for every batch of new journal lines of a run, the lines and the run's
 * updated table row and detail. Loopback only; requests whose Host is not this server's are
 * refused (a web page elsewhere cannot reach it through DNS rebinding). Besides the page and the
 * stream it serves exactly the files the page links to (recorded artifacts and reports).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { entryFromRecord } from '../core/manifest/entry.js';
import { compileQuery } from '../core/query/compile.js';
import type { ViewData } from '../core/view/model.js';
import type { RunStore } from '../store/run-store.js';
import type { CollectOptions } from './collect.js';
import { collectView, detailOf, readEvents, scrubberFor } from './collect.js';
import { renderPage } from './page.js';
import type { TailedLine } from './tail.js';
import { tailJournals } from './tail.js';

export interface ServeOptions extends Omit<CollectOptions, 'outDir' | 'scope'> {
  /** 0: a free port. */
  port: number;
  pollMs?: number;
}

export interface ViewServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

const HOST = '127.0.0.1';

function linkedFiles(data: ViewData): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'href' && typeof x === 'string') out.add(x);
        else walk(x);
      }
    }
  };
  walk(data.details);
  return out;
}

export async function startViewServer(opts: ServeOptions): Promise<ViewServer> {
  const first = await collectView({ ...opts, outDir: '' });
  const root = first.project.root;
  const store: RunStore = first.store;
  const scrub = scrubberFor(first.project, opts.env ?? process.env);
  const query = opts.where !== undefined && opts.where !== null && opts.where.trim() !== '' ? compileQuery(opts.where) : null;
  const clients = new Set<http.ServerResponse>();
  let allowed = linkedFiles(first.data);

  const page = async (): Promise<string> => {
    // Links are relative to the page, which is served at the root: the repository root.
    const { data } = await collectView({ ...opts, outDir: root });
    allowed = linkedFiles(data);
    return renderPage({ ...data, live: { events: '/events' } });
  };

  const push = async (runId: string, lines: TailedLine[]) => {
    if (clients.size === 0) return;
    let message: string;
    try {
      const run = store.load(runId).run;
      const entry = entryFromRecord(run);
      if (query !== null && !query.matches(entry)) return;
      const detail = await detailOf(store, run, run.kind === 'task' ? readEvents(store, runId) : [], root, opts.audit ?? true);
      message = JSON.stringify(scrub({ run_id: runId, events: lines, entry, detail }));
    } catch {
      return; // a record mid-write that does not load yet: the next line brings it
    }
    for (const c of clients) c.write(`event: run\ndata: ${message}\n\n`);
  };

  // One update per run at a time, coalescing lines that arrive meanwhile.
  const pending = new Map<string, TailedLine[]>();
  const busy = new Set<string>();
  const schedule = (runId: string, lines: TailedLine[]) => {
    pending.set(runId, [...(pending.get(runId) ?? []), ...lines]);
    if (busy.has(runId)) return;
    busy.add(runId);
    void (async () => {
      for (;;) {
        const batch = pending.get(runId);
        if (batch === undefined) break;
        pending.delete(runId);
        await push(runId, batch);
      }
      busy.delete(runId);
    })();
  };

  let port = 0;
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: unexpected Host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET' }).end('method not allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      page().then(
        (html) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`runr view: ${err instanceof Error ? err.message : String(err)}\n`),
      );
      return;
    }
    if (url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n: runr view\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const rel = url.pathname.slice(1);
    if (allowed.has(rel)) {
      const abs = path.resolve(root, ...rel.split('/').map(decodeURIComponent));
      const inside = path.relative(root, abs);
      if (!inside.startsWith('..') && !path.isAbsolute(inside) && fs.existsSync(abs) && fs.statSync(abs).isFile()) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" });
        fs.createReadStream(abs).pipe(res);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const tail = tailJournals({ runsDir: store.runsDir, onLines: schedule, ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}) });
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();
  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        tail.close();
        clearInterval(keepAlive);
        for (const c of clients) c.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
