/**
 * Attendance from Teams meetings (issue #5 part 6): which sessions were held and who was there,
 * from the online meeting's attendance reports, for the team view and cadence health.
 */
export { createAttendanceService, ATTENDANCE_TTL_MS, type AttendanceCircle, type AttendanceDeps, type AttendanceService, type RefreshOptions } from "./service";
export { attendanceByOccurrence, membersInRecords, occurrenceOfReport, HELD_MIN_MEMBERS, PRESENT_MIN_SECONDS, type CircleMemberRef, type OccurrenceAttendance, type OccurrenceSlot, type StoredAttendanceReport } from "./match";
