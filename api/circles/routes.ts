import { defineRoute, type ApiRoutes } from "../http";
import { copyFormatForCaller, listFormats, updateOwnFormat } from "./formats/service";
import {
  AddMemberBodySchema,
  CircleDetailSchema,
  CircleIdParamsSchema,
  CircleListSchema,
  CopyFormatBodySchema,
  CreateCircleBodySchema,
  FormatListSchema,
  FormatParamsSchema,
  FormatViewSchema,
  MemberParamsSchema,
  SearchSlotsBodySchema,
  SlotSearchResultSchema,
  UpdateCircleBodySchema,
  UpdateFormatBodySchema,
} from "./schemas";
import { addMember, createCircle, getCircle, listMyCircles, removeMember, updateCircle, type CirclesDeps } from "./service";
import { searchSlots } from "./slot-search";

/**
 * Circles, their members, formats and the fair-time search (issue #3). Every circle-scoped route
 * answers 404 to non-members (access.ts). `deps.series` is booking's SeriesPort, wired in app.ts.
 */
export function registerCircleRoutes(api: ApiRoutes, deps: CirclesDeps): void {
  defineRoute(api, {
    method: "get",
    path: "/api/circles",
    operationId: "listMyCircles",
    summary: "Circles the signed-in user belongs to",
    auth: true,
    responses: { 200: CircleListSchema },
    handler: async ({ caller }) => ({ status: 200, body: { circles: await listMyCircles(deps, caller) } }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles",
    operationId: "createCircle",
    summary: "Create a circle (3–8 people) or a pair (2) with the caller as organiser",
    description: "Members are UPNs from the directory; an unknown one is a 400 naming it, and nothing is stored on any error.",
    auth: true,
    request: { body: CreateCircleBodySchema },
    responses: { 201: CircleDetailSchema },
    handler: async ({ caller, body }) => ({ status: 201, body: await createCircle(deps, caller, body) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/circles/{circleId}",
    operationId: "getCircle",
    summary: "One circle the caller belongs to, with its series as Outlook has it",
    auth: true,
    request: { params: CircleIdParamsSchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await getCircle(deps, caller, params.circleId) }),
  });

  defineRoute(api, {
    method: "patch",
    path: "/api/circles/{circleId}",
    operationId: "updateCircle",
    summary: "Change a circle's name, purpose, charter or role rotation (organiser only)",
    auth: true,
    request: { params: CircleIdParamsSchema, body: UpdateCircleBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await updateCircle(deps, caller, params.circleId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/members",
    operationId: "addMember",
    summary: "Add someone from the directory to the circle (organiser only); the booked series follows",
    auth: true,
    request: { params: CircleIdParamsSchema, body: AddMemberBodySchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await addMember(deps, caller, params.circleId, body.upn) }),
  });

  defineRoute(api, {
    method: "delete",
    path: "/api/circles/{circleId}/members/{memberId}",
    operationId: "removeMember",
    summary: "Leave the circle (your own id) or remove a member (organiser); the booked series follows",
    auth: true,
    request: { params: MemberParamsSchema },
    responses: { 200: CircleDetailSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await removeMember(deps, caller, params.circleId, params.memberId) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/slots",
    operationId: "searchSlots",
    summary: "The best recurring times for every member over the whole series",
    description:
      "Free/busy and working hours of every member over all sessions; up to 5 slots, best first, each with conflicts by date, who is outside working hours, everyone's local time (and DST shifts) and a plain-text explanation. When no slot is within everyone's hours, a rotation shares the burden.",
    auth: true,
    request: { params: CircleIdParamsSchema, body: SearchSlotsBodySchema },
    responses: { 200: SlotSearchResultSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await searchSlots(deps, caller, params.circleId, body) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/formats",
    operationId: "listFormats",
    summary: "The built-in formats and the caller's own copies",
    auth: true,
    responses: { 200: FormatListSchema },
    handler: async ({ caller }) => ({ status: 200, body: { formats: await listFormats(deps, caller) } }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/formats",
    operationId: "copyFormat",
    summary: "Copy a format (optionally renamed, with edited segments); the copy is the caller's",
    auth: true,
    request: { body: CopyFormatBodySchema },
    responses: { 201: FormatViewSchema },
    handler: async ({ caller, body }) => {
      const { fromFormatId, ...changes } = body;
      return { status: 201, body: await copyFormatForCaller(deps, caller, fromFormatId, changes) };
    },
  });

  defineRoute(api, {
    method: "patch",
    path: "/api/formats/{formatId}",
    operationId: "updateFormat",
    summary: "Edit one of the caller's own copies (name, description, segments)",
    auth: true,
    request: { params: FormatParamsSchema, body: UpdateFormatBodySchema },
    responses: { 200: FormatViewSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await updateOwnFormat(deps, caller, params.formatId, body) }),
  });
}
