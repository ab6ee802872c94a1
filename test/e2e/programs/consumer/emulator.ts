/**
 * A user's test helper that starts the emulator from code (`pulumi-entra-sync-emulator`), not part
 * of the Pulumi program: test/e2e/consumer.test.ts only type-checks it, as the emulator's types
 * reach a user's compiler (strict, no skipLibCheck) through this import.
 */

import { ensureCa, startEmulator, type GraphExchange, type RunningEmulator } from "pulumi-entra-sync-emulator";

export async function withEmulator<T>(use: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  ensureCa();
  const emulator = await startEmulator({ port: 0, faults: { rules: [{ latency: { ms: 10 } }] } });
  const exchanges: GraphExchange[] = [];
  const off = emulator.onExchange((x) => exchanges.push(x));
  try {
    return await use(emulator);
  } finally {
    off();
    await emulator.stop();
  }
}
