export { createJobRunner, classifyFailure, type JobRunner, type JobRunnerOptions, type JobError } from "./runner";
export { insertJob, findJob, listJobSteps } from "./repository";
export { LeaseLostError, RetryLaterError, type AnyJobHandler, type JobContinuation, type JobHandler, type JobRunContext, type StepDefinition, type StepState, type StepStatus } from "./types";
