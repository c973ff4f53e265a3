import type { Migration, MigrationProvider } from "kysely";
import * as m001 from "./001-users-and-circles";
import * as m002 from "./002-jobs";
import * as m003 from "./003-formats-and-member-zones";
import * as m004 from "./004-circle-series-and-job-steps";
import * as m005 from "./005-live-sessions";
import * as m006 from "./006-protected-time";
import * as m007 from "./007-session-close";
import * as m008 from "./008-subscriptions";
import * as m009 from "./009-programs";
import * as m011 from "./011-nudge-deliveries";
import * as m012 from "./012-attendance";
import * as m014 from "./014-circle-end-date-and-rotation";
import * as m015 from "./015-session-declines";

/**
 * Every migration, in order. A static list (not a folder scan) so bundling and tsx agree and a
 * missing import is a type error. Add new ones as `NNN-name.ts` and list them here; never edit
 * one that has shipped.
 */
export const MIGRATIONS: Record<string, Migration> = {
  "001-users-and-circles": m001,
  "002-jobs": m002,
  "003-formats-and-member-zones": m003,
  "004-circle-series-and-job-steps": m004,
  "005-live-sessions": m005,
  "006-protected-time": m006,
  "007-session-close": m007,
  "008-subscriptions": m008,
  "009-programs": m009,
  "011-nudge-deliveries": m011,
  "012-attendance": m012,
  "014-circle-end-date-and-rotation": m014,
  "015-session-declines": m015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
