/**
 * Test support: a Pulumi stack of a program directory, run by the project's real CLI (see
 * scripts/pulumi-cli.js) on a temporary file:// backend, with the provider pointed at an emulator.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type ConfigMap, LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator/index";

export interface TestStack {
  stack: Stack;
  /** The file:// backend directory, for reading the checkpoint as it sits on disk. */
  backend: string;
  /** Destroy (best effort), remove the stack and its backend. */
  dispose(): Promise<void>;
}

/** `env` adds to the environment of the CLI and the processes it starts (program, provider). */
export async function createTestStack(workDir: string, stackName: string, emulator: RunningEmulator, env: Record<string, string> = {}): Promise<TestStack> {
  const root = process.env.ENTRA_SYNC_PULUMI_ROOT;
  if (!root) throw new Error("ENTRA_SYNC_PULUMI_ROOT is not set: run the tests with `npm test`");
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-stack-"));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    {
      pulumiCommand: await PulumiCommand.get({ root }),
      envVars: {
        ...emulator.env,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PATH: `${process.env.ENTRA_SYNC_PULUMI_BIN}${path.delimiter}${process.env.PATH}`,
        ...env,
      },
    },
  );
  const dispose = async () => {
    await stack.destroy().catch(() => undefined);
    await stack.workspace.removeStack(stackName).catch(() => undefined);
    fs.rmSync(backend, { recursive: true, force: true });
  };
  return { stack, backend, dispose };
}

/**
 * Config of the quickstart program (and the examples that share its keys) for the emulator's SCIM
 * app and target: the job's cycles really connect to the target, so the job stays healthy.
 */
export function scimAppConfig(emulator: RunningEmulator): ConfigMap {
  return {
    servicePrincipalId: { value: emulator.seeded.scimServicePrincipalId },
    scimBaseAddress: { value: emulator.scimTarget.baseAddress },
    scimToken: { value: emulator.scimTarget.token, secret: true },
  };
}

/** Operation counts of an engine summary (up, refresh, destroy, or a preview's changeSummary), without `same`. */
export function changes(summary: { resourceChanges?: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.resourceChanges ?? {}).filter(([op]) => op !== "same"));
}

/**
 * Records that a resource saves before it writes (a job's claim, the secrets' revision): no Graph
 * object stands behind them, so they stay in state when a write fails or an object disappears.
 */
export const RECORD_TYPES: readonly string[] = ["SynchronizationJobClaim", "SynchronizationSecretsRevision"];

/** The package's resources in the stack's state that stand for Graph objects (records left out). */
export async function graphObjectResources(stack: Stack): Promise<any[]> {
  return (await stack.exportStack()).deployment.resources.filter(
    (r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic/entra-sync:") && !RECORD_TYPES.includes(r.type.split(":").pop()!),
  );
}
