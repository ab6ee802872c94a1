/**
 * Customize a SCIM app's provisioning schema: what differs from the template is all you write.
 *
 *   pulumi config set servicePrincipalId <enterprise app object id>
 *   pulumi config set jobId <job id>          # optional: without it, a job is created from "scim"
 *   pulumi config set strict true             # optional: treat any out-of-band edit as drift
 *   pulumi config set defaultTitle Employee   # optional
 *   pulumi config set costCenterSource department   # optional: the Entra attribute holding the cost center
 *
 * `pulumi preview` checks attribute names from the first preview on: against the provider's catalog
 * of the "scim" template until the first `up` records the tenant's own (if your tenant's template has
 * names the catalog lacks, `pulumi config set entra-sync:bundledCatalogs false`). A misspelled name
 * fails naming its property, with a did-you-mean. The preview shows each customization as its own
 * property, e.g. `objectMappings.User.attributeMappings.title.constant`; `pulumi refresh` reports
 * out-of-band edits in `driftedPaths`; `pulumi destroy` puts the template's schema back.
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSchema } from "pulumi-entra-sync";

const config = new pulumi.Config();
const servicePrincipalId = config.require("servicePrincipalId");
const templateId = "scim";
const jobId = config.get("jobId") ?? new SynchronizationJob("scim-provisioning", { servicePrincipalId, templateId, enabled: false }).jobId;

// A custom SCIM extension attribute on the target's User object.
const costCenter = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter";

const schema = new SynchronizationSchema("scim-schema", {
  servicePrincipalId,
  jobId,
  // Stated, not left to the job id: a job created above has no id at the first preview, and with a
  // known template that preview already checks attribute names (against the provider's catalog of it).
  templateId,
  strict: config.getBoolean("strict") ?? false,
  extensionAttributes: {
    customappsso: { User: { [costCenter]: { type: "String" } } },
  },
  objectMappings: {
    User: {
      attributeMappings: {
        // An expression: "Ada Lovelace" from the given name and surname.
        displayName: { expression: 'Join(" ", [givenName], [surname])' },
        // A constant.
        title: { constant: config.get("defaultTitle") ?? "Employee" },
        // Removal of a template mapping.
        preferredLanguage: { remove: true },
        // The extension attribute, fed from an Entra extension attribute.
        [costCenter]: { source: config.get("costCenterSource") ?? "extensionAttribute1" },
      },
      // Only Sales and Marketing are provisioned (OR across groups, AND within one).
      scope: {
        sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }],
        marketing: [
          { attribute: "department", operator: "EQUALS", values: ["Marketing"] },
          { attribute: "accountEnabled", operator: "IS TRUE" },
        ],
      },
    },
  },
});

export const effectiveUserMappings = schema.effectiveMappings.apply((m) => Object.keys(m.User.attributeMappings).length);
export const driftedPaths = schema.driftedPaths;
