import { ERROR_CODES } from "../shared/errors";
import { z } from "./zod";

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [string, ...string[]]).openapi({ description: "Stable machine-readable code; clients switch on it." }),
      message: z.string().openapi({ description: "Human-readable explanation." }),
    }),
  })
  .openapi("ErrorEnvelope");
