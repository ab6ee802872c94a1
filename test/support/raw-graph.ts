/**
 * Plain HTTPS calls to an emulator with its admin client's token: the "someone else" who changes
 * the tenant out of band in tests, and the benchmark's setup. Deliberately independent of the
 * provider's Graph code.
 */
import type { RunningEmulator } from "../../emulator/index";

interface RawResponse<T = any> {
  status: number;
  body: T;
}

export class RawGraph {
  private token: string | undefined;

  constructor(private readonly emulator: RunningEmulator) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<RawResponse<T>> {
    const response = await fetch(`${this.emulator.graphEndpoint}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** request, failing unless Graph answers `status`; the body. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async control<T = any>(method: string, path: string, body?: unknown): Promise<RawResponse<T>> {
    const response = await fetch(`${this.emulator.graphEndpoint}/_emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  private async accessToken(): Promise<string> {
    if (!this.token) {
      const { tenantId, clients } = this.emulator;
      const response = await fetch(`${this.emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clients.admin.clientId,
          client_secret: clients.admin.clientSecret,
          scope: "https://graph.microsoft.com/.default",
        }),
      });
      if (!response.ok) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
      this.token = ((await response.json()) as { access_token: string }).access_token;
    }
    return this.token;
  }
}
