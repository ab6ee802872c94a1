#!/usr/bin/env node
/**
 * npm run emulator -- [--port N] [--state-file F] [--env-file E] [--seed N] [--home DIR]
 *                      [--faults FILE] [--latency-ms N] [--fault-seed N]
 *
 * First stdout line: one JSON object {"graphEndpoint": ..., "env": {...}, "scimBaseAddress": ...,
 * "scimToken": ..., "identities": {...}} (machine-readable; scim* are the hosted SCIM target's
 * BaseAddress and SecretToken for the SCIM app's provisioning secrets; identities are the clients
 * that sign in with a certificate, a federated credential or a managed identity, with a GitHub
 * Actions token request for a push to main).
 * Later lines: human-readable request/cycle log (never secrets). Stops cleanly on SIGINT/SIGTERM.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveFaultConfig, type FaultConfig } from "./faults-config";
import { startEmulatorWithHooks, type EmulatorEnv, type EmulatorOptions } from "./index";

interface CliArgs {
  options: EmulatorOptions;
  envFile?: string;
}

const USAGE =
  "usage: emulator [--port N] [--state-file FILE] [--env-file FILE] [--seed N] [--home DIR] [--faults FILE] [--latency-ms N] [--fault-seed N]";

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
      if (v === undefined || v === "") throw new Error(`${name} needs a value\n${USAGE}`);
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
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument '${flag}'\n${USAGE}`);
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

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulatorWithHooks(args.options, { log: (line) => process.stdout.write(`${line}\n`) });
  if (args.envFile) fs.writeFileSync(args.envFile, toDotenv(emulator.env), { mode: 0o600 });
  const { githubActions, ...identities } = emulator.identities;
  const first = {
    graphEndpoint: emulator.graphEndpoint,
    env: emulator.env,
    scimBaseAddress: emulator.scimTarget.baseAddress,
    scimToken: emulator.scimTarget.token,
    identities: { ...identities, githubActions: await githubActions() },
  };
  process.stdout.write(`${JSON.stringify(first)}\n`);

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
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
