/**
 * What the bin's subcommands that read a tenant (`export`, `impact`) share: a usage error, and
 * the way a run ends: usage errors exit 2 with the usage, `--help` prints it and exits 0, a
 * user-facing failure (a Graph error, a sign-in setting) exits 1 with its message and no stack.
 */

import { UserFacingError } from "./graph/user-facing";

/** A command line that cannot be run. */
export class UsageError extends UserFacingError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message);
  }
}

/** Parses `args`, then runs the subcommand; resolves to the process exit code. */
export async function runSubcommand<T>(
  name: string,
  usage: string,
  args: string[],
  parse: (args: string[]) => T | "help",
  run: (options: T) => Promise<number>,
): Promise<number> {
  let options: T | "help";
  try {
    options = parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`pulumi-entra-sync ${name}: ${e.message}\n\n${usage}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return await run(options);
  } catch (e) {
    if (e instanceof UserFacingError) {
      process.stderr.write(`pulumi-entra-sync ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
