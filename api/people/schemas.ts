import { z } from "../http/zod";

/** `$select` for {@link GraphUserSchema}: `department` is not a default user property. */
export const USER_SELECT = "id,displayName,userPrincipalName,mail,jobTitle,department";

/** A directory user as Graph returns it for `$select=${USER_SELECT}`; unset text fields become null. */
export const GraphUserSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish().transform((v) => v ?? ""),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullish().transform((v) => v ?? null),
  jobTitle: z.string().nullish().transform((v) => v ?? null),
  department: z.string().nullish().transform((v) => v ?? null),
});
export type GraphUser = z.output<typeof GraphUserSchema>;

export const GraphUserPageSchema = z.object({ value: z.array(GraphUserSchema) });

export const SearchPeopleQuerySchema = z.object({
  q: z.string().trim().min(1).max(100).openapi({ description: "Start of a name, e-mail address or UPN", example: "meg" }),
});

export const PersonSchema = z
  .object({
    id: z.string().openapi({ description: "Entra object id" }),
    upn: z.string(),
    displayName: z.string(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
  })
  .openapi("Person");
export type Person = z.infer<typeof PersonSchema>;

export const PeopleListSchema = z.object({ people: z.array(PersonSchema).max(10) }).openapi("PeopleList");
