/**
 * A user's program: every resource and every function the package exports, as installed from its
 * tarball (test/e2e/consumer.test.ts runs it outside the repository, against the emulator started
 * with `npx pulumi-entra-sync emulator`). The test checks that every export is named here.
 */

import * as pulumi from "@pulumi/pulumi";
import {
  canonicalExpression,
  CredentialValidationError,
  DEFAULT_RESTART_SCOPE,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  evaluateExpression,
  FILTER_OPERATORS,
  findTemplateByFactoryTag,
  getSynchronizationTemplate,
  getSynchronizationTemplates,
  getSynchronizationTemplatesOutput,
  getTemplateSchema,
  getTemplateSchemaOutput,
  GraphRequestError,
  IMPACT_REPORT_VERSION,
  isGraphRequestError,
  isInScope,
  MAPPING_FUNCTIONS,
  parseExpression,
  previewProvisioningImpact,
  PROVISIONING_SCOPES,
  ProvisionOnDemand,
  resetScopeString,
  resolveConnectionSettings,
  renderImpact,
  RESTART_SCOPES,
  SECRET_KEYS,
  settingsToSecrets,
  SynchronizationJob,
  type SynchronizationJobActivation,
  SynchronizationSchema,
  SynchronizationSecrets,
  validateExpression,
  WAIT_TARGETS,
  type EffectiveMappings,
  type ImpactReport,
  type JobStatus,
  type ProvisioningScope,
  type RestartScope,
  type SourceObject,
  type WaitFor,
} from "pulumi-entra-sync";

export = async () => {
  const config = new pulumi.Config();
  const servicePrincipalId = config.require("servicePrincipalId");
  const galleryServicePrincipalId = config.require("galleryServicePrincipalId");

  // Functions: they call Graph from the program, at preview too.
  const template = findTemplateByFactoryTag(await getSynchronizationTemplates({ servicePrincipalId }), "CustomSCIM");
  const sameTemplate = await getSynchronizationTemplate({ servicePrincipalId, templateId: template.id });
  const templateSchema = await getTemplateSchema({ servicePrincipalId, templateId: template.id });
  const galleryTemplateIds = getSynchronizationTemplatesOutput({ servicePrincipalId: galleryServicePrincipalId }).apply((ts) => ts.map((t) => t.id));
  const galleryRuleCount = getTemplateSchemaOutput({ servicePrincipalId: galleryServicePrincipalId, templateId: galleryTemplateIds[0] }).apply(
    (schema) => schema.synchronizationRules.length,
  );

  // The expression library and the settings helpers.
  const displayName = 'Join(" ", [givenName], [surname])';
  const source: SourceObject = { givenName: "Adele", surname: "Vance", department: "Sales" };
  const parsed = parseExpression(displayName);
  const evaluated = evaluateExpression(displayName, source);
  if (!parsed.ok || !evaluated.ok || evaluated.value !== "Adele Vance" || validateExpression(displayName).errors.length > 0) {
    throw new Error(`the expression library does not evaluate ${canonicalExpression(displayName)}`);
  }
  const emptyImpact: ImpactReport = {
    version: IMPACT_REPORT_VERSION,
    servicePrincipalId,
    jobId: "none",
    current: "live job schema",
    sample: { scope: "assignedUsersAndGroups", read: {}, limit: 0, truncated: {} },
    redacted: true,
    mappings: [],
    notes: ["impact unavailable: not asked for"],
    graphCalls: 0,
  };
  const scope: RestartScope[] = [...DEFAULT_RESTART_SCOPE];
  const provisioningScope: ProvisioningScope = PROVISIONING_SCOPES[0];
  const waitFor: WaitFor = WAIT_TARGETS[1];
  const libraryFacts = {
    inScopeWithoutFilter: isInScope(null, source),
    resetScope: resetScopeString(scope),
    restartScopes: RESTART_SCOPES.length,
    secretKeys: SECRET_KEYS.length,
    mappingFunctions: MAPPING_FUNCTIONS.length,
    filterOperators: FILTER_OPERATORS.length,
    settingsKeys: Object.keys(settingsToSecrets({ provisioningScope, notificationEmail: "ops@contoso.example" })),
    graphEndpoint: resolveConnectionSettings(undefined, {}).graphEndpoint,
    // The impact preview outside a stack (not called here: it samples a job's users).
    impact: typeof previewProvisioningImpact === "function" ? renderImpact(emptyImpact, "compact").length : 0,
    errorGuards: isGraphRequestError(new Error("not from Graph")) || new Error() instanceof GraphRequestError || new Error() instanceof CredentialValidationError,
  };

  // Resources.
  const secrets = new SynchronizationSecrets("scim-credentials", {
    servicePrincipalId,
    credentials: { BaseAddress: config.require("scimBaseAddress"), SecretToken: config.requireSecret("scimToken") },
    validateCredentials: true,
    templateId: template.id,
    provisioningScope,
    notificationEmail: "ops@contoso.example",
    accidentalDeletionThreshold: 500,
  });
  const job = new SynchronizationJob(
    "scim-provisioning",
    { servicePrincipalId, templateId: template.id, waitFor, waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS, restart: { trigger: "1", scope } },
    { dependsOn: [secrets] },
  );
  const activation: SynchronizationJobActivation = job.activation;
  const schema = new SynchronizationSchema("scim-schema", {
    servicePrincipalId,
    jobId: job.jobId,
    templateId: template.id,
    objectMappings: { User: { attributeMappings: { title: { constant: "Employee" } } } },
  });
  const pilot = new ProvisionOnDemand(
    "pilot",
    { servicePrincipalId, jobId: job.jobId, subjects: [{ objectId: config.require("pilotUserId"), objectTypeName: "User" }] },
    { dependsOn: [schema] },
  );

  const status: pulumi.Output<JobStatus> = job.status;
  const mappings: pulumi.Output<EffectiveMappings> = schema.effectiveMappings;
  // Ids and plain values only: exporting a whole resource would show all of it in every diff.
  return {
    templateId: sameTemplate.id,
    templateRuleCount: templateSchema.synchronizationRules.length,
    galleryTemplateIds,
    galleryRuleCount,
    libraryFacts,
    jobId: job.jobId,
    activationJobId: activation.jobId,
    jobStatus: status.code,
    secretKeys: secrets.keys,
    mappedUserAttributes: mappings.apply((m) => Object.keys(m.User.attributeMappings).length),
    pilotResults: pilot.results.apply((results) => results.map((r) => r.result)),
  };
};
