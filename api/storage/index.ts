export { openDatabase, migrateToLatest, storageEngineOf } from "./database";
export type { Database, Db, StorageEngine } from "./database";
export * from "./schema";
export { MIGRATIONS } from "./migrations";
