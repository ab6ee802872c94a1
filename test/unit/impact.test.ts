/**
 * The impact preview's pure parts (provider/impact/), on plain data: Graph JSON as source objects,
 * what a schema reads, the prediction per object and attribute, redaction, and the text.
 */

import { strict as assert } from "node:assert";
import type { SynchronizationSchema } from "../../provider/graph/types";
import { attributesRead, evaluateImpact, locateMappings, type SampledObject } from "../../provider/impact/evaluate";
import { renderImpact } from "../../provider/impact/render";
import { IMPACT_REPORT_VERSION, type ImpactReport, type MappingImpact } from "../../provider/impact/report";
import { graphReadFor, sourceObjectOf, type GraphObject } from "../../provider/impact/source-object";
import { resolveConnectionSettings } from "../../provider/graph/connection";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { normalizedSchema } from "../../provider/schema/normalize";
import { schemaToWrite } from "../../provider/schema/to-write";
import { scimBaseline } from "../support/schema-fixtures";

const ADELE: GraphObject = {
  id: "11111111-1111-1111-1111-111111111111",
  userPrincipalName: "adele@contoso.example",
  displayName: "Adele Vance",
  givenName: "Adele",
  surname: "Vance",
  jobTitle: "Retail Manager",
  mail: "adele@contoso.example",
  mailNickname: "adele",
  department: "Sales",
  accountEnabled: true,
  businessPhones: ["+1 425 555 0109", "+1 425 555 0110"],
  mobilePhone: null,
  faxNumber: "+1 425 555 0111",
  officeLocation: "18/2111",
  onPremisesExtensionAttributes: { extensionAttribute1: "CC-100", extensionAttribute2: null },
  extension_0123456789abcdef0123456789abcdef_costCenter: "CC-9",
  manager: { "@odata.type": "#microsoft.graph.user", id: "22222222-2222-2222-2222-222222222222" },
};

const ALEX: GraphObject = {
  id: "33333333-3333-3333-3333-333333333333",
  userPrincipalName: "alex@contoso.example",
  displayName: "Alex Wilber",
  givenName: "Alex",
  surname: null,
  jobTitle: "Marketing Assistant",
  mail: "alex@contoso.example",
  mailNickname: "alex",
  department: "Marketing",
  accountEnabled: true,
  businessPhones: [],
  onPremisesExtensionAttributes: { extensionAttribute1: null },
  manager: null,
};

const user = (json: GraphObject, extra: Partial<SampledObject> = {}): SampledObject => ({
  kind: "User",
  id: String(json.id),
  label: String(json.userPrincipalName),
  source: sourceObjectOf("User", json, { appRoleNames: ["User"] }),
  assigned: true,
  active: json.accountEnabled !== false,
  ...extra,
});

const template = () => normalizedSchema(scimBaseline());
const proposedFrom = (c: SchemaCustomizations, live: SynchronizationSchema = template()) => schemaToWrite(c, false, template(), live, undefined);
const userImpact = (current: SynchronizationSchema, proposed: SynchronizationSchema, objects: SampledObject[], redact = false): MappingImpact =>
  evaluateImpact(current, proposed, objects, { syncAll: false, skipOutOfScopeDeletions: false, examples: 10, redact, now: new Date("2026-01-01T00:00:00Z") }).find(
    (m) => m.key === "User",
  )!;

describe("impact preview: Graph JSON as Entra source objects", () => {
  it("maps the renamed, nested and derived attributes", () => {
    const source = sourceObjectOf("User", ADELE, { appRoleNames: ["User", "Admin"] });
    assert.equal(source.objectId, ADELE.id);
    assert.equal(source.telephoneNumber, "+1 425 555 0109");
    assert.equal(source.facsimileTelephoneNumber, "+1 425 555 0111");
    assert.equal(source.physicalDeliveryOfficeName, "18/2111");
    assert.equal(source.mobile, null);
    assert.equal(source.extensionAttribute1, "CC-100");
    assert.equal(source.extensionAttribute2, null);
    assert.equal(source.extension_0123456789abcdef0123456789abcdef_costCenter, "CC-9");
    assert.equal(source.manager, "22222222-2222-2222-2222-222222222222");
    assert.deepEqual(source.appRoleAssignments, ["User", "Admin"]);
    assert.equal(source.IsSoftDeleted, false);
    assert.equal(source.accountEnabled, true);
    assert.equal(sourceObjectOf("User", ALEX, { appRoleNames: [] }).manager, null, "no manager reads as null");
  });

  it("selects only what the mappings read, expands manager only when read, and says what Graph lacks", () => {
    const read = graphReadFor("User", [
      "telephoneNumber",
      "extensionAttribute3",
      "manager",
      "department",
      "passwordProfile.password",
      "extension_0123456789abcdef0123456789abcdef_costCenter",
    ]);
    assert.deepEqual(read.select.sort(), [
      "accountEnabled",
      "businessPhones",
      "department",
      "extension_0123456789abcdef0123456789abcdef_costCenter",
      "id",
      "onPremisesExtensionAttributes",
      "userPrincipalName",
    ]);
    assert.equal(read.manager, true);
    assert.deepEqual(read.unreadable, ["passwordProfile.password"]);
    assert.equal(graphReadFor("User", ["mail"]).manager, false);
    const group = graphReadFor("Group", ["displayName", "members", "appRoleAssignments"]);
    assert.equal(group.members, true);
    assert.equal(group.appRoles, true);
  });

  it("lists the attributes an object mapping reads, scoping clauses included", () => {
    const proposed = proposedFrom({ objectMappings: { User: { scope: { s: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] } } } });
    const names = attributesRead(locateMappings(proposed).find((m) => m.key === "User")!.mapping);
    for (const n of ["userPrincipalName", "IsSoftDeleted", "telephoneNumber", "manager", "department"]) assert.ok(names.includes(n), n);
  });
});

describe("impact preview: the prediction", () => {
  it("a constant changes every in-scope user's value, with examples old => new", () => {
    const current = template();
    const m = userImpact(current, proposedFrom({ objectMappings: { User: { attributeMappings: { title: { constant: "Staff" } } } } }), [user(ADELE), user(ALEX)]);
    assert.equal(m.sampled, 2);
    assert.equal(m.inScopeBefore, 2);
    assert.equal(m.inScopeAfter, 2);
    const title = m.attributes.find((a) => a.targetAttribute === "title")!;
    assert.equal(title.changed, 2);
    assert.deepEqual(title.examples[0], { object: "adele@contoso.example", before: "Retail Manager", after: "Staff" });
    assert.deepEqual(
      m.objects.map((o) => o.action),
      ["update", "update"],
    );
    assert.equal(m.objects[0].after.title, "Staff");
  });

  it("an unchanged schema predicts nothing, Now() included", () => {
    const withNow = proposedFrom({
      objectMappings: {
        User: { attributeMappings: { nickName: { expression: 'Join("-", [mailNickname], Guid(), FormatDateTime(Now(), , "yyyyMMddHHmmssfff", "yyyy"))' } } },
      },
    });
    const m = userImpact(withNow, withNow, [user(ADELE), user(ALEX)]);
    assert.deepEqual(m.attributes, []);
    assert.deepEqual(
      m.objects.map((o) => o.action),
      ["unchanged", "unchanged"],
    );
  });

  it("a removed mapping stops flowing: the target keeps its value", () => {
    const m = userImpact(template(), proposedFrom({ objectMappings: { User: { attributeMappings: { title: { remove: true } } } } }), [user(ADELE)]);
    const title = m.attributes.find((a) => a.targetAttribute === "title")!;
    assert.equal(title.stopsFlowing, 1);
    assert.equal(title.changed, 0);
    assert.equal(m.objects[0].action, "unchanged");
    assert.equal(m.objects[0].after.title, undefined);
  });

  it("a new scoping clause that drops users: they leave scope and are disabled", () => {
    const m = userImpact(
      template(),
      proposedFrom({ objectMappings: { User: { scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] } } } }),
      [user(ADELE), user(ALEX)],
    );
    assert.equal(m.inScopeAfter, 1);
    assert.deepEqual(m.leaving, ["alex@contoso.example"]);
    assert.equal(m.objects[1].action, "deprovision");
    const kept = evaluateImpact(
      template(),
      proposedFrom({ objectMappings: { User: { scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] } } } }),
      [user(ALEX)],
      {
        syncAll: false,
        skipOutOfScopeDeletions: true,
        examples: 10,
        redact: false,
      },
    ).find((x) => x.key === "User")!;
    assert.equal(kept.objects[0].action, "leaveAsIs", "SkipOutOfScopeDeletions leaves them in the target");
  });

  it("users entering scope are created with the proposed values", () => {
    const current = proposedFrom({ objectMappings: { User: { scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] } } } });
    const m = userImpact(current, proposedFrom({ objectMappings: { User: { scope: {} } } }, current), [user(ADELE), user(ALEX)]);
    assert.deepEqual(m.entering, ["alex@contoso.example"]);
    assert.equal(m.objects[1].action, "create");
    assert.equal(m.objects[1].after.displayName, "Alex Wilber");
  });

  it("an expression failing on real data is reported with its property path and the users it fails for", () => {
    const m = userImpact(template(), proposedFrom({ objectMappings: { User: { attributeMappings: { nickName: { expression: "DateFromNum([surname])" } } } } }), [
      user(ADELE),
      user(ALEX),
    ]);
    assert.ok(m.failures.length > 0, JSON.stringify(m.failures));
    assert.equal(m.failures[0].property, "objectMappings.User.attributeMappings.nickName.expression");
    assert.ok(m.failing >= 1);
    assert.ok(m.objects.some((o) => o.action === "fail"));
  });

  it("an extension attribute flows from onPremisesExtensionAttributes; a null one does not flow", () => {
    const COST = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter";
    const m = userImpact(
      template(),
      proposedFrom({
        objectMappings: { User: { attributeMappings: { [COST]: { source: "extensionAttribute1" } } } },
        extensionAttributes: { customappsso: { User: { [COST]: { type: "String" } } } },
      }),
      [user(ADELE), user(ALEX)],
    );
    const cost = m.attributes.find((a) => a.targetAttribute === COST)!;
    assert.equal(cost.changed, 1);
    assert.deepEqual(cost.examples, [{ object: "adele@contoso.example", before: null, after: "CC-100" }]);
    assert.equal(m.objects[1].after[COST], undefined);
  });

  it("references are the referenced objects' source ids", () => {
    const m = userImpact(template(), template(), [user(ADELE)]);
    assert.deepEqual(m.objects[0].after["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"], { references: ["22222222-2222-2222-2222-222222222222"] });
  });
});

describe("impact preview: what is shown", () => {
  const report = (mappings: MappingImpact[], redacted = false): ImpactReport => ({
    version: IMPACT_REPORT_VERSION,
    servicePrincipalId: "sp",
    jobId: "scim.job",
    current: "live job schema",
    sample: { scope: "assignedUsersAndGroups", read: { User: 2 }, limit: 200, truncated: { User: false } },
    redacted,
    mappings,
    notes: [],
    graphCalls: 4,
  });

  it("redact masks every value, counts stay", () => {
    const m = userImpact(
      template(),
      proposedFrom({ objectMappings: { User: { attributeMappings: { title: { constant: "Staff" } } } } }),
      [user(ADELE), user(ALEX)],
      true,
    );
    const text = renderImpact(report([m], true), "full").join("\n");
    assert.match(text, /title: 2 change/);
    assert.doesNotMatch(text, /Staff|Retail Manager|Adele Vance/);
    assert.doesNotMatch(JSON.stringify(m.objects), /Staff|Retail Manager|Adele Vance|CC-100/);
  });

  it("a credential-like target attribute's values are never shown, redact or not", () => {
    const m = userImpact(
      template(),
      proposedFrom({
        objectMappings: { User: { attributeMappings: { password: { source: "mailNickname" } } } },
        extensionAttributes: { customappsso: { User: { password: { type: "String" } } } },
      }),
      [user(ADELE)],
    );
    const text = renderImpact(report([m]), "full").join("\n");
    assert.match(text, /password: 1 change \(values not shown: sensitive attribute\)/);
    assert.doesNotMatch(text, /"adele"/);
    assert.equal(m.objects[0].after.password, "***");
  });

  it("compact text: one summary line per mapping, one line per attribute with examples", () => {
    const m = userImpact(template(), proposedFrom({ objectMappings: { User: { attributeMappings: { title: { constant: "Staff" } } } } }), [user(ADELE), user(ALEX)]);
    const lines = renderImpact(report([m]), "compact");
    assert.match(lines[0], /^impact on job scim\.job: the next provisioning cycle, predicted on a sample of 2 users/);
    assert.ok(
      lines.some((l) => /User \(Provision Microsoft Entra ID Users\): 2 users sampled, in scope 2 -> 2, 2 updated/.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes('title: 2 change: adele@contoso.example -> "Retail Manager" => "Staff"')),
      lines.join("\n"),
    );
  });
});

describe("impact preview: settings", () => {
  const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
  it("defaults: 200 objects, compact, no file, values shown", () => {
    assert.deepEqual(resolveConnectionSettings(config({}), {}).impact, { sampleSize: 200, detail: "compact", redact: false });
  });
  it("reads entra-sync:impact* and names the setting in an error", () => {
    const s = resolveConnectionSettings(
      config({ "entra-sync:impactSampleSize": "0", "entra-sync:impactDetail": "full", "entra-sync:impactReport": "out/impact.json", "entra-sync:impactRedact": "true" }),
      {},
    );
    assert.deepEqual(s.impact, { sampleSize: 0, detail: "full", reportPath: "out/impact.json", redact: true });
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:impactSampleSize": "-1" }), {}), /entra-sync:impactSampleSize must be a whole number/);
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:impactDetail": "verbose" }), {}), /entra-sync:impactDetail must be "compact" or "full"/);
    assert.throws(() => resolveConnectionSettings(undefined, { ENTRA_SYNC_IMPACT_REDACT: "yes" }), /ENTRA_SYNC_IMPACT_REDACT must be true or false/);
  });
});
