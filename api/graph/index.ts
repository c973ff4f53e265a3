/**
 * The Graph layer's public surface. Nothing from @microsoft/microsoft-graph-client or
 * @microsoft/microsoft-graph-types is exported: callers see our types only (style.md #6). Windows
 * time zone names stay inside too (style.md #5): time-zones.ts and date-time.ts are for api/graph/ files.
 */
export { createGraphFactory } from "./client";
export type { AppGraph, BatchOptions, GraphClient, GraphFactory, GraphFactoryOptions, PageOptions, RequestOptions, UserGraph } from "./types";
export { GraphRequestError, isGraphRequestError } from "./errors";
export { MAX_BATCH_SIZE, readBatchItemOrThrow, type BatchMethod, type BatchRequest, type BatchResult } from "./batch";
export type { RetryOptions } from "./retry";
export { DAYS_OF_WEEK, type DayOfWeek, type GraphProfile, type MailboxSettings, type WorkingHours } from "./schemas";
export { getSchedules, splitScheduleWindows, MAX_SCHEDULES_PER_CALL, MAX_SCHEDULE_WINDOW_MS, type BusyInterval, type BusyStatus, type PersonSchedule, type ScheduleQuery } from "./schedule";
export {
  cancelEvent,
  createCategoryRequest,
  createSeriesRequest,
  endSeriesOn,
  findEventByICalUId,
  findSeriesByExtension,
  getEvent,
  getEventRequest,
  instancesRequest,
  listInstances,
  moveOccurrence,
  moveOccurrenceRequest,
  openExtensionId,
  readCategoryResult,
  readEventResult,
  readInstancesResult,
  rescheduleSeries,
  updateAttendees,
  type CalendarEvent,
  type SeriesEventSpec,
} from "./calendar";
export { disableRecordingRequest, findMeetingByJoinUrl, findMeetingByJoinUrlRequest, readMeetingLookup, readMeetingResult, type OnlineMeetingInfo } from "./meetings";
export {
  addTabRequest,
  findCatalogAppRequest,
  installAppRequest,
  isAppInstalled,
  listAppTabs,
  listRecentMessages,
  postMessageRequest,
  readCatalogApp,
  readInstallResult,
  readMessageResult,
  readTabResult,
  type TabSpec,
} from "./chats";
