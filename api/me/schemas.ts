import { z } from "../http/zod";

export const MeSchema = z
  .object({
    id: z.string().openapi({ description: "Entra object id" }),
    displayName: z.string(),
    userPrincipalName: z.string(),
    mail: z.string().nullable(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    timeZone: z.string().openapi({ description: "IANA time zone of the user's mailbox", example: "Europe/Berlin" }),
  })
  .openapi("Me");
export type Me = z.infer<typeof MeSchema>;
