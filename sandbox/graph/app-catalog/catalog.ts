/**
 * The tenant app catalog. It holds our app as an org-published app: its catalog `id` differs from
 * the manifest id (`externalId`), which is why the product resolves it with
 * `GET /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>'`.
 */
export const SANDBOX_TEAMS_APP_EXTERNAL_ID = "5c1c0c1e-c1c1-4c1c-9c1c-c0ac41c1e5c5";
/** The catalog id Graph assigns to our app in the sandbox tenant. */
export const SANDBOX_TEAMS_CATALOG_APP_ID = "c47a1091-6c5f-4b0e-9a4e-2a8c2e5b7d31";

export interface CatalogApp {
  id: string;
  externalId: string | null;
  displayName: string;
  distributionMethod: "store" | "organization" | "sideloaded";
}

export interface AppCatalog {
  list(): readonly CatalogApp[];
  find(id: string): CatalogApp | undefined;
  /** Our own app. */
  readonly ours: CatalogApp;
}

export function createAppCatalog(externalId = SANDBOX_TEAMS_APP_EXTERNAL_ID): AppCatalog {
  const ours: CatalogApp = { id: SANDBOX_TEAMS_CATALOG_APP_ID, externalId, displayName: "Coaching Circles", distributionMethod: "organization" };
  const apps: CatalogApp[] = [
    ours,
    // A store app, so filters have something to filter out.
    { id: "com.microsoft.teamspace.tab.planner", externalId: null, displayName: "Tasks by Planner and To Do", distributionMethod: "store" },
  ];
  return { ours, list: () => apps, find: (id) => apps.find((a) => a.id.toLowerCase() === id.toLowerCase()) };
}

/** The catalog id in a `teamsApp@odata.bind` URL (…/appCatalogs/teamsApps/{id}), if it has that shape. */
export function catalogIdFromBind(bind: string): string | undefined {
  return /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind.trim())?.[1];
}
