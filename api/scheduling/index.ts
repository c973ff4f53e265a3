/** Pure scheduling logic: no I/O. The (later) scheduling service imports from here. */
export { evaluateSlot, findSlots } from "./find-slots";
export { explainRotation, explainSlot } from "./explain-slot";
export { type Interval, type IntervalSet, coveredLength, intersect, mergeIntervals, overlapsAny, subtract, toIntervals } from "./intervals";
export {
  type Cadence,
  CadenceSchema,
  type LocalStart,
  LocalStartSchema,
  MAX_SERIES_SESSIONS,
  type Occurrence,
  type SeriesEnd,
  type WeekIndex,
  computeOccurrences,
  monthlyPosition,
  occurrenceDays,
  occurrenceDaysUntil,
} from "./occurrences";
export { type PatternedRecurrence, toPatternedRecurrence } from "./recurrence";
export * from "./slot-search-types";
export { type ZoneOffsets, getZoneOffsets, isValidTimeZone, localToUtc, offsetAt, utcToLocal } from "./zone-offsets";
