/**
 * The contract with every existing stack: the `__provider` text a released version wrote into
 * state, loaded the way Pulumi's provider process loads it, runs today's code. Refresh (read), the
 * next preview of an unchanged program (check + diff) and destroy (delete) are run through it
 * against the tenant the state was written against (test/fixtures/state/<version>/).
 */

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { loadStoredProvider, releaseFixtureDir, storedResources, storedValues, typeNameOf, type StoredResource } from "../support/checkpoint";
import { RawGraph } from "../support/raw-graph";

const RELEASES = ["0.1.0"];
/** Deleted in the order the engine deletes them: dependents first. */
const DELETE_ORDER = ["ProvisionOnDemand", "SynchronizationSchema", "SynchronizationJobActivation", "SynchronizationJob", "SynchronizationSecrets"];

for (const release of RELEASES) {
  describe(`state written by ${release}: today's code reads, diffs and deletes it`, function () {
    this.timeout(120_000);
    const dir = releaseFixtureDir(release);
    const resources = storedResources(release);
    const typeOf = typeNameOf;
    let emulator: RunningEmulator;
    let graph: RawGraph;
    let home: string;
    const saved = { ...process.env };

    /** The stored provider text, loaded as the provider process loads it, from a program directory in the repository. */
    const providerOf = (r: StoredResource) => {
      const provider = loadStoredProvider(r.outputs.__provider);
      provider.configure({ config: { get: () => undefined } });
      return provider;
    };
    const outputsOf = (r: StoredResource) => storedValues(r.outputs);
    const inputsOf = (r: StoredResource) => storedValues(r.inputs);

    before(async () => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-state-"));
      const stateFile = path.join(home, "tenant.json");
      fs.writeFileSync(stateFile, zlib.gunzipSync(fs.readFileSync(path.join(dir, "tenant.json.gz"))));
      emulator = await startEmulator({ stateFile, cycleDelayMs: 3_600_000 });
      graph = new RawGraph(emulator);
      Object.assign(process.env, emulator.env);
      resetConnectionSettings();
    });

    after(async () => {
      await emulator?.stop();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      resetConnectionSettings();
      fs.rmSync(home, { recursive: true, force: true });
    });

    it("has every resource type of that version", () => {
      assert.deepStrictEqual([...new Set(resources.map(typeOf))].sort(), [...DELETE_ORDER].sort());
    });

    it("each stored provider text loads, and refresh finds each resource as it was written", async () => {
      for (const r of resources) {
        const read = await providerOf(r).read(r.id, outputsOf(r));
        assert.strictEqual(read.id, r.id, `${r.urn}: still there, same id`);
        for (const key of ["servicePrincipalId", "jobId", "templateId"]) {
          if (r.outputs[key] !== undefined) assert.strictEqual(read.props[key], r.outputs[key], `${r.urn}: ${key}`);
        }
      }
    });

    it("refresh stores the outputs as today's stateVersion, upgraded at the state contract", async () => {
      const contract = require("pulumi-entra-sync/provider/state/contract");
      for (const r of resources) {
        const read = await providerOf(r).read(r.id, outputsOf(r));
        assert.strictEqual(read.props.stateVersion, contract.stateVersionOf(typeOf(r)), `${r.urn}: stateVersion`);
        if (typeOf(r) === "SynchronizationSecrets") assert.strictEqual(read.props.revision, 1, `${r.urn}: written before revisions: revision 1`);
        if (typeOf(r) === "SynchronizationJob") {
          // 0.1.0 created its jobs: a refresh records none as adopted, and keeps no jobId as an input.
          assert.strictEqual(read.props.adoptedBy, undefined, `${r.urn}: adoptedBy`);
          assert.deepStrictEqual(read.inputs, inputsOf(r), `${r.urn}: inputs as the program declares them`);
        }
      }
    });

    it("the next preview of the unchanged program shows no change", async () => {
      for (const r of resources) {
        const provider = providerOf(r);
        const { inputs, failures } = await provider.check(inputsOf(r), inputsOf(r));
        assert.deepStrictEqual(failures ?? [], [], `${r.urn}: check`);
        const diff = await provider.diff(r.id, outputsOf(r), inputs);
        assert.strictEqual(diff.changes, false, `${r.urn}: ${JSON.stringify(diff)}`);
      }
    });

    it("destroy deletes what the stack holds and nothing else", async () => {
      // destroy runs no program: nothing is held (in the package as the provider process loads it).
      require("pulumi-entra-sync/provider/ownership/held-by-program").forgetHoldings();
      const sp = resources.find((r) => typeOf(r) === "SynchronizationSecrets")!.outputs.servicePrincipalId as string;
      const ordered = [...resources].sort((a, b) => DELETE_ORDER.indexOf(typeOf(a)) - DELETE_ORDER.indexOf(typeOf(b)));
      for (const r of ordered) await providerOf(r).delete(r.id, outputsOf(r));
      assert.deepStrictEqual((await graph.expect(200, "GET", `/servicePrincipals/${sp}/synchronization/jobs`)).value, [], "the job is gone");
      const secrets = await graph.request("GET", `/servicePrincipals/${sp}/synchronization/secrets`);
      const left = ((secrets.body?.value ?? []) as { key: string }[]).map((p) => p.key);
      assert.deepStrictEqual(
        left.filter((k) => k !== "SyncNotificationSettings"),
        [],
        "the declared keys are gone (the JSON-valued one stays, neutral)",
      );
    });
  });
}
