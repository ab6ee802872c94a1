/**
 * Which Microsoft cloud the provider talks to. A cloud is a pair that only works together: the
 * authority that signs in (login.microsoftonline.us) and the Graph that accepts its tokens
 * (graph.microsoft.us), plus the resource the token is asked for. So the cloud is chosen once, by
 * name (`environment`, as azuread spells it), by an Azure metadata host (`metadataHost`, for custom
 * clouds such as Azure Stack), or implied by an explicit endpoint of a known cloud; explicit
 * endpoints elsewhere (an emulator, a proxy) move where requests go without changing the cloud.
 */

import { ConfigurationError } from "./user-facing";

export interface Cloud {
  /** "public", "usgovernment", "dod", "china", or the name a metadata host gives. */
  name: string;
  /** Where sign-in goes: `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Where Graph requests go: `https://graph.microsoft.com`. */
  graphEndpoint: string;
  /** What the access token is asked for (`<resource>/.default`) and what Graph checks as its audience. */
  graphResource: string;
}

/** The clouds azuread knows (go-azure-sdk's environments), by their canonical names. */
export const CLOUDS: Readonly<Record<"public" | "usgovernment" | "dod" | "china", Cloud>> = {
  public: {
    name: "public",
    authorityHost: "https://login.microsoftonline.com",
    graphEndpoint: "https://graph.microsoft.com",
    graphResource: "https://graph.microsoft.com",
  },
  usgovernment: {
    name: "usgovernment",
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://graph.microsoft.us",
    graphResource: "https://graph.microsoft.us",
  },
  dod: {
    name: "dod",
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://dod-graph.microsoft.us",
    graphResource: "https://dod-graph.microsoft.us",
  },
  china: {
    name: "china",
    authorityHost: "https://login.chinacloudapi.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
  },
};

/** Names azuread, Terraform and the Azure CLI use for the same clouds (compared without case). */
const CLOUD_NAMES: Record<string, keyof typeof CLOUDS> = {
  public: "public",
  global: "public",
  azurecloud: "public",
  usgovernment: "usgovernment",
  usgovernmentl4: "usgovernment",
  azureusgovernment: "usgovernment",
  dod: "dod",
  usgovernmentl5: "dod",
  china: "china",
  azurechinacloud: "china",
};

/** One setting as the user gave it, with the name to quote when it is wrong. */
export interface Named<T = string> {
  value: T;
  /** "entra-sync:environment", "ARM_ENVIRONMENT", ... */
  name: string;
}

export interface CloudSettings {
  environment?: Named;
  metadataHost?: Named;
  authorityHost?: Named;
  graphEndpoint?: Named;
}

/** The cloud, known now, or to be read from a metadata host before the first request. */
export type CloudChoice = { kind: "known"; cloud: Cloud } | { kind: "metadata"; metadataHost: Named; overrides: CloudSettings };

export function chooseCloud(s: CloudSettings): CloudChoice {
  const authority = s.authorityHost && normalizedUrl(s.authorityHost);
  const graph = s.graphEndpoint && normalizedUrl(s.graphEndpoint);
  if (s.metadataHost) {
    // azuread reads the cloud from the metadata host and ignores `environment` then.
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(s.metadataHost.value)) {
      throw new ConfigurationError(`${s.metadataHost.name} must be a host name such as management.azure.com (the Azure metadata service), without https:// or a path`);
    }
    return { kind: "metadata", metadataHost: s.metadataHost, overrides: s };
  }

  let base: Cloud = CLOUDS.public;
  let chosenBy: string | undefined;
  if (s.environment) {
    const key = CLOUD_NAMES[s.environment.value.trim().toLowerCase()];
    if (!key) {
      const retired = /^germany?$/i.test(s.environment.value.trim()) ? " (Microsoft Cloud Deutschland was closed in 2021)" : "";
      throw new ConfigurationError(`${s.environment.name} must be one of public (or global), usgovernment, dod or china${retired}, got "${s.environment.value}"`);
    }
    base = CLOUDS[key];
    chosenBy = s.environment.name;
  }

  // An explicit endpoint of a known cloud names that cloud: AZURE_AUTHORITY_HOST=https://login.chinacloudapi.cn
  // alone must not sign in to China and then call the global Graph.
  for (const [endpoint, field] of [
    [authority, "authorityHost"],
    [graph, "graphEndpoint"],
  ] as const) {
    if (!endpoint) continue;
    const implied = cloudsServing(field, endpoint.url);
    if (implied.length === 0 || implied.some((c) => c.name === base.name)) continue;
    if (chosenBy) {
      throw new ConfigurationError(
        `${endpoint.name} (${endpoint.url}) belongs to the ${implied.map((c) => c.name).join("/")} cloud, but ${chosenBy} chose ${base.name}: ` +
          `remove one of them, or make them name the same cloud`,
      );
    }
    base = implied[0];
    chosenBy = endpoint.name;
  }

  return {
    kind: "known",
    cloud: {
      ...base,
      // Elsewhere (an emulator, a proxy): only where requests go changes, not the cloud's resource.
      authorityHost: authority?.url ?? base.authorityHost,
      graphEndpoint: graph?.url ?? base.graphEndpoint,
    },
  };
}

/** The clouds whose `field` is this URL's host. */
function cloudsServing(field: "authorityHost" | "graphEndpoint", url: string): Cloud[] {
  const host = new URL(url).host.toLowerCase();
  if (field === "authorityHost" && host in AUTHORITY_ALIASES) return [CLOUDS[AUTHORITY_ALIASES[host]]];
  return Object.values(CLOUDS).filter((c) => new URL(c[field]).host === host);
}

function normalizedUrl(setting: Named): { url: string; name: string } {
  let url: URL;
  try {
    url = new URL(setting.value.trim());
  } catch {
    throw new ConfigurationError(`${setting.name} must be an absolute https URL such as https://graph.microsoft.com, got "${setting.value}"`);
  }
  if (url.protocol !== "https:" || url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError(`${setting.name} must be an https URL without query, fragment or user info, got "${setting.value}"`);
  }
  return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, ""), name: setting.name };
}

/** Other names of Microsoft's authorities (MSAL's own metadata); China's is its preferred network. */
const AUTHORITY_ALIASES: Record<string, keyof typeof CLOUDS> = {
  "login.windows.net": "public",
  "login.microsoft.com": "public",
  "login.partner.microsoftonline.cn": "china",
  "login.usgovcloudapi.net": "usgovernment",
};

/** Is this authority one of Microsoft's? Anything else (an emulator, a proxy) skips MSAL's instance discovery. */
export function isMicrosoftAuthority(authorityHost: string): boolean {
  const host = new URL(authorityHost).host.toLowerCase();
  return host in AUTHORITY_ALIASES || Object.values(CLOUDS).some((c) => new URL(c.authorityHost).host === host);
}

/**
 * The cloud a metadata host describes: `GET https://<host>/metadata/endpoints?api-version=2022-09-01`,
 * the document azuread (go-azure-sdk) reads: `authentication.loginEndpoint` is the authority,
 * `microsoftGraphResourceId` Graph's endpoint and resource. Explicit endpoints still move where
 * requests go.
 */
export async function readMetadataCloud(choice: Extract<CloudChoice, { kind: "metadata" }>): Promise<Cloud> {
  const { metadataHost, overrides } = choice;
  const url = `https://${metadataHost.value}/metadata/endpoints?api-version=2022-09-01`;
  let document: { name?: unknown; authentication?: { loginEndpoint?: unknown }; microsoftGraphResourceId?: unknown };
  try {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    document = JSON.parse((await response.text()).replace(/^\uFEFF/, "")) as typeof document;
  } catch (e) {
    throw new ConfigurationError(
      `${metadataHost.name}: the Azure metadata at ${url} could not be read (${e instanceof Error ? e.message : String(e)}): check the host name and network access to it`,
    );
  }
  const login = document.authentication?.loginEndpoint;
  const graph = document.microsoftGraphResourceId;
  if (typeof login !== "string" || typeof graph !== "string" || login === "" || graph === "") {
    throw new ConfigurationError(`${metadataHost.name}: the Azure metadata at ${url} names no authentication.loginEndpoint or microsoftGraphResourceId`);
  }
  const resource = graph.replace(/\/+$/, "");
  const known = chooseCloud({
    authorityHost: overrides.authorityHost ?? { value: login, name: `${metadataHost.name} (authentication.loginEndpoint)` },
    graphEndpoint: overrides.graphEndpoint ?? { value: resource, name: `${metadataHost.name} (microsoftGraphResourceId)` },
  });
  if (known.kind !== "known") throw new Error("unreachable: a cloud chosen by endpoints is known");
  return { ...known.cloud, name: typeof document.name === "string" ? document.name : metadataHost.value, graphResource: resource };
}
