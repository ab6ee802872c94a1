/**
 * provisionOnDemand: parsing Graph's stringified key/value answer (on the published doc examples)
 * and resolving the rule id from a job's schema.
 */

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { SynchronizationRule, SynchronizationSchema } from "../../provider/graph/types";
import { failureOf, parseOnDemandResponse } from "../../provider/on-demand/result";
import { resolveRuleId } from "../../provider/on-demand/rule";
import { checkSubjectList, MAX_ON_DEMAND_SUBJECTS } from "../../provider/on-demand/subjects";
import { type CheckFailure, UNKNOWN } from "../../provider/validation";

// The published doc examples' response bodies (provenance inside the file).
const examples = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "provisionondemand-examples.json"), "utf8"));
const user = { objectId: "9bb0f679-a883-4a6f-8260-35b491b8b8c8", objectTypeName: "User" };

describe("provisionOnDemand answer", () => {
  it("parses the docs' skipped example: result, reason, steps and written attributes", () => {
    const r = parseOnDemandResponse(user, "rule-1", examples.skippedUser);
    assert.strictEqual(r.result, "Skipped");
    assert.strictEqual(r.errorCode, "RedundantExport");
    assert.match(r.errorMessage ?? "", /already match/);
    assert.strictEqual(r.action, "Other");
    assert.strictEqual(r.reportableIdentifier, "BillBob@contoso.com");
    assert.strictEqual(r.targetId, "52507a19-96ec-4e73-9250-3e65ffd2d926");
    assert.deepStrictEqual(
      r.steps.map((s) => `${s.name}/${s.type}/${s.status}`),
      ["EntryImport/Import/Success", "EntryImport/Matching/Success", "EntrySynchronizationScoping/Scoping/Success", "EntrySynchronizationSkip/Export/Skipped"],
    );
    assert.strictEqual(r.modifiedProperties.displayName, "Bill Bob");
    assert.strictEqual(r.ruleId, "rule-1");
    assert.strictEqual(failureOf(r), undefined, "a skipped subject is a result, not a failure");
  });

  it("parses the group example's success with an empty summary", () => {
    const r = parseOnDemandResponse({ objectId: "g", objectTypeName: "Group" }, "r#V2", examples.successGroup);
    assert.strictEqual(r.result, "Success");
    assert.deepStrictEqual(r.steps, []);
    assert.strictEqual(failureOf(r), undefined);
  });

  it("reports a failed step with its description as the failure", () => {
    const key = JSON.stringify({ result: "Failure", details: { errorCode: "SystemForCrossDomainIdentityManagementBadResponse", errorMessage: "x" } });
    const value = JSON.stringify({
      action: "Create",
      reportableIdentifier: "ada@contoso.com",
      provisioningSteps: [
        { name: "EntryImport", type: "Import", status: "Success", description: "Retrieved User" },
        { name: "EntryExportAdd", type: "Export", status: "Failure", description: "Failed to create User 'ada@contoso.com' in customappsso: 409 Conflict" },
      ],
    });
    const r = parseOnDemandResponse(user, "rule-1", { key, value });
    const failure = failureOf(r);
    assert.ok(failure);
    assert.match(failure, /ada@contoso\.com/);
    assert.match(failure, /EntryExportAdd \(Export\)/);
    assert.match(failure, /409 Conflict/);
    assert.match(failure, /SystemForCrossDomainIdentityManagementBadResponse/);
  });

  it("redacts the target URL's credentials from messages and blanks credential attributes", () => {
    const target = "https://admin:pw-canary@scim.example.com/scim/Users?token=q-canary";
    const key = JSON.stringify({ result: "Failure", details: { errorCode: "Unauthorized", errorMessage: `GET ${target} answered 401 Unauthorized` } });
    const value = JSON.stringify({
      action: "Create",
      reportableIdentifier: "ada@contoso.com",
      modifiedProperties: [
        { displayName: "userName", oldValue: null, newValue: "ada@contoso.com" },
        { displayName: "password", oldValue: null, newValue: "Generated-pw-canary" },
        { displayName: "profileUrl", oldValue: null, newValue: "https://intranet.contoso.com/people?id=ada&sig=s-canary" },
      ],
      provisioningSteps: [{ name: "TestConnection", type: "Export", status: "Failure", description: `Testing the connection to ${target} failed.` }],
    });
    const r = parseOnDemandResponse(user, "rule-1", { key, value });
    assert.ok(!/canary/.test(JSON.stringify(r)), JSON.stringify(r));
    assert.ok(!/canary/.test(failureOf(r) ?? "canary"));
    assert.strictEqual(r.errorMessage, "GET https://***@scim.example.com/scim/Users?token=*** answered 401 Unauthorized");
    assert.strictEqual(r.steps[0].description, "Testing the connection to https://***@scim.example.com/scim/Users?token=*** failed.");
    assert.deepStrictEqual(r.modifiedProperties, {
      userName: "ada@contoso.com",
      password: "***",
      profileUrl: "https://intranet.contoso.com/people?id=***&sig=***",
    });
  });

  it("keeps an answer of another shape as Unknown instead of failing to parse", () => {
    const r = parseOnDemandResponse(user, "rule-1", {
      key: "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
      value: JSON.stringify([{ status: "Success" }]),
    });
    assert.strictEqual(r.result, "Success");
    assert.strictEqual(parseOnDemandResponse(user, "rule-1", { key: "x", value: "y" }).result, "Unknown");
  });
});

describe("on-demand rule resolution", () => {
  const rule = (id: string, source: string[], flag?: string, enabled = true): SynchronizationRule => ({
    id,
    name: `RULE_${id}`,
    editable: true,
    priority: 1,
    sourceDirectoryName: "Azure Active Directory",
    targetDirectoryName: "customappsso",
    metadata: flag === undefined ? [] : [{ key: "supportsProvisionOnDemand", value: flag }],
    objectMappings: source.map((s) => ({
      sourceObjectName: s,
      targetObjectName: s,
      enabled,
      name: s,
      attributeMappings: [],
      flowTypes: "Add",
      metadata: [],
      scope: null,
    })),
  });
  const schema = (...rules: SynchronizationRule[]): SynchronizationSchema => ({ directories: [], synchronizationRules: rules });

  it("takes the rule that reads the subject's object type, case-insensitively", () => {
    assert.deepStrictEqual(resolveRuleId(schema(rule("a", ["User", "Group"], "true")), "user"), { ruleId: "a" });
  });

  it("prefers rules flagged supportsProvisionOnDemand and never takes one flagged false", () => {
    assert.deepStrictEqual(resolveRuleId(schema(rule("a", ["User"]), rule("b", ["User"], "true")), "User"), { ruleId: "b" });
    assert.deepStrictEqual(resolveRuleId(schema(rule("a", ["User"], "false"), rule("b", ["User"])), "User"), { ruleId: "b" });
  });

  it("explains no fit and ambiguity instead of guessing", () => {
    const none = resolveRuleId(schema(rule("a", ["Group"], "true")), "User");
    assert.ok("error" in none && /no synchronization rule/.test(none.error) && /a \(RULE_a\)/.test(none.error));
    const disabled = resolveRuleId(schema(rule("a", ["User"], "true", false)), "User");
    assert.ok("error" in disabled);
    const two = resolveRuleId(schema(rule("a", ["User"], "true"), rule("b", ["User"], "true")), "User");
    assert.ok("error" in two && /several/.test(two.error) && /set ruleId/.test(two.error));
  });
});

describe("provisionOnDemand subject list", () => {
  const id = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const listFailures = (subjects: unknown[]) => {
    const failures: CheckFailure[] = [];
    checkSubjectList("subjects", subjects, failures);
    return failures;
  };

  it(`takes up to ${MAX_ON_DEMAND_SUBJECTS} subjects and names the limit above it`, () => {
    const users = (n: number) => Array.from({ length: n }, (_, i) => ({ objectId: id(i), objectTypeName: "User" }));
    assert.deepStrictEqual(listFailures(users(MAX_ON_DEMAND_SUBJECTS)), []);
    const [failure, ...rest] = listFailures(users(MAX_ON_DEMAND_SUBJECTS + 1));
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(failure.property, "subjects");
    assert.match(failure.reason, /lists 51 subjects; at most 50 .*5 provisionOnDemand requests per 10 seconds/);
  });

  it("names each repeat by its index: object ids and type names compared without case, members ignored", () => {
    const failures = listFailures([
      { objectId: id(1), objectTypeName: "User" },
      { objectId: id(1), objectTypeName: "Group" }, // another object type: not a repeat
      { objectId: id(2), objectTypeName: "Group", members: [id(7)] },
      { objectId: id(1).toUpperCase(), objectTypeName: "user" },
      { objectId: id(2), objectTypeName: "Group", members: [id(8)] },
      { objectId: id(1), objectTypeName: "User" },
    ]);
    assert.deepStrictEqual(
      failures.map((f) => f.property),
      ["subjects[3]", "subjects[4]", "subjects[5]"],
    );
    assert.match(failures[0].reason, /subjects\[3\] repeats subjects\[0\]/);
    assert.match(failures[1].reason, /subjects\[4\] repeats subjects\[2\].*one entry/);
  });

  it("does not compare what is unknown at preview or malformed", () => {
    const failures = listFailures([
      { objectId: UNKNOWN, objectTypeName: "User" },
      { objectId: UNKNOWN, objectTypeName: "User" },
      UNKNOWN,
      UNKNOWN,
      { objectId: 7, objectTypeName: "User" },
      { objectId: 7, objectTypeName: "User" },
      null,
    ]);
    assert.deepStrictEqual(failures, []);
  });

  it("stays linear: 200,000 subjects, all distinct, are checked in one pass", () => {
    // A pairwise comparison would be 2e10 steps, minutes past mocha's timeout.
    const subjects = Array.from({ length: 200_000 }, (_, i) => ({ objectId: id(i), objectTypeName: "User" }));
    assert.deepStrictEqual(
      listFailures(subjects).map((f) => f.property),
      ["subjects"],
    );
  });
});
