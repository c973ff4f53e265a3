export { loadConfig, ConfigError } from "./config";
export type { AppConfig, AppMode, StorageConfig, TokenValidationConfig, MsalConfig } from "./config";
export { SANDBOX_TENANT_ID, SANDBOX_APP_CLIENT_ID, SANDBOX_TEAMS_APP_EXTERNAL_ID, DEFAULT_SANDBOX_URL } from "./sandbox-identity";
