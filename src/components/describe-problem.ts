import { isApiError } from "../lib/api-error";
import { isHostError } from "../host";
import { OfficeError } from "../host";

/** A sentence for the user about any failure; our error types already carry one. */
export function describeProblem(error: unknown): string {
  if (isApiError(error) || isHostError(error) || error instanceof OfficeError) return error.message;
  return "Something unexpected happened. Reload the page and try again.";
}
