import { defineRoute, type ApiRoutes } from "../http";
import {
  AdjustProgramBodySchema,
  BookProgramBodySchema,
  BookProgramResultSchema,
  CohortBookingSchema,
  CreateProgramBodySchema,
  EnrolBodySchema,
  EnrolResultSchema,
  FormProgramBodySchema,
  ProgramParamsSchema,
  ProgramViewSchema,
} from "./schemas-http";
import type { ProgramsService } from "./service";

/** Program routes (issue #5 part 5). Only a program's owner sees it; others get 404. */
export function registerProgramRoutes(api: ApiRoutes, programs: ProgramsService): void {
  defineRoute(api, {
    method: "post",
    path: "/api/programs",
    operationId: "createProgram",
    summary: "Create a program (the caller owns it)",
    tags: ["programs"],
    auth: true,
    request: { body: CreateProgramBodySchema },
    responses: { 201: ProgramViewSchema },
    handler: async ({ caller, body }) => ({ status: 201, body: await programs.createProgram(caller, body) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/programs/{programId}",
    operationId: "getProgram",
    summary: "A program: pool, draft circles with explanations, cohort booking progress",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema },
    responses: { 200: ProgramViewSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await programs.getProgram(caller, params.programId) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/programs/{programId}/enrolments",
    operationId: "enrolPeople",
    summary: "Enrol people by UPN list or CSV (header `upn`); unknown people are listed back as rejected",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, body: EnrolBodySchema },
    responses: { 200: EnrolResultSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await programs.enrolPeople(caller, params.programId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/programs/{programId}/circles/form",
    operationId: "formProgramCircles",
    summary: "Form circles from the pool and store them as a draft",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, body: FormProgramBodySchema },
    responses: { 200: ProgramViewSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await programs.formProgramCircles(caller, params.programId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/programs/{programId}/circles/adjust",
    operationId: "adjustProgramCircles",
    summary: "Move a person into another draft circle (manager–report pairs are refused)",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, body: AdjustProgramBodySchema },
    responses: { 200: ProgramViewSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await programs.adjustProgramCircles(caller, params.programId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/programs/{programId}/booking",
    operationId: "bookProgram",
    summary: "Create and book every draft circle; one cohort job id (poll getProgramBooking)",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, body: BookProgramBodySchema },
    responses: { 202: BookProgramResultSchema },
    handler: async ({ caller, params, body }) => ({ status: 202, body: { jobId: await programs.bookProgram(caller, params.programId, body) } }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/programs/{programId}/booking",
    operationId: "getProgramBooking",
    summary: "Cohort booking progress: booked circles over all circles",
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema },
    responses: { 200: CohortBookingSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await programs.getCohortBooking(caller, params.programId) }),
  });
}
