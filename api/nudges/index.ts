export { createNudgeService, type Nudge, type NudgeService, type NudgeServiceDeps } from "./service";
export { NudgeKindSchema, type NudgeKind } from "./schemas";
