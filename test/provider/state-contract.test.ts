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
import { RawGraph } from "../support/raw-graph";

// The provider process loads the stored text exactly like this (@pulumi/pulumi cmd/dynamic-provider).
const requireFromString = require("require-from-string");

const repoRoot = path.resolve(__dirname, "..", "..");
const RELEASES = ["0.1.0"];
/** Deleted in the order the engine deletes them: dependents first. */
const DELETE_ORDER = ["ProvisionOnDemand", "SynchronizationSchema", "SynchronizationJobActivation", "SynchronizationJob", "SynchronizationSecrets"];

/** The signature key Pulumi marks secret values with in a checkpoint. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Values as the engine hands them to a provider: secrets (`--show-secrets` exports them as {sig, plaintext}) unwrapped. */
function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (SECRET_SIG in o && typeof o.plaintext === "string") return plain(JSON.parse(o.plaintext));
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)])) as T;
}

interface StateResource {
  type: string;
  urn: string;
  id: string;
  inputs: Record<string, unknown> & { __provider: string };
  outputs: Record<string, unknown> & { __provider: string };
}

for (const release of RELEASES) {
  describe(`state written by ${release}: today's code reads, diffs and deletes it`, function () {
    this.timeout(120_000);
    const dir = path.join(__dirname, "..", "fixtures", "state", release);
    const checkpoint = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8"));
    const resources = (checkpoint.deployment.resources as StateResource[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/entra-sync:"));
    const typeOf = (r: StateResource) => r.type.split(":").pop()!;
    let emulator: RunningEmulator;
    let graph: RawGraph;
    let home: string;
    const saved = { ...process.env };

    /** The stored provider text, loaded as the provider process loads it, from a program directory in the repository. */
    const providerOf = (r: StateResource) => {
      const provider = requireFromString(r.outputs.__provider, path.join(repoRoot, "program.js")).handler();
      provider.configure({ config: { get: () => undefined } });
      return provider;
    };
    const outputsOf = (r: StateResource) => plain(Object.fromEntries(Object.entries(r.outputs).filter(([k]) => k !== "__provider")));
    const inputsOf = (r: StateResource) => plain(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "__provider")));

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
      assert.deepStrictEqual(left.filter((k) => k !== "SyncNotificationSettings"), [], "the declared keys are gone (the JSON-valued one stays, neutral)");
    });
  });
}
