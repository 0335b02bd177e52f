/**
 * openHistory: the one way the operator gets its history database. With a DATABASE_URL it pools
 * connections to that server; without one it starts the embedded PostgreSQL in `<home>/postgres`.
 * Either way the migrations are applied before it returns, and close() undoes everything.
 */
import pg from "pg";
import type { Logger } from "pino";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { migrate } from "./migrate.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";

export interface OpenHistoryOptions {
  /** A PostgreSQL connection string; absent or empty means the embedded default. */
  readonly databaseUrl?: string;
  /** AEGIS_HOME: where the embedded default keeps its data. */
  readonly home: string;
  readonly log: Logger;
  /** Connections in the pool (default 10). */
  readonly maxConnections?: number;
}

export interface History {
  readonly pool: pg.Pool;
  /** The transcript writers' pool (asynchronous commit). */
  readonly transcriptPool: pg.Pool;
  readonly store: HistoryStore;
  /** Ends the pool, then stops the embedded server if this call started one. */
  close(): Promise<void>;
}

export async function openHistory(options: OpenHistoryOptions): Promise<History> {
  const log = options.log.child({ component: "history" });
  const embedded: EmbeddedServer | null = options.databaseUrl ? null : await startEmbeddedPostgres({ home: options.home, log });
  const connectionString = options.databaseUrl || embedded?.url;
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  // Transcript turns are the hot path of every model turn (the gateway answers after its insert):
  // asynchronous commit takes the WAL flush off it. Events and tool calls stay synchronous.
  const transcriptPool = new pg.Pool({ connectionString, max: 4, options: "-c synchronous_commit=off" });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  for (const p of [pool, transcriptPool]) p.on("error", (err) => log.warn({ err }, "Lost an idle history database connection"));
  const close = async (): Promise<void> => {
    await Promise.all([pool.end(), transcriptPool.end()]);
    await embedded?.stop();
  };
  try {
    await migrate(pool, { log });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { pool, transcriptPool, store: createHistoryStore(pool, { transcriptPool }), close };
}
