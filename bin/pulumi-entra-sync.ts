#!/usr/bin/env node
/**
 * The package's command, `pulumi-entra-sync <command> [args]` (`npx pulumi-entra-sync ...` in a
 * project that installed the package; `npm run emulator --` / `npm run export --` in this
 * repository). Each command loads its module only when it runs, so `emulator` does not load the
 * provider and `export` and `impact` do not need the emulator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as EmulatorCliModule from "../emulator/cli";

type EmulatorCli = typeof EmulatorCliModule;

const EMULATOR_PACKAGE = "pulumi-entra-sync-emulator";

export const HELP = `usage: pulumi-entra-sync <command> [options]

commands:
  emulator   start a local Microsoft Graph synchronization emulator and the SCIM application its
             jobs provision to, to try the resources without a tenant (package ${EMULATOR_PACKAGE})
  export     read a tenant's provisioning and write a Pulumi program that adopts it
  impact     predict what schema customizations would do to a job's users and groups (reads only)

pulumi-entra-sync <command> --help describes a command's options; --version prints the version.`;

/**
 * Runs a command line (the arguments after the program name). Resolves to the exit code, or to
 * undefined when the command keeps running (the emulator serves until SIGINT/SIGTERM).
 */
export async function runCli(argv: string[]): Promise<number | undefined> {
  const [command, ...args] = argv;
  switch (command) {
    case "emulator": {
      const cli = loadEmulatorCli();
      if (cli === undefined) {
        process.stderr.write(
          `pulumi-entra-sync emulator: the emulator is a package of its own, kept out of the provider's dependencies; ` +
            `install it in this project first:\n  npm install --save-dev ${EMULATOR_PACKAGE}@${packageVersion()}\n`,
        );
        return 1;
      }
      return cli.runEmulatorCommand(args);
    }
    case "export": {
      const { runExportCommand } = await import("../provider/export/command");
      return runExportCommand(args);
    }
    case "impact": {
      const { runImpactCommand } = await import("../provider/impact/command");
      return runImpactCommand(args);
    }
    case "--version":
    case "-v":
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${HELP}\n`);
      return 0;
    case undefined:
      process.stderr.write(`${HELP}\n`);
      return 2;
    default:
      process.stderr.write(`pulumi-entra-sync: unknown command '${command}'\n${HELP}\n`);
      return 2;
  }
}

/**
 * This repository's build has the emulator beside the bin (dist/emulator); the published package
 * does not ship it, and finds the emulator package installed in the user's project instead.
 */
function loadEmulatorCli(): EmulatorCli | undefined {
  const beside = path.join(__dirname, "..", "emulator", "cli.js");
  // Required at run time, not imported: the emulator is optional and found where it is installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (fs.existsSync(beside)) return require(beside) as EmulatorCli;
  let resolved: string;
  try {
    resolved = require.resolve(`${EMULATOR_PACKAGE}/cli`, { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
  // Loaded outside the try: a broken installation (a dependency of the emulator missing) must say so.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  return require(resolved) as EmulatorCli;
}

/** Read at run time: importing package.json would make tsc copy it into dist. */
function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pulumi-entra-sync: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
