import type { SeedPerson } from "../../seed/people.js";

/** Graph's default user properties (v1.0 returns only these without $select). */
export const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;

const COUNTRY: Record<string, { country: string; usage: string; language: string }> = {
  London: { country: "United Kingdom", usage: "GB", language: "en-GB" },
  Berlin: { country: "Germany", usage: "DE", language: "de-DE" },
  "New York": { country: "United States", usage: "US", language: "en-US" },
  Seattle: { country: "United States", usage: "US", language: "en-US" },
  "Los Angeles": { country: "United States", usage: "US", language: "en-US" },
  Bengaluru: { country: "India", usage: "IN", language: "en-IN" },
  Mumbai: { country: "India", usage: "IN", language: "en-IN" },
};

export function localeOf(person: SeedPerson): string {
  return COUNTRY[person.officeLocation]?.language ?? "en-US";
}

/** Every directory property the sandbox knows for a person (Graph names). */
export function toDirectoryUser(person: SeedPerson, now: Date): Record<string, unknown> {
  const c = COUNTRY[person.officeLocation];
  const number = Number(person.id.slice(-4));
  // Newcomers joined within six months (seed contract); others years ago. Relative to the sandbox clock.
  const hireDaysAgo = person.newcomer ? 30 + number * 3 : 400 + number * 61;
  return {
    id: person.id,
    displayName: person.displayName,
    givenName: person.givenName,
    surname: person.surname,
    userPrincipalName: person.userPrincipalName,
    mail: person.mail,
    mailNickname: person.userPrincipalName.split("@")[0],
    jobTitle: person.jobTitle,
    department: person.department,
    officeLocation: person.officeLocation,
    city: person.officeLocation,
    country: c?.country ?? null,
    usageLocation: c?.usage ?? null,
    preferredLanguage: c?.language ?? "en-US",
    businessPhones: [`+1 555 01${String(number).padStart(2, "0")}`],
    mobilePhone: null,
    companyName: "Contoso",
    accountEnabled: true,
    userType: "Member",
    employeeHireDate: new Date(now.getTime() - hireDaysAgo * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}
