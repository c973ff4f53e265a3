import express from "express";
import { GraphError, badRequest } from "../errors.js";
import { parseStringLiteral, queryOption } from "../odata.js";
import type { AppCatalog, CatalogApp } from "./catalog.js";

function toGraph(app: CatalogApp) {
  return { id: app.id, externalId: app.externalId, displayName: app.displayName, distributionMethod: app.distributionMethod };
}

/** `GET /appCatalogs/teamsApps` (with `$filter=externalId|id|distributionMethod eq '…'`) and `/{id}`. */
export function createAppCatalogRoutes(catalog: AppCatalog): express.Router {
  const router = express.Router();
  router.get("/appCatalogs/teamsApps", (req, res) => {
    let apps = [...catalog.list()];
    const filter = queryOption(req, "$filter");
    if (filter !== undefined) {
      const m = /^\s*(externalId|id|distributionMethod|displayName)\s+eq\s+(.+)$/i.exec(filter);
      const lit = m ? parseStringLiteral(m[2]!.trim()) : undefined;
      if (!m || !lit || lit.rest.trim() !== "") throw badRequest(`Unsupported $filter '${filter}' on teamsApps: use externalId, id, distributionMethod or displayName eq '…'.`);
      const prop = m[1]!.toLowerCase();
      apps = apps.filter((a) => {
        const v = prop === "externalid" ? a.externalId : prop === "id" ? a.id : prop === "distributionmethod" ? a.distributionMethod : a.displayName;
        return (v ?? "").toLowerCase() === lit.value.toLowerCase();
      });
    }
    res.json({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#appCatalogs/teamsApps", value: apps.map(toGraph) });
  });
  router.get("/appCatalogs/teamsApps/:appId", (req, res) => {
    const app = catalog.find(req.params.appId);
    if (!app) throw new GraphError(404, "NotFound", `No app with id '${req.params.appId}' in the app catalog.`);
    res.json({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#appCatalogs/teamsApps/$entity", ...toGraph(app) });
  });
  return router;
}
