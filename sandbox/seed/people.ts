/**
 * The seeded demo organisation: deterministic, 28 people in 5 time zones (India is off the whole
 * hour), departments and levels, managers with reports. Calendars are seeded separately
 * (see ./calendars.ts) from these people.
 */
export const SANDBOX_TENANT_ID = "8a6f1c2e-4b7d-4c1e-9f3a-2d5e6b7c8a90";
export const SANDBOX_DOMAIN = "contoso.example";
/** Our own app's client id in the sandbox tenant (the `aud` of tokens for our API). */
export const SANDBOX_APP_CLIENT_ID = "c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11";

export type Level = "IC1" | "IC2" | "IC3" | "IC4" | "M1" | "M2";

export interface SeedPerson {
  /** Entra object id (oid). */
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string;
  department: string;
  level: Level;
  officeLocation: string;
  /** IANA zone; mailboxSettings.timeZone reports the Windows name, as Exchange does. */
  timeZone: string;
  managerId?: string;
  /** Local working hours in `timeZone`. */
  workingHours: { daysOfWeek: string[]; startTime: string; endTime: string };
  /** Joined within the last six months (for "pair newcomers with seasoned members"). */
  newcomer: boolean;
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];

function id(n: number): string {
  return `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
}

type Row = [n: number, given: string, surname: string, title: string, dept: string, level: Level, office: string, zone: string, manager: number | null, hours: [string, string], newcomer?: boolean];

const ROWS: Row[] = [
  [1, "Megan", "Bowen", "VP Engineering", "Engineering", "M2", "London", "Europe/London", null, ["09:00", "17:30"]],
  [2, "Alex", "Wilber", "Engineering Manager", "Engineering", "M1", "London", "Europe/London", 1, ["09:00", "17:30"]],
  [3, "Priya", "Raman", "Senior Engineer", "Engineering", "IC3", "Bengaluru", "Asia/Kolkata", 2, ["09:30", "18:00"]],
  [4, "Diego", "Siciliani", "Engineer", "Engineering", "IC2", "London", "Europe/London", 2, ["08:30", "17:00"]],
  [5, "Lee", "Gu", "Engineer", "Engineering", "IC2", "Seattle", "America/Los_Angeles", 2, ["08:00", "16:30"], true],
  [6, "Isaiah", "Langer", "Staff Engineer", "Engineering", "IC4", "New York", "America/New_York", 2, ["09:00", "17:00"]],
  [7, "Johanna", "Lorenz", "Engineer", "Engineering", "IC1", "Berlin", "Europe/Berlin", 2, ["08:00", "16:30"], true],
  [8, "Nestor", "Wilke", "Engineering Manager", "Engineering", "M1", "Seattle", "America/Los_Angeles", 1, ["08:30", "17:00"]],
  [9, "Ananya", "Iyer", "Engineer", "Engineering", "IC2", "Bengaluru", "Asia/Kolkata", 8, ["10:00", "18:30"]],
  [10, "Grady", "Archie", "Senior Engineer", "Engineering", "IC3", "Seattle", "America/Los_Angeles", 8, ["09:00", "17:30"]],
  [11, "Lynne", "Robbins", "VP Sales", "Sales", "M2", "New York", "America/New_York", null, ["08:30", "17:00"]],
  [12, "Adele", "Vance", "Sales Manager", "Sales", "M1", "New York", "America/New_York", 11, ["08:30", "17:00"]],
  [13, "Pradeep", "Gupta", "Account Executive", "Sales", "IC2", "Mumbai", "Asia/Kolkata", 12, ["09:30", "18:00"]],
  [14, "Joni", "Sherman", "Account Executive", "Sales", "IC2", "Los Angeles", "America/Los_Angeles", 12, ["08:00", "16:30"], true],
  [15, "Miriam", "Graham", "Senior Account Executive", "Sales", "IC3", "London", "Europe/London", 12, ["09:00", "17:30"]],
  [16, "Henrietta", "Mueller", "Account Executive", "Sales", "IC2", "Berlin", "Europe/Berlin", 12, ["08:30", "17:00"]],
  [17, "Lidia", "Holloway", "Sales Engineer", "Sales", "IC3", "New York", "America/New_York", 12, ["09:00", "17:30"]],
  [18, "Irvin", "Sayers", "Marketing Director", "Marketing", "M1", "London", "Europe/London", null, ["09:00", "17:30"]],
  [19, "Kavya", "Menon", "Content Lead", "Marketing", "IC3", "Bengaluru", "Asia/Kolkata", 18, ["09:00", "17:30"]],
  [20, "Patti", "Fernandez", "Designer", "Marketing", "IC2", "Los Angeles", "America/Los_Angeles", 18, ["09:00", "17:30"], true],
  [21, "Christie", "Cline", "Campaign Manager", "Marketing", "IC2", "Berlin", "Europe/Berlin", 18, ["09:00", "17:00"]],
  [22, "Enrico", "Cattaneo", "Finance Manager", "Finance", "M1", "Berlin", "Europe/Berlin", null, ["08:00", "16:30"]],
  [23, "Sofia", "Alvarez", "Analyst", "Finance", "IC1", "New York", "America/New_York", 22, ["09:00", "17:00"], true],
  [24, "Rahul", "Verma", "Senior Analyst", "Finance", "IC3", "Bengaluru", "Asia/Kolkata", 22, ["09:30", "18:00"]],
  [25, "Olivia", "Brooks", "Head of People", "People", "M1", "London", "Europe/London", null, ["09:00", "17:00"]],
  [26, "Tomás", "Reyes", "L&D Partner", "People", "IC3", "Los Angeles", "America/Los_Angeles", 25, ["08:30", "17:00"]],
  [27, "Mei", "Tanaka", "People Partner", "People", "IC2", "London", "Europe/London", 25, ["09:00", "17:30"], true],
  [28, "Kwame", "Mensah", "Operations Lead", "Operations", "IC4", "New York", "America/New_York", 11, ["08:00", "16:30"]],
];

function upnOf(given: string, surname: string): string {
  const ascii = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return `${ascii(given)}.${ascii(surname)}@${SANDBOX_DOMAIN}`;
}

export const seedPeople: readonly SeedPerson[] = ROWS.map(([n, given, surname, title, dept, level, office, zone, manager, hours, newcomer]) => ({
  id: id(n),
  displayName: `${given} ${surname}`,
  givenName: given,
  surname,
  userPrincipalName: upnOf(given, surname),
  mail: upnOf(given, surname),
  jobTitle: title,
  department: dept,
  level,
  officeLocation: office,
  timeZone: zone,
  ...(manager !== null ? { managerId: id(manager) } : {}),
  workingHours: { daysOfWeek: WEEKDAYS, startTime: `${hours[0]}:00.0000000`, endTime: `${hours[1]}:00.0000000` },
  newcomer: newcomer ?? false,
}));

export function findSeedPerson(idOrUpn: string): SeedPerson | undefined {
  const key = idOrUpn.toLowerCase();
  return seedPeople.find((p) => p.id === key || p.userPrincipalName === key);
}
