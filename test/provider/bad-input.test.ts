/**
 * Bad input of every resource is rejected by `check` (what `pulumi preview` runs) with the
 * property path, and without a single request to Graph or the token endpoint: the emulator
 * records every request it receives, and the count must stay at zero (issue 5: at least 25
 * distinct classes).
 */

import * as assert from "assert";
import type { CheckFailure } from "../../provider/validation";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const jobHandler = handlerOf("SynchronizationJob");
const activationHandler = handlerOf("SynchronizationJobActivation");
const onDemandHandler = handlerOf("ProvisionOnDemand");
const schemaHandler = handlerOf("SynchronizationSchema");
const secretsHandler = handlerOf("SynchronizationSecrets");

const SP = "2d3a3a4e-51a5-4a8e-9a2b-5d1c2d1b0c11";
const JOB = "scim.0123456789abcdef0123456789abcdef.3c1a9a5e-0d4f-4e9b-8a77-6f1c2b3d4e5f";
const USER = "9d3fb64a-55d4-4a8a-9a0b-0f7f6d0d8c01";

type Check = (news: Record<string, unknown>) => Promise<{ failures?: CheckFailure[] }>;
const job: Check = (n) => jobHandler.check({}, { servicePrincipalId: SP, templateId: "scim", ...n });
/** SynchronizationJob's enabled, restart and waitFor are checked by its activation child. */
const jobActivation: Check = (n) => activationHandler.check({}, { servicePrincipalId: SP, jobId: JOB, ...n });
const secrets: Check = (n) => secretsHandler.check({}, { servicePrincipalId: SP, credentials: { BaseAddress: "https://x.test/scim" }, ...n });
const schema: Check = (n) => schemaHandler.check({}, { servicePrincipalId: SP, jobId: JOB, ...n });
const onDemand: Check = (n) => onDemandHandler.check({}, { servicePrincipalId: SP, jobId: JOB, subjects: [{ objectId: USER, objectTypeName: "User" }], ...n });
const mapping = (m: unknown) => ({ objectMappings: { User: { attributeMappings: { title: m } } } });
const clause = (c: unknown) => ({ objectMappings: { User: { scope: { g: [c] } } } });
const subject = (objectId: string, objectTypeName = "User") => ({ objectId, objectTypeName });
/** Distinct user object ids: 00000000-0000-4000-8000-000000000000, ...001, ... */
const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

// Did-you-mean on long names. The old unbounded edit distance cost input length x candidate
// length per candidate: 4.6 s for a 1 MB secret key name against the 45 keys (15 s at a real
// preview), and minutes for 150 kB against a 150 kB extension attribute, past mocha's timeout.
// Bounded (validation.ts), each row takes milliseconds.
const LONG_KEY = "SecretTokn".repeat(100_000);
const LONG_EXTENSION = `urn:ietf:params:scim:schemas:extension:acme:2.0:User:${"x".repeat(150_000)}`;
const LONG_TYPO = LONG_EXTENSION.replace("acme", "acne");

/** [class, resource check, bad input, the property path the failure must name, what its reason must say] */
const CLASSES: [string, Check, Record<string, unknown>, string, RegExp?][] = [
  ["id: service principal not a GUID", job, { servicePrincipalId: "my-app" }, "servicePrincipalId"],
  ["id: service principal missing", secrets, { servicePrincipalId: undefined }, "servicePrincipalId"],
  ["id: job id with a slash", schema, { jobId: "scim/1" }, "jobId"],
  ["id: subject without its object type", onDemand, { subjects: [{ objectId: USER }] }, "subjects[0].objectTypeName"],
  ["template id: empty", job, { templateId: "" }, "templateId"],
  ["template id: spaces", job, { templateId: "my template" }, "templateId"],
  ["type: enabled not a boolean", jobActivation, { enabled: "yes" }, "enabled"],
  ["type: credentials not a map", secrets, { credentials: ["BaseAddress"] }, "credentials"],
  ["type: secret value not a string", secrets, { credentials: { BaseAddress: 42 } }, "credentials.BaseAddress"],
  ["type: strict not a boolean", schema, { strict: 1 }, "strict"],
  ["type: triggers not strings", onDemand, { triggers: { run: 1 } }, "triggers.run"],
  ["key: unknown secret key", secrets, { credentials: { SecretTokn: "x" } }, "credentials.SecretTokn"],
  ["key: unknown input", job, { templateID: "scim" }, "templateID"],
  ["key: empty secret value", secrets, { credentials: { SecretToken: "" } }, "credentials.SecretToken"],
  ["key: notification settings not JSON", secrets, { credentials: { SyncNotificationSettings: "on" } }, "credentials.SyncNotificationSettings"],
  ["setting: unknown provisioning scope", secrets, { provisioningScope: "everyone" }, "provisioningScope"],
  ["setting: notification e-mail malformed", secrets, { notificationEmail: "ops at contoso" }, "notificationEmail"],
  ["setting: failure e-mails without an address", secrets, { sendFailureEmails: true }, "sendFailureEmails"],
  ["option: unknown wait target", jobActivation, { waitFor: "forever" }, "waitFor"],
  ["option: negative wait timeout", jobActivation, { waitTimeoutSeconds: -5 }, "waitTimeoutSeconds"],
  ["option: unknown restart scope", jobActivation, { restart: { trigger: "1", scope: ["Everything"] } }, "restart.scope[0]"],
  ["conflict: typed setting and raw key", secrets, { provisioningScope: "allUsersAndGroups", credentials: { SyncAll: "true" } }, "credentials.SyncAll"],
  ["conflict: rawSchema with customizations", schema, { rawSchema: { directories: [], synchronizationRules: [] }, objectMappings: {} }, "objectMappings"],
  ["conflict: remove with a source", schema, mapping({ remove: true, source: "jobTitle" }), "objectMappings.User.attributeMappings.title"],
  ["expression: unterminated string", schema, mapping({ expression: 'Append([jobTitle], "x)' }), "objectMappings.User.attributeMappings.title.expression"],
  ["expression: unknown function", schema, mapping({ expression: "Appendd([jobTitle])" }), "objectMappings.User.attributeMappings.title.expression"],
  ["expression: wrong number of arguments", schema, mapping({ expression: "Left([jobTitle])" }), "objectMappings.User.attributeMappings.title.expression"],
  ["mapping: two value sources", schema, mapping({ source: "jobTitle", constant: "x" }), "objectMappings.User.attributeMappings.title"],
  ["mapping: unknown flow type", schema, mapping({ source: "jobTitle", flowType: "Sometimes" }), "objectMappings.User.attributeMappings.title.flowType"],
  ["mapping: negative matching priority", schema, mapping({ source: "jobTitle", matchingPriority: -2 }), "objectMappings.User.attributeMappings.title.matchingPriority"],
  ["filter: unknown operator", schema, clause({ attribute: "department", operator: "LIKE", values: ["x"] }), "objectMappings.User.scope.g[0].operator"],
  ["filter: binary operator without a value", schema, clause({ attribute: "department", operator: "EQUALS" }), "objectMappings.User.scope.g[0].operator"],
  ["filter: unary operator with a value", schema, clause({ attribute: "accountEnabled", operator: "IS TRUE", values: ["1"] }), "objectMappings.User.scope.g[0].operator"],
  ["schema name: misspelled source attribute (bundled catalog)", schema, mapping({ source: "jobTitel" }), "objectMappings.User.attributeMappings.title.source"],
  [
    "schema name: misspelled target attribute (bundled catalog)",
    schema,
    { objectMappings: { User: { attributeMappings: { titel: { source: "jobTitle" } } } } },
    "objectMappings.User.attributeMappings.titel",
  ],
  [
    "extension: unknown attribute type",
    schema,
    { extensionAttributes: { customappsso: { User: { cost: { type: "Text" } } } } },
    "extensionAttributes.customappsso.User.cost.type",
  ],
  ["on-demand: no subjects", onDemand, { subjects: [] }, "subjects"],
  ["on-demand: unknown subject field", onDemand, { subjects: [{ objectId: USER, objectTypeName: "User", type: "x" }] }, "subjects[0].type"],
  ["key: 1 MB secret key name", secrets, { credentials: { [LONG_KEY]: "x" } }, `credentials.${LONG_KEY}`, /is not a synchronization secret key/],
  [
    "schema name: 150 kB misspelled target attribute beside a 150 kB extension attribute",
    schema,
    {
      extensionAttributes: { customappsso: { User: { [LONG_EXTENSION]: {} } } },
      objectMappings: { User: { attributeMappings: { [LONG_TYPO]: { source: "jobTitle" } } } },
    },
    `objectMappings.User.attributeMappings["${LONG_TYPO}"]`,
    /did you mean/,
  ],
  [
    "key: __proto__ as JSON.parse makes it",
    secrets,
    { credentials: JSON.parse('{"__proto__": "x", "BaseAddress": "https://x.test/scim"}') },
    "credentials.__proto__",
    /^"__proto__" is not a synchronization secret key/,
  ],
  ["key: a name Object.prototype has", secrets, { credentials: { constructor: "x" } }, "credentials.constructor", /^"constructor" is not a synchronization secret key/],
  ["secret: BaseAddress without a scheme", secrets, { credentials: { BaseAddress: "scim.example.com/scim" } }, "credentials.BaseAddress", /absolute http or https URL/],
  ["secret: BaseAddress not http(s)", secrets, { credentials: { BaseAddress: "ftp://scim.example.com/scim" } }, "credentials.BaseAddress", /does not start with http/],
  ["setting: deletion threshold 1e308", secrets, { accidentalDeletionThreshold: 1e308 }, "accidentalDeletionThreshold", /from 1 to 2147483647/],
  ["setting: deletion threshold not whole", secrets, { accidentalDeletionThreshold: 2.5 }, "accidentalDeletionThreshold"],
  ["setting: deletion threshold NaN", secrets, { accidentalDeletionThreshold: NaN }, "accidentalDeletionThreshold", /got number NaN/],
  ["option: wait timeout 1e308", jobActivation, { waitTimeoutSeconds: 1e308 }, "waitTimeoutSeconds", /at most 86400/],
  ["option: wait timeout Infinity", jobActivation, { waitTimeoutSeconds: Infinity }, "waitTimeoutSeconds"],
  ["mapping: matching priority 1e308", schema, mapping({ source: "jobTitle", matchingPriority: 1e308 }), "objectMappings.User.attributeMappings.title.matchingPriority"],
  [
    "on-demand: a subject twice (object id in another case)",
    onDemand,
    { subjects: [subject(USER), subject(userId(1)), subject(userId(2), "Group"), subject(USER.toUpperCase())] },
    "subjects[3]",
    /repeats subjects\[0\]/,
  ],
  ["on-demand: 10,000 subjects", onDemand, { subjects: Array.from({ length: 10_000 }, (_, i) => subject(userId(i))) }, "subjects", /at most 50/],
];

describe("bad input: rejected at preview by property path, with zero Graph calls", function () {
  const fixture = useEmulator();

  before(async () => {
    await fixture().graph.control("DELETE", "/requests");
  });

  for (const [what, check, input, property, reason] of CLASSES) {
    it(what, async () => {
      const { failures = [] } = await check(input);
      const failure = failures.find((f) => f.property === property);
      const shown = () => JSON.stringify(failures).slice(0, 2000);
      assert.ok(failure, `expected a failure at ${property.slice(0, 200)}, got ${shown()}`);
      if (reason) assert.match(failure.reason, reason, shown());
    });
  }

  it(`covers at least 25 distinct classes (${CLASSES.length}) and none of them called Graph or signed in`, async () => {
    assert.ok(new Set(CLASSES.map(([what]) => what)).size >= 25);
    const log = (await fixture().graph.control("GET", "/requests")).body.value;
    assert.deepStrictEqual(log, [], "the emulator received no request at all");
  });
});
