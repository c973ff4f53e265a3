/**
 * The sandbox's well-known identity values. They mirror sandbox/seed/people.ts on purpose:
 * product code never imports the sandbox (see eslint.config.js), so the API keeps its own copy
 * of what any client would configure for a tenant it trusts.
 */
export const SANDBOX_TENANT_ID = "8a6f1c2e-4b7d-4c1e-9f3a-2d5e6b7c8a90";
/** Our app's client id in the sandbox tenant: the `aud` of tokens for our API. */
export const SANDBOX_APP_CLIENT_ID = "c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11";
export const DEFAULT_SANDBOX_URL = "http://localhost:3001";
/**
 * Our Teams app's manifest id in the sandbox's app catalog (sandbox/graph/app-catalog/catalog.ts),
 * used when TEAMS_APP_ID is not set in sandbox mode.
 */
export const SANDBOX_TEAMS_APP_EXTERNAL_ID = "5c1c0c1e-c1c1-4c1c-9c1c-c0ac41c1e5c5";
