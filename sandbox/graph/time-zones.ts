import { createRequire } from "node:module";
import { z } from "zod";

// CLDR's Windows ↔ IANA table (cldr-core supplemental/windowsZones.json), the same data Exchange
// uses: mailboxSettings.timeZone reports the Windows name ("GMT Standard Time"), not IANA.
const WindowsZonesZ = z.object({
  supplemental: z.object({
    windowsZones: z.object({
      mapTimezones: z.array(z.object({ mapZone: z.object({ _other: z.string(), _type: z.string(), _territory: z.string() }) })),
    }),
  }),
});

const require = createRequire(import.meta.url);
const table = WindowsZonesZ.parse(require("cldr-core/supplemental/windowsZones.json")).supplemental.windowsZones.mapTimezones.map((m) => ({
  windows: m.mapZone._other,
  iana: m.mapZone._type.split(" "),
  territory: m.mapZone._territory,
}));

// CLDR keys zones by their oldest name ("Asia/Calcutta"); tzdb and our seed use current names.
const CURRENT_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Godthab": "America/Nuuk",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Asia/Thimbu": "Asia/Thimphu",
  "Africa/Asmera": "Africa/Asmara",
  "America/Coral_Harbour": "America/Atikokan",
};

/** ICU (Intl) canonicalises to the same legacy ids CLDR uses: Asia/Kolkata → Asia/Calcutta. */
function cldrId(iana: string): string {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: iana }).resolvedOptions().timeZone;
  } catch {
    return iana;
  }
}

/** Answers so far: every mailboxSettings read and event render maps a zone (the table is fixed). */
const windowsByIana = new Map<string, string | undefined>();

/** The Windows zone name for an IANA zone ("Europe/London" → "GMT Standard Time"); undefined if CLDR has none. */
export function ianaToWindows(iana: string): string | undefined {
  if (windowsByIana.has(iana)) return windowsByIana.get(iana);
  let windows: string | undefined;
  for (const id of [iana, cldrId(iana)]) {
    const golden = table.find((z) => z.territory === "001" && z.iana.includes(id));
    const found = golden ?? table.find((z) => z.iana.includes(id));
    if (found) {
      windows = found.windows;
      break;
    }
  }
  // Bounded by the zones clients name; a client sending made-up names cannot grow it without end.
  if (windowsByIana.size < 1_000) windowsByIana.set(iana, windows);
  return windows;
}

/** The main IANA zone (current name) for a Windows name; undefined if unknown. */
export function windowsToIana(windows: string): string | undefined {
  const id = table.find((z) => z.territory === "001" && z.windows.toLowerCase() === windows.toLowerCase())?.iana[0];
  return id === undefined ? undefined : (CURRENT_NAMES[id] ?? id);
}
