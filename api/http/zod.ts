import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

// Adds `.openapi("Name", {...})` to every zod schema (zod-to-openapi v8). Schema files import `z`
// from here, so the extension is installed before any schema calls `.openapi`.
extendZodWithOpenApi(z);

export { z };
