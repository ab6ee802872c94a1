/**
 * The state contract (provider/state/contract.ts), without Graph: every type has its legacy entry
 * point, new provider texts reach the handlers through the contract, the resource classes store
 * those texts, and stored outputs of every earlier stateVersion upgrade to today's (on the
 * outputs 0.1.0 wrote: test/fixtures/state/0.1.0). test/provider/state-contract.test.ts runs the
 * stored texts against the tenant they were written with.
 */

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { handlerOf, LEGACY_MODULES, STATE_TYPE_NAMES, stateVersionOf, type StateTypeName, StateVersionError, upgrade } from "../../provider/state/contract";
import type * as ContractModule from "../../provider/state/contract";
import type { SecretsInputs, SecretsOutputs } from "../../provider/handlers/secrets";
import { parseResourceId, resourceIds } from "../../provider/state/ids";
import { CONTRACT_MODULE, legacyProviderText, providerText } from "../../provider/state/shim";
import { loadStoredProvider, storedResources, storedValues, typeNameOf, type StoredResource } from "../support/checkpoint";

const repoRoot = path.resolve(__dirname, "..", "..");
/** The contract as the provider process resolves it: the installed package. */
const installed = () => require(CONTRACT_MODULE) as typeof ContractModule;

const stored010 = storedResources("0.1.0");
const typeOf = (r: StoredResource) => typeNameOf(r) as StateTypeName;
const outputsOf = (type: StateTypeName): Record<string, unknown> => storedValues(stored010.find((x) => typeOf(x) === type)!.outputs);
const load = loadStoredProvider;

describe("state contract", () => {
  it("names the seven types, each with a legacy entry point that is the contract's handler", () => {
    assert.deepStrictEqual([...STATE_TYPE_NAMES].sort(), [
      "ProvisionOnDemand",
      "SynchronizationJob",
      "SynchronizationJobActivation",
      "SynchronizationJobClaim",
      "SynchronizationSchema",
      "SynchronizationSecrets",
      "SynchronizationSecretsRevision",
    ]);
    assert.deepStrictEqual(Object.values(LEGACY_MODULES).sort(), [...STATE_TYPE_NAMES].sort(), "one legacy module per type");
    for (const [module, type] of Object.entries(LEGACY_MODULES)) {
      const legacy = require(`pulumi-entra-sync/provider/resources/${module}`).handler;
      assert.strictEqual(legacy, installed().handlerOf(type), `provider/resources/${module} serves ${type}`);
    }
  });

  it("writes what 0.1.0 stored for the legacy texts, and those texts reach the contract", async () => {
    assert.ok(stored010.length >= 5);
    for (const r of stored010) {
      const module = /require\("(pulumi-entra-sync\/provider\/resources\/[a-z-]+)"\)\.handler/.exec(r.outputs.__provider)![1];
      assert.strictEqual(legacyProviderText(module), r.outputs.__provider, `${r.type}: the text 0.1.0 stored`);
    }
    for (const [module, type] of Object.entries(LEGACY_MODULES)) {
      const provider = load(legacyProviderText(`pulumi-entra-sync/provider/resources/${module}`));
      assert.deepStrictEqual(await provider.check({}, {}), await installed().handlerOf(type).check({}, {}), module);
    }
  });

  for (const type of STATE_TYPE_NAMES) {
    it(`a new ${type}'s provider text asks the contract for its handler`, async () => {
      const text = providerText(type);
      assert.ok(text.includes(`require(${JSON.stringify(CONTRACT_MODULE)}).handlerOf(${JSON.stringify(type)})`), text);
      assert.ok(Buffer.byteLength(JSON.stringify(text)) <= 2048, `${Buffer.byteLength(text)} bytes`);
      assert.ok(!/secret|token|password|process\.env/i.test(text.split(JSON.stringify(type)).join("")), "no credentials or env in the text");
      const provider = load(text);
      for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        assert.strictEqual(typeof provider[method], "function", method);
      }
      assert.deepStrictEqual(await provider.check({}, {}), await installed().handlerOf(type).check({}, {}));
    });
  }

  it("refuses a type it does not know", () => {
    assert.throws(() => handlerOf("SynchronizationThing" as StateTypeName), /no resource type "SynchronizationThing"/);
    assert.throws(() => providerText("../evil" as StateTypeName), /letters only/);
  });

  it("the resource classes store that text, with their type token", function () {
    this.timeout(30_000);
    // In a process of its own: mocks are global to the Pulumi runtime of a process.
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const registered = [];
      pulumi.runtime.setMocks({
        newResource: (args) => { registered.push([args.type, args.inputs.__provider]); return { id: args.name + "-id", state: args.inputs }; },
        call: () => ({}),
      }, "project", "stack", true).then(() => {
        const lib = require("pulumi-entra-sync");
        const sp = "00000000-0000-0000-0000-000000000001";
        const job = new lib.SynchronizationJob("job", { servicePrincipalId: sp, templateId: "scim" });
        new lib.SynchronizationSecrets("secrets", { servicePrincipalId: sp, credentials: { BaseAddress: "https://scim.example.com" } });
        new lib.SynchronizationSchema("schema", { servicePrincipalId: sp, jobId: job.jobId });
        new lib.ProvisionOnDemand("pilot", { servicePrincipalId: sp, jobId: job.jobId, subjects: [{ objectId: sp, objectTypeName: "User" }] });
        // Registrations settle asynchronously: print once nothing is left to run.
        process.once("beforeExit", () => console.log(JSON.stringify(registered)));
      });`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
    const seen = new Map<string, string>(JSON.parse(out.trim().split("\n").pop()!));
    for (const type of STATE_TYPE_NAMES) {
      assert.strictEqual(seen.get(`pulumi-nodejs:dynamic/entra-sync:${type}`), providerText(type), type);
    }
  });

  describe("stateVersion: stored outputs upgrade to today's at the boundary", () => {
    it("every type has a step from each version since its first release", () => {
      for (const type of STATE_TYPE_NAMES) {
        for (let v = 1; v <= stateVersionOf(type); v++) {
          let upgraded: Record<string, unknown> | undefined;
          try {
            upgraded = upgrade(type, { stateVersion: v });
          } catch (e) {
            // Versions before a type's first release are refused, by name.
            assert.ok(e instanceof StateVersionError && /no released pulumi-entra-sync wrote/.test(e.message), `${type} ${v}: ${e}`);
            continue;
          }
          assert.strictEqual(upgraded.stateVersion, stateVersionOf(type), `${type} from ${v}`);
        }
      }
      assert.throws(() => upgrade("SynchronizationJob", { stateVersion: 1 }), StateVersionError, "job version 1 was never released");
    });

    it("refuses outputs a newer package wrote, and takes outputs without a version as they are", () => {
      assert.throws(
        () => upgrade("SynchronizationSecrets", { stateVersion: stateVersionOf("SynchronizationSecrets") + 1 }),
        (e: unknown) => e instanceof StateVersionError && /written by a newer pulumi-entra-sync/.test(e.message),
      );
      const unversioned = { servicePrincipalId: "x" };
      assert.strictEqual(upgrade("SynchronizationSchema", unversioned), unversioned);
    });

    it("0.1.0's outputs of every type read as today's version", () => {
      for (const r of stored010) {
        const type = typeOf(r);
        const upgraded = upgrade(type, outputsOf(type));
        assert.strictEqual(upgraded.stateVersion, stateVersionOf(type), type);
      }
    });

    it("secrets 1 -> 2: outputs written before revisions existed are at revision 1, the program's first", async () => {
      const v1 = outputsOf("SynchronizationSecrets");
      assert.deepStrictEqual([v1.stateVersion, v1.revision], [1, undefined]);
      const upgraded = upgrade("SynchronizationSecrets", v1);
      assert.strictEqual(upgraded.revision, 1);
      assert.deepStrictEqual({ ...upgraded, revision: undefined, stateVersion: 1 }, { ...v1, revision: undefined });
      // A revision recorded by a later version 1 is kept.
      assert.strictEqual(upgrade("SynchronizationSecrets", { ...v1, revision: 4 }).revision, 4);
      // Through the handler: the program's first revision (1) is no rewrite, a later one is.
      const secrets = handlerOf("SynchronizationSecrets");
      const stored = v1 as unknown as SecretsOutputs;
      const { servicePrincipalId, credentials, provisioningScope, notificationEmail, accidentalDeletionThreshold } = stored;
      const declared: SecretsInputs = { servicePrincipalId, credentials, provisioningScope, notificationEmail, accidentalDeletionThreshold };
      assert.strictEqual((await secrets.diff("id", stored, { ...declared, revision: 1 })).changes, false);
      assert.strictEqual((await secrets.diff("id", stored, { ...declared, revision: 2 })).changes, true);
    });

    it("job 2 -> 3: a created job has no adoptedBy; one a version-2 refresh derived is dropped where a claim shows the job was created", () => {
      const v2 = outputsOf("SynchronizationJob");
      assert.deepStrictEqual([v2.stateVersion, v2.adoptedBy, v2.claim], [2, undefined, undefined], "0.1.0 created its jobs");
      assert.strictEqual(upgrade("SynchronizationJob", v2).adoptedBy, undefined);
      const claim = { knownJobIds: [], claimedAt: "2026-11-22T00:00:00.000Z" };
      const refreshedByV2 = { ...v2, claim, adoptedBy: "jobId" };
      const upgraded = upgrade("SynchronizationJob", refreshedByV2);
      assert.strictEqual("adoptedBy" in upgraded, false);
      assert.deepStrictEqual(upgraded.claim, claim);
      // Without a claim, an adoptedBy is what the create recorded: adopted.
      assert.strictEqual(upgrade("SynchronizationJob", { ...v2, adoptedBy: "jobId" }).adoptedBy, "jobId");
      assert.strictEqual(upgrade("SynchronizationJob", { ...v2, adopt: true, adoptedBy: "adopt" }).adoptedBy, "adopt");
    });

    it("ProvisionOnDemand 1 -> 2: results 0.1.0 stored unredacted are redacted", () => {
      const v1 = outputsOf("ProvisionOnDemand");
      assert.strictEqual(v1.stateVersion, 1);
      const [result] = v1.results as Record<string, unknown>[];
      const leaky = { ...result, errorMessage: "POST https://admin:hunter22@scim.example.com/scim/Users?token=abcdef123 failed" };
      const upgraded = upgrade("ProvisionOnDemand", { ...v1, results: [leaky] });
      const message = (upgraded.results as { errorMessage: string }[])[0].errorMessage;
      assert.ok(!/hunter22|abcdef123/.test(message), message);
      assert.match(message, /scim\.example\.com\/scim\/Users/);
      // What 0.1.0 stored for the emulator's pilot user had nothing to redact: it reads the same.
      assert.deepStrictEqual(upgrade("ProvisionOnDemand", v1).results, v1.results);
    });

    it("every output a handler returns carries today's version", async () => {
      const revision = handlerOf("SynchronizationSecretsRevision");
      const { outs } = await revision.create({ servicePrincipalId: "00000000-0000-0000-0000-000000000001", digest: "d" });
      assert.strictEqual(outs.stateVersion, stateVersionOf("SynchronizationSecretsRevision"));
      const updated = await revision.update("id", { ...outs, stateVersion: undefined }, { servicePrincipalId: outs.servicePrincipalId, digest: "e" });
      assert.deepStrictEqual([updated.outs.stateVersion, updated.outs.revision], [stateVersionOf("SynchronizationSecretsRevision"), 2]);
    });
  });

  describe("resource ids", () => {
    const sp = "6cf1a4f2-191a-4055-9c8b-f4f6a4c7b9ac";
    const jobId = "scim.a649afadca1e5c0c22894b954774804b.a08ff49b-6f77-4632-a16c-43069c43a8c3";

    it("are the strings stored so far, for every type", () => {
      const ids = new Map(stored010.map((r) => [r.type.split(":").pop(), r.id]));
      assert.strictEqual(resourceIds.job(sp, jobId), ids.get("SynchronizationJob"));
      assert.strictEqual(resourceIds.job(sp, jobId), ids.get("SynchronizationJobActivation"));
      assert.strictEqual(resourceIds.secrets(sp), ids.get("SynchronizationSecrets"));
      assert.strictEqual(resourceIds.schema(sp, jobId), ids.get("SynchronizationSchema"));
      assert.strictEqual(resourceIds.onDemand(sp, jobId), ids.get("ProvisionOnDemand"));
      // Written since 0.1.0, as job-claim.ts and secrets-revision.ts built them.
      const claimedAt = "2026-12-04T14:22:36.000Z";
      assert.strictEqual(resourceIds.claim(sp, "scim", claimedAt), `/servicePrincipals/${sp}/synchronization/jobs#claim:scim:${claimedAt}`);
      assert.strictEqual(resourceIds.secretsRevision(sp), `${sp}/synchronization/secrets#revision`);
    });

    it("parse back to the service principal and job, and to nothing for the others", () => {
      for (const id of [resourceIds.job(sp, jobId), resourceIds.schema(sp, jobId), resourceIds.onDemand(sp, jobId)]) {
        assert.deepStrictEqual(parseResourceId(id), { servicePrincipalId: sp, jobId }, id);
      }
      assert.deepStrictEqual(parseResourceId(resourceIds.job("a/b", "c d")), { servicePrincipalId: "a/b", jobId: "c d" }, "one encoding rule, undone");
      for (const id of [
        resourceIds.secrets(sp),
        resourceIds.secretsRevision(sp),
        resourceIds.claim(sp, "scim", "t"),
        "",
        "/servicePrincipals/%E0/synchronization/jobs/j",
      ]) {
        assert.strictEqual(parseResourceId(id), undefined, id);
      }
    });
  });
});
