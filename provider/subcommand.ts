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

/**
 * Visits each argument with a reader of its value (the next argument, which must not be another
 * option); resolves to "help" as soon as `visit` does.
 */
export function eachArgument(args: readonly string[], visit: (arg: string, value: () => string) => "help" | void): "help" | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (visit(arg, value) === "help") return "help";
  }
  return undefined;
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
