// Programs as the API returns them (api/programs/schemas-http.ts, health-schemas.ts), for the UI tests.

export const person = (n: number, name: string) => ({ id: `u-${n}`, upn: `${name.toLowerCase().replace(" ", ".")}@contoso.example`, displayName: name });

export const alex = person(1, "Alex Wilber");
export const megan = person(2, "Megan Bowen");
export const diego = person(3, "Diego Siciliani");
export const lee = person(4, "Lee Gu");
export const isaiah = person(5, "Isaiah Langer");
export const johanna = person(6, "Johanna Lorenz");
export const nestor = person(7, "Nestor Wilke");

const explanation = (summary: string, notes: string[] = []) => ({
  summary,
  sharedHours: { minutesPerWeek: 600, longestMinutes: 120, startUtc: "14:00", endUtc: "16:00", daysUtc: ["monday", "tuesday"] },
  departments: 3,
  levels: 2,
  newcomers: 1,
  seasoned: 2,
  notes,
});

export function program(overrides: Record<string, unknown> = {}) {
  return {
    id: "p1",
    ownerId: "u-owner",
    purpose: "Help new managers handle hard conversations",
    durationWeeks: 24,
    formatIds: ["coaching-circle"],
    size: { min: 3, max: 4 },
    enrolled: [],
    draft: null,
    booking: null,
    createdAt: "2030-01-01T09:00:00.000Z",
    ...overrides,
  };
}

export const enrolledSix = [alex, megan, diego, lee, isaiah, johanna];

export const formedDraft = {
  circles: [
    { members: [alex, diego, lee], explanation: explanation("3 departments, 2 levels; 2 h a week of shared working time (14:00–16:00 UTC).") },
    { members: [megan, isaiah, johanna], explanation: explanation("2 departments, 3 levels; 1 newcomer with 2 seasoned colleagues.", ["Time zones span 5 hours."]) },
  ],
  unplaced: [{ person: nestor, reason: { code: "noWorkingHours", message: "Their working hours could not be read from their calendar; ask them to set them in Outlook." } }],
};

export const booking = (done: number, total: number, status: "running" | "succeeded" | "failed") => ({
  jobId: "job-1",
  status,
  progress: { done, total },
  circles: Array.from({ length: total }, (_, i) => ({ circleId: `c${i}`, jobId: `j${i}`, status: i < done ? "succeeded" : status === "failed" && i === done ? "failed" : "queued" })),
});

const mondays = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2030, 0, 7 + 7 * i)).toISOString().slice(0, 10));

export const shownHealth = {
  status: "shown",
  threshold: 5,
  participants: 6,
  circles: { booked: 2, atRisk: 1 },
  sessions: { held: 17, planned: 20 },
  protectedHours: {
    weeks: mondays.map((weekStart, i) => ({ weekStart, sessionHours: i < 2 ? 0 : 6, prepHours: i < 2 ? 0 : 1.5, reflectionHours: i < 2 ? 0 : 1, totalHours: i < 2 ? 0 : 8.5 })),
    averagePerParticipantPerWeek: 1.2,
    blocksProtected: 97,
    blocksOverridden: 1,
  },
  commitmentCompletion: { status: "shown", rate: 0.7, reviewed: 5 },
  pulse: { status: "shown", average: 4.2, ratings: 5 },
  insightsShared: 2,
};

export const formats = {
  formats: [
    { id: "coaching-circle", name: "Coaching circle", description: "The classic.", defaultMinutes: 60, segments: [{ id: "a", name: "check-in", minutes: 60, purpose: "x", prompts: [] }] },
    { id: "micro-session", name: "Micro-session", description: "Short.", defaultMinutes: 25, segments: [{ id: "b", name: "practise", minutes: 25, purpose: "y", prompts: [] }] },
  ],
};
