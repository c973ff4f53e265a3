import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { StorageConfig } from "../config";
import { migrationProvider } from "./migrations";
import type { Tables } from "./schema";

export type Db = Kysely<Tables>;
export type StorageEngine = "sqlite" | "postgres";

export interface Database {
  db: Db;
  engine: StorageEngine;
  /** Closes the connection (SQLite) or the pool (PostgreSQL). */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the configured database: SQLite (WAL, foreign keys on) by default, PostgreSQL (a `pg`
 * Pool) when a postgres URL is configured. `schema` (PostgreSQL only) puts every table in that
 * schema via search_path, which is how each test run gets a database of its own.
 */
export async function openDatabase(storage: StorageConfig, opts: { schema?: string } = {}): Promise<Database> {
  if (storage.kind === "sqlite") {
    if (storage.file !== ":memory:") mkdirSync(path.dirname(storage.file), { recursive: true });
    const sqlite = new BetterSqlite3(storage.file);
    // WAL lets readers run while a writer commits; SQLite leaves foreign keys off unless asked.
    sqlite.pragma("journal_mode = WAL");
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a process crash loses nothing,
    // a power cut may lose the last commits but never corrupts the file. FULL (the default) put an
    // fsync on the event loop for every live-session intent (bench/session-fanout).
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, engine: "sqlite", close: () => db.destroy() };
  }

  const schema = opts.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}".`);
  if (schema) {
    // The schema must exist before connections that put it on search_path run any query.
    const admin = new pg.Client({ connectionString: storage.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ connectionString: storage.url, max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: "postgres", close: () => db.destroy() };
}

/** Which engine a Kysely instance talks to, for the few queries that differ (e.g. SKIP LOCKED). */
export function storageEngineOf(db: Kysely<unknown> | Db): StorageEngine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * Brings the schema up to date with the one migration set. Safe to run from several instances
 * at once on PostgreSQL (Kysely's migrator takes an advisory lock).
 * @throws the migration's error, after logging which migration failed.
 */
export async function migrateToLatest(database: Database, opts: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: migrationProvider,
    ...(database.engine === "postgres" && opts.schema ? { migrationTableSchema: opts.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
