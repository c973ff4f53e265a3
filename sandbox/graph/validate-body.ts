import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { badRequest } from "./errors.js";

/**
 * Request-body validation against Microsoft's Graph v1.0 schema (the OpenAPI subset in
 * shared/reference/graph). Graph answers 400 for a property its type does not declare — even on
 * types the CSDL marks open, such as `event` — so we reject every undeclared property (following
 * `$ref`, `allOf` inheritance, nested objects and arrays) and only let extension types
 * (`microsoft.graph.openTypeExtension`) carry dynamic properties, which is what they exist for.
 */
export interface BodyValidator {
  /**
   * Throws GraphError 400 naming the offending property. `typeName` is a schema name
   * ("microsoft.graph.event") or a path of the subset ("/me/calendar/getSchedule": its POST body).
   */
  validate(typeName: string, body: unknown): void;
  /** False when the schema file was missing and validation is permissive. */
  readonly strict: boolean;
  /** Structural (non-navigation) property names of a type, inherited ones included; undefined when permissive. */
  propertyNames(typeName: string): string[] | undefined;
}

interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  maxItems?: number;
  "x-ms-abstract"?: boolean;
  "x-ms-navigationProperty"?: boolean;
  "x-ms-derived-types-in-subset"?: string[];
}

const SchemaZ: z.ZodType<OpenApiSchema> = z.lazy(() =>
  z.looseObject({
    $ref: z.string().optional(),
    allOf: z.array(SchemaZ).optional(),
    anyOf: z.array(SchemaZ).optional(),
    type: z.string().optional(),
    format: z.string().optional(),
    nullable: z.boolean().optional(),
    enum: z.array(z.unknown()).optional(),
    properties: z.record(z.string(), SchemaZ).optional(),
    items: SchemaZ.optional(),
    maxItems: z.number().optional(),
    "x-ms-abstract": z.boolean().optional(),
    "x-ms-navigationProperty": z.boolean().optional(),
    "x-ms-derived-types-in-subset": z.array(z.string()).optional(),
  }),
);

const OpenApiDocZ = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), SchemaZ) }),
});
const PathPostZ = z.object({
  requestBody: z.object({ content: z.object({ "application/json": z.object({ schema: SchemaZ }) }) }),
});

type OpenApiDoc = z.infer<typeof OpenApiDocZ>;

const REF_PREFIX = "#/components/schemas/";
/** Only extensions hold dynamic properties; see the module comment. */
const OPEN_BASE_TYPE = "microsoft.graph.extension";

const DATE_TIME = /^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4,}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PropertyDef {
  name: string;
  schema: OpenApiSchema;
}

class SchemaValidator implements BodyValidator {
  readonly strict = true;
  private readonly schemas: Record<string, OpenApiSchema>;
  private readonly lowerNames = new Map<string, string>();
  private readonly propCache = new Map<string, Map<string, PropertyDef>>();

  constructor(private readonly doc: OpenApiDoc) {
    this.schemas = doc.components.schemas;
    for (const name of Object.keys(this.schemas)) this.lowerNames.set(name.toLowerCase(), name);
  }

  validate(typeName: string, body: unknown): void {
    if (typeName.startsWith("/")) {
      const post = PathPostZ.safeParse(this.doc.paths[typeName]?.post);
      if (!post.success) throw new Error(`validateBody: no POST body schema for path '${typeName}' in the Graph subset`);
      const schema = post.data.requestBody.content["application/json"].schema;
      this.checkObject(propsOf(schema.properties ?? {}), false, typeName, body, "");
      return;
    }
    if (!this.schemas[typeName]) throw new Error(`validateBody: unknown Graph type '${typeName}'`);
    this.checkNamedObject(typeName, body, "");
  }

  propertyNames(typeName: string): string[] | undefined {
    if (!this.schemas[typeName]) return undefined;
    return [...this.propertiesOf(typeName).values()].filter((d) => !d.schema["x-ms-navigationProperty"]).map((d) => d.name);
  }

  private propertiesOf(typeName: string): Map<string, PropertyDef> {
    const cached = this.propCache.get(typeName);
    if (cached) return cached;
    const out = new Map<string, PropertyDef>();
    const schema = this.schemas[typeName];
    const parts = schema?.allOf ?? (schema ? [schema] : []);
    for (const part of parts) {
      if (part.$ref) for (const [k, v] of this.propertiesOf(refName(part.$ref))) out.set(k, v);
      for (const [k, v] of propsOf(part.properties ?? {})) out.set(k, v);
    }
    this.propCache.set(typeName, out);
    return out;
  }

  private ancestorsOf(typeName: string): string[] {
    const parents = (this.schemas[typeName]?.allOf ?? []).flatMap((p) => (p.$ref ? [refName(p.$ref)] : []));
    return [typeName, ...parents.flatMap((p) => this.ancestorsOf(p))];
  }

  private isAbstract(typeName: string): boolean {
    const schema = this.schemas[typeName];
    return Boolean(schema?.["x-ms-abstract"] || schema?.allOf?.some((p) => !p.$ref && p["x-ms-abstract"]));
  }

  private checkNamedObject(declared: string, value: unknown, path: string): void {
    if (!isPlainObject(value)) throw badRequest(`Invalid value for property '${leaf(path)}'${at(path)}: expected an object of type '${declared}'.`);
    let typeName = declared;
    const odataType = value["@odata.type"];
    if (odataType !== undefined) {
      const named = typeof odataType === "string" ? this.lowerNames.get(odataType.replace(/^#/, "").toLowerCase()) : undefined;
      if (!named || !this.ancestorsOf(named).includes(declared)) {
        throw badRequest(`Invalid @odata.type '${String(odataType)}'${at(path)}: it is not '${declared}' or a type derived from it.`);
      }
      typeName = named;
    }
    if (this.isAbstract(typeName)) {
      throw badRequest(`Type '${typeName}' is abstract${at(path)}: set '@odata.type' to a concrete derived type.`);
    }
    const open = this.ancestorsOf(typeName).includes(OPEN_BASE_TYPE);
    this.checkObject(this.propertiesOf(typeName), open, typeName, value, path);
  }

  private checkObject(props: Map<string, PropertyDef>, open: boolean, typeLabel: string, value: unknown, path: string): void {
    if (!isPlainObject(value)) throw badRequest(`Invalid value${at(path)}: expected an object of type '${typeLabel}'.`);
    for (const [key, v] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.startsWith("@")) continue; // instance annotations: @odata.type, @odata.etag, …
      const annotation = key.indexOf("@");
      if (annotation > 0) {
        const prop = key.slice(0, annotation);
        if (!props.has(prop.toLowerCase()) && !open) throw badRequest(`Invalid property '${prop}'${at(childPath)}: '${typeLabel}' has no property '${prop}' to annotate.`);
        if (key.slice(annotation).toLowerCase() === "@odata.bind" && typeof v !== "string" && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) {
          throw badRequest(`Invalid value for '${key}'${at(childPath)}: expected a URL string.`);
        }
        continue;
      }
      // Graph matches property names case-insensitively (OData's case-insensitive resolver).
      const def = props.get(key.toLowerCase());
      if (!def) {
        if (open) continue;
        throw badRequest(`Invalid property '${key}'.${path ? ` (at ${childPath})` : ""} '${typeLabel}' does not declare it.`);
      }
      this.checkValue(def.schema, v, childPath);
    }
  }

  private checkValue(schema: OpenApiSchema, value: unknown, path: string): void {
    if (schema.$ref) {
      this.checkRef(refName(schema.$ref), value, path);
      return;
    }
    if (schema.anyOf) {
      if (value === null && schema.anyOf.some((b) => b.nullable)) return;
      const branches = schema.anyOf.filter((b) => !(b.nullable && b.type === "object" && !b.properties && !b.$ref));
      let first: unknown;
      for (const branch of branches) {
        try {
          this.checkValue(branch, value, path);
          return;
        } catch (err) {
          first ??= err;
        }
      }
      if (first) throw first;
      return;
    }
    if (schema.allOf) {
      for (const part of schema.allOf) this.checkValue(part, value, path);
      return;
    }
    if (value === null) {
      if (schema.nullable || schema.type === undefined) return;
      throw badRequest(`Invalid value for property '${leaf(path)}'${at(path)}: null is not allowed.`);
    }
    switch (schema.type) {
      case undefined:
        return;
      case "object":
        if (schema.properties) this.checkObject(propsOf(schema.properties), false, "object", value, path);
        else if (typeof value !== "object" || value === null) throw typeError(path, "an object");
        return;
      case "array":
        if (!Array.isArray(value)) throw typeError(path, "an array");
        value.forEach((item, i) => schema.items && this.checkValue(schema.items, item, `${path}[${i}]`));
        return;
      case "string":
        if (typeof value !== "string") throw typeError(path, "a string");
        checkFormat(schema.format, value, path);
        if (schema.enum) checkEnum(schema.enum, value, path);
        return;
      case "integer":
        if (typeof value !== "number" || !Number.isInteger(value)) throw typeError(path, "an integer");
        return;
      case "number":
        if (typeof value !== "number" && !(typeof value === "string" && ["NaN", "INF", "-INF"].includes(value))) throw typeError(path, "a number");
        return;
      case "boolean":
        if (typeof value !== "boolean") throw typeError(path, "a boolean");
        return;
      default:
        return;
    }
  }

  private checkRef(typeName: string, value: unknown, path: string): void {
    const target = this.schemas[typeName];
    if (!target) return;
    if (target.enum) {
      if (typeof value !== "string") throw typeError(path, `one of ${target.enum.join(", ")}`);
      checkEnum(target.enum, value, path);
      return;
    }
    if (target.allOf || target.type === "object" || target.properties) {
      this.checkNamedObject(typeName, value, path);
      return;
    }
    this.checkValue(target, value, path);
  }
}

function propsOf(properties: Record<string, OpenApiSchema>): Map<string, PropertyDef> {
  return new Map(Object.entries(properties).map(([name, schema]) => [name.toLowerCase(), { name, schema }]));
}

function refName(ref: string): string {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function leaf(path: string): string {
  return path.split(".").pop()?.replace(/\[\d+\]$/, "") || "body";
}

function at(path: string): string {
  return path ? ` (at ${path})` : "";
}

function typeError(path: string, expected: string) {
  return badRequest(`Invalid value for property '${leaf(path)}'${at(path)}: expected ${expected}.`);
}

function checkEnum(values: unknown[], value: string, path: string): void {
  // Graph parses enum members case-insensitively ("Weekly" works like "weekly").
  if (!values.some((e) => typeof e === "string" && e.toLowerCase() === value.toLowerCase())) {
    throw badRequest(`Invalid value '${value}' for property '${leaf(path)}'${at(path)}: expected one of ${values.join(", ")}.`);
  }
}

function checkFormat(format: string | undefined, value: string, path: string): void {
  const ok =
    format === "date-time" ? DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.endsWith("Z") || /[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`))
    : format === "date" ? DATE.test(value)
    : format === "time" ? TIME.test(value)
    : format === "uuid" ? UUID.test(value)
    : true;
  if (!ok) throw badRequest(`Invalid value '${value}' for property '${leaf(path)}'${at(path)}: expected format ${format}.`);
}

const permissive: BodyValidator = { strict: false, validate: () => undefined, propertyNames: () => undefined };

/** Where the Graph subset lives: `<repo>/../shared/reference/…`, or GRAPH_OPENAPI_SUBSET_PATH. */
export function defaultSchemaPath(): string {
  return process.env.GRAPH_OPENAPI_SUBSET_PATH ?? fileURLToPath(new URL("../../../shared/reference/graph/graph-openapi-subset.json", import.meta.url));
}

let cached: { path: string; validator: BodyValidator } | undefined;

/**
 * Loads the schema once per process (it is read-only reference data). A deployment without
 * shared/ gets permissive validation and a warning instead of a crash.
 */
export function loadBodyValidator(path = defaultSchemaPath()): BodyValidator {
  if (cached?.path === path) return cached.validator;
  let validator: BodyValidator;
  if (!existsSync(path)) {
    console.warn(`[sandbox] Graph schema not found at ${path}: request bodies are NOT validated.`);
    validator = permissive;
  } else {
    validator = new SchemaValidator(OpenApiDocZ.parse(JSON.parse(readFileSync(path, "utf8"))));
  }
  cached = { path, validator };
  return validator;
}
