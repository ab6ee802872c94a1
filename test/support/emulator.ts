/**
 * Test support: an in-process emulator per suite, with the provider pointed at it through the
 * same environment a user would export, and a raw Graph client for out-of-band changes.
 */

import { type EmulatorClient, type EmulatorOptions, type GraphExchange, type RunningEmulator, startEmulator } from "../../emulator/index";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { forgetHoldings } from "../../provider/ownership/held-by-program";
import { forgetSecretValues } from "../../provider/redaction";
import { validateExchange } from "../contract/openapi";
import { RawGraph } from "./raw-graph";

const ENV_KEYS = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "ENTRA_SYNC_GRAPH_ENDPOINT",
  "ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS",
] as const;

interface EmulatorFixture {
  emulator: RunningEmulator;
  /** Graph exchanges recorded since the last `exchanges.length = 0`. */
  exchanges: GraphExchange[];
  graph: RawGraph;
  /** Point the provider at another of the emulator's clients (e.g. noRole). */
  useClient(client: EmulatorClient): void;
}

/** Mocha hooks: start an emulator before the suite, stop it after, restore the environment. */
export function useEmulator(options: EmulatorOptions = {}): () => EmulatorFixture {
  let fixture: EmulatorFixture | undefined;
  const saved: Record<string, string | undefined> = {};
  let unsubscribe: (() => void) | undefined;
  const violations: string[] = [];

  // Each test stands for a deployment (a provider process) of its own: what an earlier test's checks
  // declared is not held, and the credential values it handled are not the ones to redact.
  beforeEach(() => {
    forgetHoldings();
    forgetSecretValues();
  });

  before(async () => {
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    const emulator = await startEmulator({ cycleDelayMs: 50, ...options });
    const exchanges: GraphExchange[] = [];
    // Every request the suite causes (the provider's, the CLI's provider process's, the raw client's)
    // and every answer must match Microsoft's OpenAPI, documented deviations excepted.
    unsubscribe = emulator.onExchange((x) => {
      exchanges.push(x);
      for (const v of validateExchange(x)) violations.push(`${x.method} ${x.path} -> ${x.status}: ${v}`);
    });
    const useClient = (client: EmulatorClient) => {
      Object.assign(process.env, emulator.env, { AZURE_CLIENT_ID: client.clientId, AZURE_CLIENT_SECRET: client.clientSecret });
      process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS = "20";
      resetConnectionSettings();
    };
    useClient(emulator.clients.admin);
    fixture = { emulator, exchanges, graph: new RawGraph(emulator), useClient };
  });

  after(async () => {
    unsubscribe?.();
    // Stopped and restored whatever the verdict: a running emulator would keep mocha from exiting.
    await fixture?.emulator.stop();
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetConnectionSettings();
    if (violations.length > 0) {
      throw new Error(`OpenAPI contract violations:\n${[...new Set(violations)].slice(0, 20).join("\n")}`);
    }
  });

  return () => {
    if (!fixture) throw new Error("emulator not started");
    return fixture;
  };
}
