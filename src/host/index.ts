// The host boundary: everything the rest of src/ may use from TeamsJS and Office.js.
export { connectHost, defaultInitializeTimeoutMs } from "./connect-host";
export type { ConnectHostOptions, Host, SignIn } from "./connect-host";
export type { FrameContext, HostContext, HostKind, HostUser, ThemeName } from "./host-context";
export { HostError, isHostError } from "./host-error";
export type { HostErrorCode } from "./host-error";
export type { HostCapabilities, SaveEvent, StageSharingCapability, TabConfig, TabConfigCapability } from "./capabilities";
export { HostProvider, useHost, useHostContext } from "./host-provider";
export { fluentThemes } from "./fluent-theme";
export type { DemoUser, SandboxIdentity } from "./sandbox-identity";
export { waitForOffice } from "./office/office-ready";
export type { OfficeSession } from "./office/office-ready";
export type { AppointmentComposer, SeriesPattern } from "./office/appointment-composer";
export { OfficeError } from "./office/office-async";
