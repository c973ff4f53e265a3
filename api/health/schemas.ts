import { z } from "../http/zod";

export const HealthSchema = z
  .object({
    status: z.literal("ok"),
    mode: z.enum(["sandbox", "microsoft365"]),
    storage: z.enum(["sqlite", "postgres"]),
    graphBaseUrl: z.string(),
    sandboxUrl: z.string().optional().openapi({ description: "Sandbox mode only: the Microsoft 365 stand-in." }),
    version: z.string(),
  })
  .openapi("Health");
