import { createSeededRandom } from "../shared/seeded-random";
import { isValidTimeZone } from "../scheduling";
import { type FormCirclesOptions, FormCirclesOptionsSchema, type PoolMember, PoolMemberSchema } from "./schemas";
import {
  DEFAULT_WORKING_HOURS,
  SLOT_MINUTES,
  SLOTS_PER_WEEK,
  type WeekMask,
  type Weekday,
  daysWithRange,
  intersectWeeks,
  longestRun,
  sharedMinutes,
  slotClock,
  windowStarts,
  yearRoundWorkingWeek,
} from "./week-availability";

/**
 * Forming circles from a program's pool (product.md §1 "Form circles"), in priority order:
 *
 * 1. **Shared working hours.** Everyone in a circle shares at least `minSharedMinutes` of
 *    contiguous working time every week of the year, daylight saving included (see
 *    week-availability.ts). People are first split into *time bands*: repeatedly, the 15-minute
 *    start time that the most still-unbanded people can all meet at becomes a band with
 *    everyone who can make it.
 * 2. **Hard rules inside a band.** Nobody shares a circle with their direct manager or a direct
 *    report (nor, when asked, their skip-level); when the band has enough seasoned people, every
 *    circle has at least one.
 * 3. **Soft goals.** Newcomers are spread evenly; departments and levels are mixed — or, when a
 *    program asks to cluster by an attribute, people with the same value are put together.
 *
 * Circle sizes within a band are as even as possible around the target. People who fit no band
 * (too few share their hours, or every compatible circle is full or holds their manager) are
 * tried in circles with room in other bands, and otherwise returned as unplaced with a reason.
 *
 * Pure and deterministic: the same pool (in any order) and options give the same circles.
 * @throws ZodError when the options are invalid (the pool itself never throws: bad entries are
 *   returned as unplaced).
 */
export function formCircles(pool: readonly PoolMember[], options: FormCirclesOptions): FormCirclesResult {
  return new CircleFormation(pool, FormCirclesOptionsSchema.parse(options)).run();
}

export interface FormedCircle {
  memberIds: string[];
  explanation: CircleExplanation;
}

export interface CircleExplanation {
  /** One or two sentences for the program owner's review screen. Never names anyone. */
  summary: string;
  sharedHours: {
    /** Working minutes per week everyone shares, all year round. */
    minutesPerWeek: number;
    /** The longest contiguous shared stretch, and where it lies (UTC clock times and days). */
    longestMinutes: number;
    startUtc: string;
    endUtc: string;
    daysUtc: Weekday[];
  };
  departments: number;
  levels: number;
  newcomers: number;
  seasoned: number;
  /** In cluster mode: the value the members share, or null when they had to be mixed. */
  cluster?: { attribute: string; value: string | null };
  /** Rules that had to give way for this circle, in words. */
  notes: string[];
}

export type UnplacedReasonCode =
  | "duplicate"
  | "invalidEntry"
  | "unknownTimeZone"
  | "noWorkingHours"
  | "noSharedHours"
  | "tooFewSharingHours"
  | "managerConflict"
  | "noSeasonedMember"
  | "circlesFull";

export interface UnplacedPerson {
  id: string;
  reason: { code: UnplacedReasonCode; message: string };
}

export interface FormCirclesResult {
  circles: FormedCircle[];
  unplaced: UnplacedPerson[];
}

type ParsedOptions = ReturnType<typeof FormCirclesOptionsSchema.parse>;

interface Person {
  id: string;
  profile: number;
  newcomer: boolean;
  department: string | null;
  level: string | null;
  cluster: string;
  /** People this person must not share a circle with (indices into `people`). */
  conflicts: number[];
  /** Seeded tie-breaker. */
  jitter: number;
}

interface Profile {
  mask: WeekMask;
  windows: Uint8Array;
}

interface Circle {
  capacity: number;
  members: number[];
  departments: Map<string, number>;
  levels: Map<string, number>;
  clusters: Map<string, number>;
  newcomers: number;
  /** Whether circles in this circle's band must keep a seat for a seasoned member. */
  reserveSeasoned: boolean;
  /** Working time all members share; cached, cleared when the membership changes. */
  mask: WeekMask | undefined;
}

/** Cost weights: a lower total is a better seat. Orders of magnitude make the priorities strict. */
const WEIGHT = { clusterMismatch: 10_000, newcomer: 1_000, department: 100, level: 30, clusterFill: 10, fullness: 1 } as const;

const DAY_NAMES: Record<Weekday, string> = {
  monday: "Mon",
  tuesday: "Tue",
  wednesday: "Wed",
  thursday: "Thu",
  friday: "Fri",
  saturday: "Sat",
  sunday: "Sun",
};

class CircleFormation {
  private readonly people: Person[] = [];
  private readonly profiles: Profile[] = [];
  private readonly circles: Circle[] = [];
  /** Circle index per person, -1 while unplaced. */
  private circleOf: Int32Array = new Int32Array(0);
  private readonly unplaced: UnplacedPerson[] = [];
  private readonly windowLength: number;
  private readonly minSize: number;
  private readonly maxSize: number;
  private readonly targetSize: number;
  private readonly random: () => number;
  /** Per start slot: how many admitted people can meet then (for the "why unplaced" reasons). */
  private poolCounts = new Int32Array(SLOTS_PER_WEEK);
  private seasonedCounts = new Int32Array(SLOTS_PER_WEEK);
  private poolHasSeasoned = false;

  constructor(
    private readonly pool: readonly PoolMember[],
    private readonly options: ParsedOptions,
  ) {
    this.windowLength = Math.ceil(options.minSharedMinutes / SLOT_MINUTES);
    const size = options.size === "pairs" ? { min: 2, max: 2, target: 2 } : options.size;
    this.minSize = size.min;
    this.maxSize = size.max;
    this.targetSize = size.target ?? Math.ceil((size.min + size.max) / 2);
    this.random = createSeededRandom(options.seed);
  }

  run(): FormCirclesResult {
    this.admit();
    this.circleOf = new Int32Array(this.people.length).fill(-1);

    const everyone = this.people.map((_, i) => i);
    let leftovers = this.formBands(everyone);
    // Odd ones out of different bands may still share hours with each other (two leftover
    // people from neighbouring bands make a pair): give them one more round among themselves.
    leftovers = this.formBands(leftovers);
    leftovers = this.joinCirclesWithRoom(leftovers);
    for (const p of leftovers) this.unplaced.push({ id: this.people[p]!.id, reason: this.reasonFor(p) });

    return { circles: this.circles.filter((c) => c.members.length > 0).map((c) => this.describe(c)), unplaced: this.unplaced };
  }

  /** Validates and indexes the pool; people who cannot be considered go straight to `unplaced`. */
  private admit(): void {
    const { options } = this;
    // Sorting by id makes the result independent of the order the pool was listed in.
    const sorted = [...this.pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const seen = new Set<string>();
    const profileIndex = new Map<string, number>();
    const startsOnMs = Date.parse(`${options.startsOn}T00:00:00Z`);
    const admitted: PoolMember[] = [];
    for (const entry of sorted) {
      const parsed = PoolMemberSchema.safeParse(entry);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.unplaced.push({ id: String(entry.id), reason: { code: "invalidEntry", message: `Their enrolment data is invalid (${issue?.path.join(".") || "entry"}: ${issue?.message ?? "invalid"}).` } });
        continue;
      }
      const member = parsed.data;
      if (seen.has(member.id)) {
        this.unplaced.push({ id: member.id, reason: { code: "duplicate", message: "Listed more than once; placed once." } });
        continue;
      }
      seen.add(member.id);
      if (!isValidTimeZone(member.timeZone)) {
        this.unplaced.push({ id: member.id, reason: { code: "unknownTimeZone", message: `"${member.timeZone}" is not a time zone we know; set it in their mailbox settings.` } });
        continue;
      }
      const hours = member.workingHours ?? DEFAULT_WORKING_HOURS;
      const key = `${member.timeZone}|${[...hours.daysOfWeek].sort().join(",")}|${hours.startTime}|${hours.endTime}`;
      let profile = profileIndex.get(key);
      if (profile === undefined) {
        const mask = yearRoundWorkingWeek(member.timeZone, hours, startsOnMs);
        profile = this.profiles.length;
        this.profiles.push({ mask, windows: windowStarts(mask, this.windowLength) });
        profileIndex.set(key, profile);
      }
      if (sharedMinutes(this.profiles[profile]!.mask) < options.minSharedMinutes || !this.profiles[profile]!.windows.includes(1)) {
        this.unplaced.push({
          id: member.id,
          reason: { code: "noWorkingHours", message: `Their working hours hold no ${options.minSharedMinutes}-minute stretch that stays within working hours all year.` },
        });
        continue;
      }
      admitted.push(member);
      this.people.push({
        id: member.id,
        profile,
        newcomer: member.isNewcomer ?? (member.tenureMonths !== undefined && member.tenureMonths < options.newcomerTenureMonths),
        department: member.department ?? null,
        level: member.level === undefined || member.level === null ? null : String(member.level),
        cluster: clusterValue(member, options.grouping) ?? "",
        conflicts: [],
        jitter: this.random(),
      });
    }
    this.linkManagers(admitted);
    for (const person of this.people) {
      const windows = this.profiles[person.profile]!.windows;
      for (let s = 0; s < SLOTS_PER_WEEK; s++) this.poolCounts[s]! += windows[s]!;
      if (!person.newcomer) for (let s = 0; s < SLOTS_PER_WEEK; s++) this.seasonedCounts[s]! += windows[s]!;
    }
    this.poolHasSeasoned = this.people.some((p) => !p.newcomer);
  }

  /** Conflict lists: direct manager ↔ report, and skip-level when asked. */
  private linkManagers(admitted: readonly PoolMember[]): void {
    const indexOf = new Map(admitted.map((m, i) => [m.id, i]));
    const managerOf = new Map(admitted.map((m) => [m.id, m.managerId ?? null]));
    const link = (a: number, b: number | undefined) => {
      if (b === undefined || a === b) return;
      if (!this.people[a]!.conflicts.includes(b)) this.people[a]!.conflicts.push(b);
      if (!this.people[b]!.conflicts.includes(a)) this.people[b]!.conflicts.push(a);
    };
    admitted.forEach((member, i) => {
      const manager = member.managerId ?? null;
      if (manager !== null) link(i, indexOf.get(manager));
      if (this.options.avoidSkipLevel) {
        const skip = member.skipLevelManagerId ?? (manager === null ? null : (managerOf.get(manager) ?? null));
        if (skip !== null) link(i, indexOf.get(skip));
      }
    });
  }

  /**
   * Splits `candidates` into time bands and forms each band's circles; returns who is left.
   * A band is the set of candidates who can all meet at the start time most of them can make.
   */
  private formBands(candidates: readonly number[]): number[] {
    let remaining = [...candidates];
    const leftovers: number[] = [];
    for (;;) {
      const counts = new Int32Array(SLOTS_PER_WEEK);
      const byProfile = new Map<number, number>();
      for (const p of remaining) byProfile.set(this.people[p]!.profile, (byProfile.get(this.people[p]!.profile) ?? 0) + 1);
      for (const [profile, n] of byProfile) {
        const windows = this.profiles[profile]!.windows;
        for (let s = 0; s < SLOTS_PER_WEEK; s++) if (windows[s]) counts[s]! += n;
      }
      let best = 0;
      for (let s = 1; s < SLOTS_PER_WEEK; s++) if (counts[s]! > counts[best]!) best = s;
      if (counts[best]! < this.minSize) break;
      const band = remaining.filter((p) => this.profiles[this.people[p]!.profile]!.windows[best]);
      remaining = remaining.filter((p) => !this.profiles[this.people[p]!.profile]!.windows[best]);
      leftovers.push(...this.assignBand(band));
    }
    return [...leftovers, ...remaining];
  }

  /** Number of circles and their sizes for a band of `n`: as even as possible, near the target. */
  private sizesFor(n: number): number[] {
    const low = Math.ceil(n / this.maxSize);
    const high = Math.floor(n / this.minSize);
    if (low <= high) {
      const k = Math.min(high, Math.max(low, Math.round(n / this.targetSize)));
      return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
    }
    // No split fits (odd pairs, or e.g. 7 people for circles of 5–6): fill what fits, the rest wait.
    return Array.from({ length: high }, () => this.maxSize);
  }

  /**
   * Seats a band's people in new circles; returns those who could not be seated. When the rules
   * leave people out (a manager whose reports fill the band's only circle), the band is tried
   * again without its most conflicted person, up to three times, and the best attempt is kept:
   * one manager waiting is better than a whole circle dissolving.
   */
  private assignBand(band: readonly number[]): number[] {
    const firstCircle = this.circles.length;
    const structural = band.length - this.sizesFor(band.length).reduce((sum, n) => sum + n, 0);
    let excluded: number[] = [];
    let leftovers = this.seatBand(band);
    let best = { excluded, leftovers: leftovers.length };
    for (let attempt = 0; attempt < 3 && leftovers.length > structural; attempt++) {
      const rest = band.filter((p) => !excluded.includes(p));
      const inBand = new Set(rest);
      let worst = -1;
      let worstDegree = 0;
      for (const p of rest) {
        const degree = this.people[p]!.conflicts.filter((q) => inBand.has(q)).length;
        if (degree > worstDegree || (degree === worstDegree && degree > 0 && this.people[p]!.jitter < this.people[worst]!.jitter)) {
          worst = p;
          worstDegree = degree;
        }
      }
      if (worst < 0) break;
      excluded = [...excluded, worst];
      this.rollback(firstCircle);
      leftovers = [...this.seatBand(band.filter((p) => !excluded.includes(p))), ...excluded];
      if (leftovers.length < best.leftovers) best = { excluded, leftovers: leftovers.length };
    }
    if (excluded !== best.excluded) {
      this.rollback(firstCircle);
      const kept = best.excluded;
      leftovers = [...this.seatBand(band.filter((p) => !kept.includes(p))), ...kept];
    }
    return leftovers;
  }

  private rollback(firstCircle: number): void {
    for (const c of this.circles.slice(firstCircle)) for (const m of [...c.members]) this.unseat(m);
    this.circles.length = firstCircle;
  }

  private seatBand(band: readonly number[]): number[] {
    let sizes = this.sizesFor(band.length);
    const seasoned = band.filter((p) => !this.people[p]!.newcomer).length;
    // Newcomers sit with at least one seasoned member; only a cohort without any seasoned
    // people at all (an onboarding program) forms circles of newcomers.
    if (this.poolHasSeasoned && seasoned < sizes.length) {
      const seated = Math.min(band.length, seasoned * this.maxSize);
      sizes = Array.from({ length: seasoned }, (_, i) => Math.floor(seated / seasoned) + (i < seated % seasoned ? 1 : 0));
    }
    if (sizes.length === 0) return [...band];
    const reserveSeasoned = seasoned >= sizes.length;
    const circles = sizes.map((capacity) => this.openCircle(capacity, reserveSeasoned));
    const leftovers: number[] = [];
    for (const p of this.seatingOrder(band)) {
      const best = this.cheapestSeat(p, circles, (c) => this.fitsNewCircle(c, p));
      if (best !== undefined) this.seat(p, best);
      else if (!this.seatBySwap(p, circles)) leftovers.push(p);
    }
    // A circle left below the minimum by the rules above (a pair of one), or without the
    // seasoned member it kept a seat for, is no circle: its members try elsewhere.
    for (const circle of circles) {
      const c = this.circles[circle]!;
      const tooSmall = c.members.length < this.minSize;
      const newcomersOnly = this.poolHasSeasoned && c.newcomers === c.members.length;
      if (c.members.length > 0 && (tooSmall || newcomersOnly)) {
        for (const m of [...c.members]) {
          this.unseat(m);
          leftovers.push(m);
        }
      }
    }
    return leftovers;
  }

  private openCircle(capacity: number, reserveSeasoned: boolean): number {
    this.circles.push({ capacity, members: [], departments: new Map(), levels: new Map(), clusters: new Map(), newcomers: 0, reserveSeasoned, mask: undefined });
    return this.circles.length - 1;
  }

  /**
   * Newcomers first (so seats can be kept for seasoned members), then the most constrained, then
   * the largest departments (or clusters): dealing a big department first spreads it evenly.
   */
  private seatingOrder(band: readonly number[]): number[] {
    const clustering = this.options.grouping.mode === "cluster";
    const groupOf = (p: Person) => (clustering ? p.cluster : (p.department ?? ""));
    const frequency = new Map<string, number>();
    for (const p of band) frequency.set(groupOf(this.people[p]!), (frequency.get(groupOf(this.people[p]!)) ?? 0) + 1);
    return [...band].sort((ia, ib) => {
      const a = this.people[ia]!;
      const b = this.people[ib]!;
      return (
        Number(b.newcomer) - Number(a.newcomer) ||
        b.conflicts.length - a.conflicts.length ||
        frequency.get(groupOf(b))! - frequency.get(groupOf(a))! ||
        compare(groupOf(a), groupOf(b)) ||
        compare(a.level ?? "", b.level ?? "") ||
        a.jitter - b.jitter
      );
    });
  }

  private conflictsWith(p: number, circle: number): boolean {
    for (const q of this.people[p]!.conflicts) if (this.circleOf[q] === circle) return true;
    return false;
  }

  /** Hard rules for a seat in a band's own circle. */
  private fitsNewCircle(circle: number, p: number): boolean {
    const c = this.circles[circle]!;
    if (c.members.length >= c.capacity || this.conflictsWith(p, circle)) return false;
    // Keep one seat for a seasoned member when the band has enough of them.
    return !(c.reserveSeasoned && this.people[p]!.newcomer && c.newcomers + 1 > c.capacity - 1);
  }

  private cost(p: number, circle: number): number {
    const person = this.people[p]!;
    const c = this.circles[circle]!;
    let cost = person.newcomer ? c.newcomers * WEIGHT.newcomer : 0;
    if (this.options.grouping.mode === "cluster") {
      const same = c.clusters.get(person.cluster) ?? 0;
      cost += (c.members.length - same) * WEIGHT.clusterMismatch - same * WEIGHT.clusterFill;
    } else {
      if (person.department !== null) cost += (c.departments.get(person.department) ?? 0) * WEIGHT.department;
      if (person.level !== null) cost += (c.levels.get(person.level) ?? 0) * WEIGHT.level;
      cost += c.members.length * WEIGHT.fullness;
    }
    return cost;
  }

  private cheapestSeat(p: number, circles: readonly number[], fits: (circle: number) => boolean, extra: (circle: number) => number = () => 0): number | undefined {
    let best: number | undefined;
    let bestCost = Infinity;
    // A per-circle seeded nudge below the smallest weight breaks ties without favouring low indices.
    const nudge = this.people[p]!.jitter;
    for (const circle of circles) {
      if (!fits(circle)) continue;
      const cost = this.cost(p, circle) + extra(circle) + fraction(nudge * 7919 + circle * 0.618);
      if (cost < bestCost) {
        bestCost = cost;
        best = circle;
      }
    }
    return best;
  }

  /**
   * When every circle with room holds someone `p` must not meet, move a member of another circle
   * into a circle with room (if that breaks no rule for them) and give `p` the freed seat.
   */
  private seatBySwap(p: number, circles: readonly number[]): boolean {
    const open = circles.filter((c) => this.circles[c]!.members.length < this.circles[c]!.capacity);
    for (const target of circles) {
      if (this.conflictsWith(p, target)) continue;
      for (const q of [...this.circles[target]!.members]) {
        if (this.people[q]!.newcomer !== this.people[p]!.newcomer) continue; // keeps the seasoned seat rule intact
        for (const destination of open) {
          if (destination === target || !this.fitsNewCircle(destination, q)) continue;
          this.unseat(q);
          if (this.fitsNewCircle(target, p)) {
            this.seat(q, destination);
            this.seat(p, target);
            return true;
          }
          this.seat(q, target);
        }
      }
    }
    return false;
  }

  /** Last round: seat leftovers in any circle with room whose members share their hours. */
  private joinCirclesWithRoom(leftovers: readonly number[]): number[] {
    const still: number[] = [];
    const all = this.circles.map((_, i) => i);
    const ordered = [...leftovers].sort((a, b) => this.people[a]!.jitter - this.people[b]!.jitter);
    for (const p of ordered) {
      const best = this.cheapestSeat(
        p,
        all,
        (c) => this.canJoin(c, p),
        // Prefer the smallest circle, so late joiners do not pile into one.
        (c) => this.circles[c]!.members.length * WEIGHT.department * 10,
      );
      if (best === undefined) still.push(p);
      else this.seat(p, best);
    }
    return still;
  }

  private sharedMask(members: readonly number[]): WeekMask {
    let mask = this.profiles[this.people[members[0]!]!.profile]!.mask;
    for (const m of members.slice(1)) mask = intersectWeeks(mask, this.profiles[this.people[m]!.profile]!.mask);
    return mask;
  }

  private sharesHoursWith(circle: number, p: number): boolean {
    const c = this.circles[circle]!;
    if (c.members.length === 0) return false;
    c.mask ??= this.sharedMask(c.members);
    const mask = intersectWeeks(c.mask, this.profiles[this.people[p]!.profile]!.mask);
    return longestRun(mask).length >= this.windowLength;
  }

  private canJoin(circle: number, p: number): boolean {
    const c = this.circles[circle]!;
    if (c.members.length === 0 || c.members.length >= this.maxSize || this.conflictsWith(p, circle)) return false;
    if (this.poolHasSeasoned && this.people[p]!.newcomer && c.newcomers === c.members.length) return false;
    return this.sharesHoursWith(circle, p);
  }

  private seat(p: number, circle: number): void {
    const person = this.people[p]!;
    const c = this.circles[circle]!;
    c.members.push(p);
    if (person.department !== null) bump(c.departments, person.department, 1);
    if (person.level !== null) bump(c.levels, person.level, 1);
    bump(c.clusters, person.cluster, 1);
    if (person.newcomer) c.newcomers += 1;
    c.mask = undefined;
    this.circleOf[p] = circle;
  }

  private unseat(p: number): void {
    const person = this.people[p]!;
    const circle = this.circleOf[p]!;
    const c = this.circles[circle]!;
    c.members.splice(c.members.indexOf(p), 1);
    if (person.department !== null) bump(c.departments, person.department, -1);
    if (person.level !== null) bump(c.levels, person.level, -1);
    bump(c.clusters, person.cluster, -1);
    if (person.newcomer) c.newcomers -= 1;
    c.mask = undefined;
    this.circleOf[p] = -1;
  }

  /** Why `p` ended up without a circle, most fundamental cause first. */
  private reasonFor(p: number): UnplacedPerson["reason"] {
    const minutes = this.options.minSharedMinutes;
    const windows = this.profiles[this.people[p]!.profile]!.windows;
    // How many people in the whole pool can meet at this person's best start time (them included).
    let sharing = 0;
    let seasonedSharing = 0;
    for (let s = 0; s < SLOTS_PER_WEEK; s++) {
      if (!windows[s]) continue;
      sharing = Math.max(sharing, this.poolCounts[s]!);
      seasonedSharing = Math.max(seasonedSharing, this.seasonedCounts[s]!);
    }
    if (sharing <= 1) {
      return { code: "noSharedHours", message: `Nobody else in the pool shares ${minutes} minutes of their working hours all year round.` };
    }
    if (sharing < this.minSize) {
      return {
        code: "tooFewSharingHours",
        message: `Only ${sharing - 1} other ${sharing - 1 === 1 ? "person shares" : "people share"} ${minutes} minutes of their working hours; a circle needs ${this.minSize}.`,
      };
    }
    if (this.people[p]!.newcomer && this.poolHasSeasoned && seasonedSharing === 0) {
      return { code: "noSeasonedMember", message: "Newcomers are placed with at least one seasoned member, and no seasoned member shares their working hours." };
    }
    const blockedByManager = this.circles.some(
      (c, i) => c.members.length > 0 && c.members.length < this.maxSize && this.conflictsWith(p, i) && this.sharesHoursWith(i, p),
    );
    if (blockedByManager) {
      return { code: "managerConflict", message: "The only circles that share their working hours include their manager or someone who reports to them." };
    }
    if (this.people[p]!.newcomer && this.poolHasSeasoned) {
      return { code: "noSeasonedMember", message: "Newcomers are placed with at least one seasoned member, and the circles with one that share their working hours are full." };
    }
    return {
      code: "circlesFull",
      message:
        this.maxSize === 2
          ? "Everyone who shares their working hours is already paired."
          : `The circles that share their working hours are full (${this.maxSize} members).`,
    };
  }

  private describe(circle: Circle): FormedCircle {
    const members = [...circle.members].sort((a, b) => compare(this.people[a]!.id, this.people[b]!.id));
    const people = members.map((m) => this.people[m]!);
    const mask = this.sharedMask(members);
    const run = longestRun(mask);
    // A stretch of a day or more is reported as one day's worth so the clock times stay readable.
    const length = Math.min(run.length, 24 * 60 / SLOT_MINUTES);
    const daysUtc = daysWithRange(mask, run.start, length);
    const departments = new Set(people.map((p) => p.department).filter((d) => d !== null)).size;
    const levels = new Set(people.map((p) => p.level).filter((l) => l !== null)).size;
    const newcomers = people.filter((p) => p.newcomer).length;
    const seasoned = people.length - newcomers;
    const notes: string[] = [];
    if (newcomers > 0 && seasoned === 0) notes.push("Only newcomers: too few seasoned people share these working hours.");

    const sharedHours = {
      minutesPerWeek: sharedMinutes(mask),
      longestMinutes: run.length * SLOT_MINUTES,
      startUtc: slotClock(run.start),
      endUtc: slotClock(run.start + length),
      daysUtc,
    };
    const sentences = [
      `Everyone works ${sharedHours.startUtc}–${sharedHours.endUtc} UTC on ${describeDays(daysUtc)}, all year round (${formatMinutes(sharedHours.minutesPerWeek)} shared a week).`,
    ];
    let cluster: CircleExplanation["cluster"];
    const grouping = this.options.grouping;
    if (grouping.mode === "cluster") {
      const values = new Set(people.map((p) => p.cluster));
      const value = values.size === 1 ? people[0]!.cluster : null;
      cluster = { attribute: grouping.attribute, value: value === "" ? null : value };
      if (value === null) notes.push(`Mixed ${grouping.attribute} values: too few people with the same value share these hours.`);
      else sentences.push(value === "" ? `Nobody here has a ${grouping.attribute} set.` : `All share ${grouping.attribute} "${value}".`);
    } else {
      sentences.push(`${plural(departments, "department")} and ${plural(levels, "level")}.`);
    }
    sentences.push(`${plural(newcomers, "newcomer")} with ${plural(seasoned, "seasoned member")}.`);
    sentences.push("Nobody is with their manager or a direct report.");
    return {
      memberIds: people.map((p) => p.id),
      explanation: { summary: sentences.join(" "), sharedHours, departments, levels, newcomers, seasoned, ...(cluster ? { cluster } : {}), notes },
    };
  }
}

function clusterValue(member: PoolMember, grouping: ParsedOptions["grouping"]): string | null {
  if (grouping.mode !== "cluster") return null;
  if (grouping.attribute === "department") return member.department ?? null;
  if (grouping.attribute === "level") return member.level === undefined || member.level === null ? null : String(member.level);
  return member.attributes?.[grouping.attribute] ?? null;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fraction(x: number): number {
  return (x - Math.floor(x)) * 0.5;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : h === 0 ? `${m} min` : `${h} h ${m} min`;
}

function describeDays(days: readonly Weekday[]): string {
  if (days.length === 0) return "no whole day";
  const names = days.map((d) => DAY_NAMES[d]);
  const weekdays: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday"];
  if (days.length === 5 && weekdays.every((d) => days.includes(d))) return "Mon–Fri";
  return names.join(", ");
}


