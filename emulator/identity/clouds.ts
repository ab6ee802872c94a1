/**
 * The Microsoft clouds the emulator can stand in for, chosen by the host name a request was sent
 * to: reached as login.microsoftonline.us it signs in for the US Government cloud (tokens for
 * graph.microsoft.us), reached as graph.microsoft.us it is that cloud's Graph (accepting only those
 * tokens). Reached at its own address (127.0.0.1, localhost) it is the global cloud's sign-in and
 * Graph, and also a custom cloud whose Graph resource is its own origin, as its Azure metadata
 * document (arm-metadata.ts) describes it.
 *
 * Nothing reaches these host names over a network: a client sees them only when it resolves them
 * to the emulator (a test's connection redirect); the server certificate names them (ca.ts).
 */

interface EmulatedCloud {
  name: "public" | "usgovernment" | "dod" | "china";
  /** Where sign-in goes; China's second name is MSAL's preferred network for it. */
  authorityHosts: string[];
  graphHost: string;
  /** What tokens are asked for and carry as audience. */
  graphResource: string;
  /** The v1 token issuer's prefix (`<prefix><tenant id>/`). */
  issuerPrefix: string;
}

const EMULATED_CLOUDS: readonly EmulatedCloud[] = [
  {
    name: "public",
    authorityHosts: ["login.microsoftonline.com"],
    graphHost: "graph.microsoft.com",
    graphResource: "https://graph.microsoft.com",
    issuerPrefix: "https://sts.windows.net/",
  },
  {
    name: "usgovernment",
    authorityHosts: ["login.microsoftonline.us"],
    graphHost: "graph.microsoft.us",
    graphResource: "https://graph.microsoft.us",
    issuerPrefix: "https://sts.windows.net/",
  },
  {
    name: "dod",
    authorityHosts: ["login.microsoftonline.us"],
    graphHost: "dod-graph.microsoft.us",
    graphResource: "https://dod-graph.microsoft.us",
    issuerPrefix: "https://sts.windows.net/",
  },
  {
    name: "china",
    authorityHosts: ["login.chinacloudapi.cn", "login.partner.microsoftonline.cn"],
    graphHost: "microsoftgraph.chinacloudapi.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    issuerPrefix: "https://sts.chinacloudapi.cn/",
  },
];

/** Every host name the emulator answers as (the server certificate's extra names). */
export const CLOUD_HOST_NAMES: readonly string[] = [...new Set(EMULATED_CLOUDS.flatMap((c) => [...c.authorityHosts, c.graphHost]))];

const PUBLIC = EMULATED_CLOUDS[0];

function hostname(host: string): string {
  return host.replace(/:\d+$/, "").toLowerCase();
}

/** The Graph resources the token endpoint at this host issues tokens for. */
export function resourcesSignedInAt(host: string, origin: string): string[] {
  const clouds = EMULATED_CLOUDS.filter((c) => c.authorityHosts.includes(hostname(host)));
  return clouds.length > 0 ? clouds.map((c) => c.graphResource) : [PUBLIC.graphResource, origin];
}

/** The audiences Graph at this host accepts (besides Graph's app id). */
export function audiencesAcceptedAt(host: string, origin: string): string[] {
  const cloud = EMULATED_CLOUDS.find((c) => c.graphHost === hostname(host));
  const resources = cloud ? [cloud.graphResource] : [PUBLIC.graphResource, origin];
  return resources.flatMap((r) => [r, `${r}/`]);
}

/** The issuer of tokens for a Graph resource (China has its own STS). */
export function issuerPrefixFor(resource: string): string {
  return EMULATED_CLOUDS.find((c) => c.graphResource === resource.replace(/\/$/, ""))?.issuerPrefix ?? PUBLIC.issuerPrefix;
}

/** The cloud whose Graph answers at this host; the emulator's own address is the global one. */
export function cloudOfGraphHost(host: string): EmulatedCloud {
  return EMULATED_CLOUDS.find((c) => c.graphHost === hostname(host)) ?? PUBLIC;
}

/** The cloud whose authority answers at this host; the emulator's own address is the global one. */
export function cloudOfAuthorityHost(host: string): EmulatedCloud | undefined {
  return EMULATED_CLOUDS.find((c) => c.authorityHosts.includes(hostname(host)));
}
