/**
 * The program process loads the resource classes (provider/program/) and nothing of the provider
 * side: no handler, no Graph client, no @azure/identity or Graph SDK. Checked in a fresh Node
 * process on the package as a program resolves it.
 */

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The files a fresh process has loaded after requiring `what` (relative to the package, or node_modules/...). */
function loadedBy(what: string): string[] {
  const script = `require(${JSON.stringify(what)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
  return (JSON.parse(out) as string[]).map((f) => path.relative(repoRoot, f).split(path.sep).join("/"));
}

const PROVIDER_SIDE = [
  /^dist\/provider\/handlers\//,
  /^dist\/provider\/resources\//,
  /^dist\/provider\/state\/contract\.js$/,
  /^dist\/provider\/graph\/client\.js$/,
  /node_modules\/@azure\/identity\//,
  /node_modules\/@microsoft\/microsoft-graph-client\//,
];

describe("the program side loads no provider-side code", () => {
  for (const entry of ["pulumi-entra-sync", "pulumi-entra-sync/provider/program/job", "pulumi-entra-sync/provider/program/secrets"]) {
    it(`require("${entry}")`, function () {
      this.timeout(30_000);
      const loaded = loadedBy(entry);
      assert.ok(
        loaded.some((f) => f.startsWith("dist/provider/program/")),
        `loads the classes: ${loaded.filter((f) => f.startsWith("dist/")).join(", ")}`,
      );
      const providerSide = loaded.filter((f) => PROVIDER_SIDE.some((p) => p.test(f)));
      assert.deepStrictEqual(providerSide, []);
    });
  }
});
