/**
 * BullMQ's PostgreSQL connection, owned by runr: one `pg.Pool` per backend, handed to BullMQ's
 * Queue and Worker (`createPostgresBackend` accepts a pool), and BullMQ's schema migrated here.
 *
 * Why not a connection string: BullMQ 6.7 then builds its own pool and memoizes its first contact
 * (the migration) for the life of the Queue or Worker — a first contact that fell in a server
 * restart left that Queue failing every `add` for ever (the full chaos run's submitter queued 8
 * runs and no more), and its migration's checked-out client had no `error` listener, so a restart
 * during it ended the process with an unhandled `error` event. Here every client of the pool has
 * a listener (a dead client fails its next query, is dropped on release, and the pool makes a new
 * one), connects time out, a stopped holder's transaction is ended by the server, and the
 * migration is tried again until it succeeds (bullmq.ts rebuilds a Queue or Worker whose first
 * contact failed).
 */
import pg from 'pg';
import type { Pool } from 'pg';
import { LATEST_SCHEMA_VERSION, assertSchemaCompatibility, runMigrations } from 'bullmq';

/** BullMQ's schema (its default); the pool pins `search_path` to it, as BullMQ's own pool does. */
const SCHEMA = 'bullmq';

export function openBullPool(url: string): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    // The `.sql` files BullMQ runs name no schema; a held transaction of a stopped client ends.
    options: `-c search_path="${SCHEMA}" -c idle_in_transaction_session_timeout=60000`,
    max: 20,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => undefined); // an idle client lost its server: the pool replaces it
  // A checked-out client whose server goes away emits 'error' (unheard, that ends the process);
  // its query in flight fails instead, and the client is not reused.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/**
 * Bring BullMQ's schema to this BullMQ's version (serialised between processes by BullMQ's
 * advisory lock). Up to date already: a read, no lock. Rejects on any failure; the caller retries.
 */
export async function migrateBullSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A migration waiting behind another process's (stopped, cut off) is given up, not waited for.
    await client.query("SET statement_timeout = '30s'");
    let version = 0;
    try {
      version = await assertSchemaCompatibility(client, SCHEMA);
    } catch (err) {
      if ((err as Error).name !== 'SchemaMigrationRequiredError') throw err;
    }
    if (version < LATEST_SCHEMA_VERSION) await runMigrations(client, SCHEMA);
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // Not back into the pool: it carries the session's statement_timeout (and may be broken).
    client.release(broken ?? true);
  }
}
