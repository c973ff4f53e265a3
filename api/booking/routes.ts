import { CircleDetailSchema, CircleIdParamsSchema } from "../circles/schemas";
import { defineRoute, type ApiRoutes } from "../http";
import {
  BookSeriesBodySchema,
  BookSeriesResultSchema,
  CancelSeriesBodySchema,
  JobParamsSchema,
  JobViewSchema,
  MoveOccurrenceBodySchema,
  MoveSeriesBodySchema,
  OccurrenceParamsSchema,
  SkipOccurrenceBodySchema,
} from "./schemas";
import type { BookingService } from "./service";

/** Booking and series changes (issue #3 parts 4–5). Non-members get 404 (circles/access.ts). */
export function registerBookingRoutes(api: ApiRoutes, booking: BookingService): void {
  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/booking",
    operationId: "bookSeries",
    summary: "Book the circle's recurring Teams meeting (a durable job; poll getJob)",
    tags: ["booking"],
    auth: true,
    request: { params: CircleIdParamsSchema, body: BookSeriesBodySchema },
    responses: { 202: BookSeriesResultSchema },
    handler: async ({ caller, params, body }) => ({ status: 202, body: { jobId: await booking.bookSeries(caller, params.circleId, body) } }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/jobs/{jobId}",
    operationId: "getJob",
    summary: "Progress of a booking job, step by step",
    auth: true,
    request: { params: JobParamsSchema },
    responses: { 200: JobViewSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await booking.getJob(caller, params.jobId) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/occurrences/{occurrenceId}/skip",
    operationId: "skipOccurrence",
    summary: "Skip (cancel) one session, with a message to the members",
    tags: ["booking"],
    auth: true,
    request: { params: OccurrenceParamsSchema, body: SkipOccurrenceBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await booking.skipOccurrence(caller, params.circleId, params.occurrenceId, body.message) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/occurrences/{occurrenceId}/move",
    operationId: "moveOccurrence",
    summary: "Move one session to another time",
    tags: ["booking"],
    auth: true,
    request: { params: OccurrenceParamsSchema, body: MoveOccurrenceBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await booking.moveOccurrence(caller, params.circleId, params.occurrenceId, body.start) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/series/move",
    operationId: "moveSeries",
    summary: "Move the series from a date on to a new time",
    tags: ["booking"],
    auth: true,
    request: { params: CircleIdParamsSchema, body: MoveSeriesBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await booking.moveSeries(caller, params.circleId, body.fromDate, body.start) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/series/cancel",
    operationId: "cancelSeries",
    summary: "Cancel the whole series, with a message to the members",
    tags: ["booking"],
    auth: true,
    request: { params: CircleIdParamsSchema, body: CancelSeriesBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await booking.cancelSeries(caller, params.circleId, body.message) }),
  });
}
