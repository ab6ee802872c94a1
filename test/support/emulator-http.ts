/**
 * Test helpers: start an in-process emulator and talk to it over real HTTPS (trusting the
 * emulator CA explicitly, so these helpers work even when NODE_EXTRA_CA_CERTS is not set).
 */
import * as fs from "node:fs";
import * as https from "node:https";
import { startEmulator, type EmulatorClient, type EmulatorOptions, type GraphExchange, type RunningEmulator } from "../../emulator/index";

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response had a JSON body, else the raw text (or undefined when empty). */
  body: any;
  text: string;
}

export interface TestEmulator extends RunningEmulator {
  exchanges: GraphExchange[];
}

/** Start an emulator whose timers stay out of the way unless a test asks for them. */
export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ cycleDelayMs: 3_600_000, cycleIntervalMs: 3_600_000, ...opts });
  const exchanges: GraphExchange[] = [];
  emu.onExchange((x) => exchanges.push(x));
  return Object.assign(emu, { exchanges });
}

export function request(
  emu: Pick<RunningEmulator, "graphEndpoint" | "caCertPath">,
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<HttpResult> {
  const url = new URL(pathAndQuery, emu.graphEndpoint);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: fs.readFileSync(emu.caCertPath) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text === "" ? undefined : text;
        if (text !== "" && (res.headers["content-type"] ?? "").includes("json")) body = JSON.parse(text);
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, body, text });
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export function tokenFor(emu: RunningEmulator, client: EmulatorClient): Promise<string> {
  return clientCredentialsToken(emu, emu.tenantId, client);
}

/** A token for the admin client an emulator process printed in its first JSON line (`pulumi-entra-sync emulator`). */
export function tokenForPrinted(info: { graphEndpoint: string; env: Record<string, string> }): Promise<string> {
  const target = { graphEndpoint: info.graphEndpoint, caCertPath: info.env.NODE_EXTRA_CA_CERTS };
  return clientCredentialsToken(target, info.env.AZURE_TENANT_ID, { clientId: info.env.AZURE_CLIENT_ID, clientSecret: info.env.AZURE_CLIENT_SECRET });
}

/** The OAuth client-credentials grant against the emulator's token endpoint; anything but 200 throws. */
async function clientCredentialsToken(
  emu: Pick<RunningEmulator, "graphEndpoint" | "caCertPath">,
  tenantId: string,
  client: Pick<EmulatorClient, "clientId" | "clientSecret">,
): Promise<string> {
  const res = await request(emu, "POST", `/${tenantId}/oauth2/v2.0/token`, {
    rawBody: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** A Graph client bound to one token. */
export function graphClient(emu: RunningEmulator, token: string) {
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>) => request(emu, method, path, { body, token, headers });
}

/** Call the control plane (no token). */
export function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<HttpResult> {
  return request(emu, method, `/_emulator/${path}`, { body });
}
