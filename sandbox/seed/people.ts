/**
 * The seeded demo organisation: deterministic, 28 people in 5 time zones (plus a 72-person pilot pool below) (India is off the whole
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

/**
 * The pilot pool: 72 more people (ids 101–172) a program owner can enrol to try programs at a
 * realistic size (issue #5: "a program of 60 enrolled people"). Deterministic; six teams of
 * twelve, each led by a manager inside the pool, so circle formation must keep managers and
 * their reports apart. Names avoid the prefixes the directory tests filter on.
 */
const POOL_GIVEN = ["Bianca", "Chidi", "Dana", "Eitan", "Farah", "Gustav", "Hana", "Ivo", "Jun", "Kiran", "Lucia", "Mateo"];
const POOL_SURNAMES = ["Okafor", "Petrov", "Quinn", "Rossi", "Tran", "Umar", "Varga", "Weber", "Xu", "Yilmaz", "Zhou", "Novak"];
const POOL_TEAMS = ["Engineering", "Sales", "Marketing", "Finance", "People", "Operations"];
const POOL_PLACES: ReadonlyArray<[office: string, zone: string, hours: [string, string]]> = [
  ["London", "Europe/London", ["09:00", "17:30"]],
  ["New York", "America/New_York", ["08:30", "17:00"]],
  ["Bengaluru", "Asia/Kolkata", ["09:30", "18:00"]],
  ["Berlin", "Europe/Berlin", ["08:00", "16:30"]],
  ["Seattle", "America/Los_Angeles", ["08:00", "16:30"]],
];
const POOL_LEVELS: Level[] = ["IC1", "IC2", "IC3", "IC4"];
export const PILOT_POOL_SIZE = 72;

const POOL_ROWS: Row[] = Array.from({ length: PILOT_POOL_SIZE }, (_, k): Row => {
  const team = Math.floor(k / 12);
  const lead = k % 12 === 0;
  const given = POOL_GIVEN[k % 12]!;
  const surname = POOL_SURNAMES[(k % 12 + team * 2 + 1) % 12]!;
  const [office, zone, hours] = POOL_PLACES[(k * 7 + team) % POOL_PLACES.length]!;
  const dept = POOL_TEAMS[team]!;
  return [
    101 + k,
    given,
    surname,
    lead ? `${dept} Team Lead` : `${dept} Specialist`,
    dept,
    lead ? "M1" : POOL_LEVELS[k % POOL_LEVELS.length]!,
    office,
    zone,
    lead ? null : 101 + team * 12,
    hours,
    k % 4 === 1,
  ];
});

export const seedPeople: readonly SeedPerson[] = [...ROWS, ...POOL_ROWS].map(([n, given, surname, title, dept, level, office, zone, manager, hours, newcomer]) => ({
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

/** The pilot pool's people, in id order (enrol them to try a program). */
export const pilotPoolPeople: readonly SeedPerson[] = seedPeople.slice(ROWS.length);

export function findSeedPerson(idOrUpn: string): SeedPerson | undefined {
  const key = idOrUpn.toLowerCase();
  return seedPeople.find((p) => p.id === key || p.userPrincipalName === key);
}
