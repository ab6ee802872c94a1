#!/usr/bin/env node
/**
 * `pulumi-entra-sync emulator [options]` (the package's bin dispatches here; `npm run emulator --`
 * in this repository): see USAGE.
 *
 * First stdout line: one JSON object {"graphEndpoint": ..., "env": {...}, "scimBaseAddress": ...,
 * "scimToken": ..., "scimServicePrincipalId": ..., "galleryServicePrincipalId": ..., "identities": {...}}
 * (machine-readable; scimBaseAddress and scimToken are the hosted SCIM target's BaseAddress and
 * SecretToken for the SCIM app's provisioning secrets, the ids are the seeded apps' service
 * principals; identities are the clients that sign in with a certificate, a federated credential or
 * a managed identity, with a GitHub Actions token request for a push to main).
 * Later lines: human-readable request/cycle log (never secrets). Stops cleanly on SIGINT/SIGTERM.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveFaultConfig, type FaultConfig } from "./faults/config";
import { CYCLE_MODES, type CycleMode } from "./provisioning/engine";
import { startEmulatorWithHooks, type EmulatorEnv, type EmulatorOptions, type RunningEmulator } from "./index";

interface CliArgs {
  options: EmulatorOptions;
  envFile?: string;
  help?: boolean;
}

const USAGE_LINE =
  "usage: pulumi-entra-sync emulator [--port N] [--state-file FILE] [--env-file FILE] [--seed N] [--home DIR] [--faults FILE] [--latency-ms N] [--fault-seed N] [--cycles MODE]";

export const USAGE = `${USAGE_LINE}

Starts a local Microsoft Graph synchronization emulator (HTTPS, with a seeded tenant) and the SCIM
application its jobs provision to. The first stdout line is JSON: graphEndpoint, env (the variables
that point the provider at the emulator), scimBaseAddress and scimToken (the SCIM app's BaseAddress
and SecretToken), scimServicePrincipalId and galleryServicePrincipalId. Stop it with Ctrl-C.

options:
  --port N            Graph port (default 0: any free port)
  --state-file FILE   load the tenant from FILE if it exists, save it there on every change
  --env-file FILE     also write env to FILE as KEY=value lines (on Node 20, put -- before it:
                      pulumi-entra-sync emulator -- --env-file FILE)
  --seed N            the seed of the tenant and every id it mints (default 1)
  --home DIR          where the CA, server certificate and signing key live
                      (default $ENTRA_SYNC_EMULATOR_HOME, else ~/.cache/pulumi-entra-sync/emulator)
  --faults FILE       fault rules from the start (JSON, as PUT /_emulator/faults takes them)
  --latency-ms N      add N ms to every request
  --fault-seed N      the seed of injected faults
  --cycles MODE       scheduled (default): provisioning cycles run on the jobs' timers; manual: only
                      when asked (POST /_emulator/cycles)
  -h, --help          this help`;

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { options: {} };
  let faults: FaultConfig | undefined;
  let latencyMs: number | undefined;
  let faultSeed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    // Node 20 reads `--env-file` anywhere on its command line unless a `--` comes first, so the
    // npm script passes one; it carries no meaning here.
    if (flag === "--") continue;
    const [name, inline] = flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${name} needs a value\n${USAGE_LINE}`);
      return v;
    };
    const integer = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
      return n;
    };
    switch (name) {
      case "--port":
        args.options.port = integer();
        break;
      case "--state-file":
        args.options.stateFile = path.resolve(value());
        break;
      case "--env-file":
        args.envFile = path.resolve(value());
        break;
      case "--seed":
        args.options.seed = integer();
        break;
      case "--home":
        args.options.home = path.resolve(value());
        break;
      case "--faults":
        faults = readFaultsFile(value());
        break;
      case "--latency-ms":
        latencyMs = integer();
        break;
      case "--fault-seed":
        faultSeed = integer();
        break;
      case "--cycles": {
        const mode = value();
        if (!(CYCLE_MODES as readonly string[]).includes(mode)) throw new Error(`--cycles must be one of ${CYCLE_MODES.join(", ")}, got '${mode}'`);
        args.options.cycles = mode as CycleMode;
        break;
      }
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument '${flag}'\n${USAGE_LINE}`);
    }
  }
  if (faults !== undefined || latencyMs !== undefined || faultSeed !== undefined) {
    args.options.faults = combineFaultFlags(faults ?? {}, latencyMs, faultSeed);
    try {
      resolveFaultConfig(args.options.faults);
    } catch (err) {
      throw new Error(`invalid faults: ${(err as Error).message}`);
    }
  }
  return args;
}

function readFaultsFile(file: string): FaultConfig {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(file), "utf8")) as FaultConfig;
  } catch (err) {
    throw new Error(`--faults ${file}: ${(err as Error).message}`);
  }
}

/** --latency-ms becomes a global rule placed first, so route rules from --faults can refine it. */
function combineFaultFlags(faults: FaultConfig, latencyMs: number | undefined, faultSeed: number | undefined): FaultConfig {
  const latencyRules = latencyMs === undefined ? [] : [{ latency: { ms: latencyMs } }];
  return {
    ...faults,
    ...(faultSeed === undefined ? {} : { seed: faultSeed }),
    rules: [...latencyRules, ...(faults.rules ?? [])],
  };
}

export function toDotenv(env: EmulatorEnv): string {
  return (
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") + "\n"
  );
}

/** The first stdout line: what a script or a user needs to point the provider and a stack at the emulator. */
export async function firstLine(emulator: RunningEmulator): Promise<string> {
  const { githubActions, ...identities } = emulator.identities;
  return JSON.stringify({
    graphEndpoint: emulator.graphEndpoint,
    env: emulator.env,
    scimBaseAddress: emulator.scimTarget.baseAddress,
    scimToken: emulator.scimTarget.token,
    scimServicePrincipalId: emulator.seeded.scimServicePrincipalId,
    galleryServicePrincipalId: emulator.seeded.galleryServicePrincipalId,
    identities: { ...identities, githubActions: await githubActions() },
  });
}

/**
 * Runs the emulator with command-line arguments (after `emulator`). Resolves to undefined once it
 * is serving (it stops on SIGINT/SIGTERM), to 0 after --help, to 2 after a usage error.
 */
export async function runEmulatorCommand(argv: string[]): Promise<number | undefined> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const emulator = await startEmulatorWithHooks(args.options, { log: (line) => process.stdout.write(`${line}\n`) });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`received ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  // Before the first line: whoever reads it may signal at once, and a signal that came before the
  // handlers would kill the process without saving the state.
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  if (args.envFile) fs.writeFileSync(args.envFile, toDotenv(emulator.env), { mode: 0o600 });
  process.stdout.write(`${await firstLine(emulator)}\n`);
  return undefined;
}

if (require.main === module) {
  runEmulatorCommand(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
