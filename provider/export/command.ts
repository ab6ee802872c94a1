/**
 * `pulumi-entra-sync export`: read a tenant's provisioning and write a Pulumi program that adopts it.
 * (Being written: see README "Taking over what exists".)
 */

/** Runs the subcommand with its arguments (after `export`); resolves to the process exit code. */
export async function runExportCommand(args: string[]): Promise<number> {
  process.stderr.write(`pulumi-entra-sync export: not available yet (${args.length} arguments ignored)\n`);
  return 2;
}
