/**
 * Connection settings, resolved in the provider process (never passed as resource inputs and never
 * captured in the serialized provider):
 *   - how to sign in: one coherent set from the first source that names one (sign-in.ts);
 *   - which cloud: `environment` / `metadataHost`, or explicit endpoints (cloud.ts);
 *   - the Graph API version and the retry and consistency bounds (retryDeadlineSeconds,
 *     maxRetries, consistencyTimeoutSeconds; see retry/policy.ts);
 *   - what a preview of a schema change reports about its impact (impactSampleSize, impactDetail,
 *     impactReport, impactRedact; see ../impact/).
 * Settings that are not credentials are read one by one, first hit wins: stack config
 * `entra-sync:<name>`, then `azuread:<name>` for the names azuread has, then the environment.
 */

import { chooseCloud, type CloudChoice, type CloudSettings, type Named } from "./cloud";
import { type ConfigSource, resolveSignIn, type SignInSettings } from "./sign-in";
import { ConfigurationError } from "./user-facing";

export type { ConfigSource } from "./sign-in";

export interface ConnectionSettings {
  /** How to sign in (see sign-in.ts); its tenant and client id are repeated below. */
  signIn: SignInSettings;
  tenantId?: string;
  clientId?: string;
  /** The cloud: known now, or read from a metadata host before the first request (cloud.ts). */
  cloud: CloudChoice;
  /**
   * Where Graph requests go. For a cloud read from a metadata host it is not known yet: then this
   * is the metadata service's address, which tells tenants apart just as well (ownership keys).
   */
  graphEndpoint: string;
  graphApiVersion: "v1.0" | "beta";
  /** Deadline for waiting out eventual consistency (new jobs, secrets, deletes). */
  consistencyTimeoutMs: number;
  /** How long one Graph call may keep retrying throttling and transient failures. */
  retryDeadlineMs: number;
  /** How many times one Graph call is sent again after throttling or transient failures. */
  maxRetries: number;
  /** The impact a preview of a schema change reports (../impact/). */
  impact: ImpactSettings;
}

/** What a preview of a schema change predicts of the next provisioning cycle (../impact/). */
export interface ImpactSettings {
  /** Users and groups sampled (each); 0 turns the impact preview off. */
  sampleSize: number;
  /** "compact" (default) or "full": every example and who enters and leaves scope. */
  detail: "compact" | "full";
  /** Where to write the report as JSON, if anywhere. */
  reportPath?: string;
  /** Mask every value: counts only. */
  redact: boolean;
}

const DEFAULT_IMPACT_SAMPLE_SIZE = 200;

type Env = Record<string, string | undefined>;

interface SettingSource {
  /** Config key name under `entra-sync:`. */
  config: string;
  /** Whether azuread has the same key (then `azuread:<config>` is read too). */
  azuread?: true;
  /** Environment variables, in order. */
  env: string[];
}

const SOURCES = {
  environment: { config: "environment", azuread: true, env: ["ARM_ENVIRONMENT"] },
  metadataHost: { config: "metadataHost", azuread: true, env: ["ARM_METADATA_HOSTNAME"] },
  authorityHost: { config: "authorityHost", env: ["AZURE_AUTHORITY_HOST"] },
  graphEndpoint: { config: "graphEndpoint", env: ["ENTRA_SYNC_GRAPH_ENDPOINT"] },
  graphApiVersion: { config: "graphApiVersion", env: ["ENTRA_SYNC_GRAPH_API_VERSION"] },
  consistencyTimeoutSeconds: { config: "consistencyTimeoutSeconds", env: ["ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS"] },
  retryDeadlineSeconds: { config: "retryDeadlineSeconds", env: ["ENTRA_SYNC_RETRY_DEADLINE_SECONDS"] },
  maxRetries: { config: "maxRetries", env: ["ENTRA_SYNC_MAX_RETRIES"] },
  impactSampleSize: { config: "impactSampleSize", env: ["ENTRA_SYNC_IMPACT_SAMPLE_SIZE"] },
  impactDetail: { config: "impactDetail", env: ["ENTRA_SYNC_IMPACT_DETAIL"] },
  impactReport: { config: "impactReport", env: ["ENTRA_SYNC_IMPACT_REPORT"] },
  impactRedact: { config: "impactRedact", env: ["ENTRA_SYNC_IMPACT_REDACT"] },
} satisfies Record<string, SettingSource>;

const DEFAULT_CONSISTENCY_TIMEOUT_MS = 5 * 60_000;
/** Long enough for a few Retry-After waits of real Graph throttling, short enough to fail a run visibly. */
export const DEFAULT_RETRY_DEADLINE_MS = 2 * 60_000;
/** As many as Graph's own SDK allows (3) plus room for a throttled burst. */
export const DEFAULT_MAX_RETRIES = 5;

export function resolveConnectionSettings(config: ConfigSource | undefined, env: Env = process.env): ConnectionSettings {
  const pick = (source: SettingSource): Named | undefined => {
    for (const ns of source.azuread ? ["entra-sync", "azuread"] : ["entra-sync"]) {
      const name = `${ns}:${source.config}`;
      const v = config?.get(name);
      if (v !== undefined && v.trim() !== "") return { value: v.trim(), name };
    }
    for (const name of source.env) {
      const v = env[name];
      if (v !== undefined && v.trim() !== "") return { value: v.trim(), name };
    }
    return undefined;
  };
  const versionSetting = pick(SOURCES.graphApiVersion);
  const version = versionSetting?.value ?? "v1.0";
  if (version !== "v1.0" && version !== "beta") {
    throw new ConfigurationError(`${versionSetting!.name} must be "v1.0" or "beta", got "${version}"`);
  }
  // Number() reads "Infinity" and "1e400" as Infinity: a bound that never ends is refused too.
  const timeout = pick(SOURCES.consistencyTimeoutSeconds);
  if (timeout && !(Number(timeout.value) > 0 && Number.isFinite(Number(timeout.value)))) {
    throw new ConfigurationError(`${timeout.name} must be a positive number of seconds, got "${timeout.value}"`);
  }
  const retryDeadline = pick(SOURCES.retryDeadlineSeconds);
  if (retryDeadline && !(Number(retryDeadline.value) >= 0 && Number.isFinite(Number(retryDeadline.value)))) {
    throw new ConfigurationError(`${retryDeadline.name} must be a number of seconds (0 or more), got "${retryDeadline.value}"`);
  }
  const maxRetries = pick(SOURCES.maxRetries);
  if (maxRetries && !(/^\d+$/.test(maxRetries.value) && Number.isSafeInteger(Number(maxRetries.value)))) {
    throw new ConfigurationError(`${maxRetries.name} must be a whole number (0 or more), got "${maxRetries.value}"`);
  }
  const impact = impactSettings(pick);
  const cloudSettings: CloudSettings = {
    environment: pick(SOURCES.environment),
    metadataHost: pick(SOURCES.metadataHost),
    authorityHost: pick(SOURCES.authorityHost),
    graphEndpoint: pick(SOURCES.graphEndpoint),
  };
  const cloud = chooseCloud(cloudSettings);
  const signIn = resolveSignIn(config, env);
  return {
    signIn,
    tenantId: signIn.tenantId?.value,
    clientId: signIn.clientId?.value,
    cloud,
    graphEndpoint: cloud.kind === "known" ? cloud.cloud.graphEndpoint : `https://${cloud.metadataHost.value}`,
    graphApiVersion: version,
    consistencyTimeoutMs: timeout ? Number(timeout.value) * 1000 : DEFAULT_CONSISTENCY_TIMEOUT_MS,
    retryDeadlineMs: retryDeadline ? Number(retryDeadline.value) * 1000 : DEFAULT_RETRY_DEADLINE_MS,
    maxRetries: maxRetries ? Number(maxRetries.value) : DEFAULT_MAX_RETRIES,
    impact,
  };
}

function impactSettings(pick: (source: SettingSource) => Named | undefined): ImpactSettings {
  const size = pick(SOURCES.impactSampleSize);
  if (size && !(/^\d+$/.test(size.value) && Number(size.value) <= 100_000)) {
    throw new ConfigurationError(`${size.name} must be a whole number from 0 (off) to 100000, got "${size.value}"`);
  }
  const detail = pick(SOURCES.impactDetail);
  if (detail && detail.value !== "compact" && detail.value !== "full") {
    throw new ConfigurationError(`${detail.name} must be "compact" or "full", got "${detail.value}"`);
  }
  const redact = pick(SOURCES.impactRedact);
  if (redact && !/^(true|false)$/i.test(redact.value)) {
    throw new ConfigurationError(`${redact.name} must be true or false, got "${redact.value}"`);
  }
  const report = pick(SOURCES.impactReport);
  return {
    sampleSize: size ? Number(size.value) : DEFAULT_IMPACT_SAMPLE_SIZE,
    detail: (detail?.value as ImpactSettings["detail"] | undefined) ?? "compact",
    ...(report ? { reportPath: report.value } : {}),
    redact: redact ? redact.value.toLowerCase() === "true" : false,
  };
}

/**
 * The settings of this provider process. `configure()` of every resource's shim sets them from the
 * stack config; until then (e.g. tests calling handlers directly) the environment alone is used.
 */
let current: ConnectionSettings | undefined;

export function configureConnection(config: ConfigSource | undefined): void {
  current = resolveConnectionSettings(config);
}

export function connectionSettings(): ConnectionSettings {
  return current ?? resolveConnectionSettings(undefined);
}

/** For tests: forget what configure() set, so the environment is read again. */
export function resetConnectionSettings(): void {
  current = undefined;
}
