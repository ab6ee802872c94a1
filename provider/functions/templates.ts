/**
 * Program-side lookups of a service principal's synchronization templates and their schemas, for
 * programs that pick a template by factory tag ("CustomSCIM", "aws", ...) instead of hard-coding
 * its id, or read a schema's rule ids.
 *
 * Dynamic providers cannot serve Pulumi functions (the provider host answers every invoke with
 * "unknown function", docs/pulumi-dynamic-providers.md), so these run in the program process: plain async
 * functions over the same Graph client, with the same connection resolution as the provider —
 * stack config `entra-sync:*`, then `azuread:*`, then the environment — read from the program's
 * config instead of configure(). They call Graph during preview too, like any data source.
 *
 *   const templates = await getSynchronizationTemplates({ servicePrincipalId });
 *   const scim = templates.find((t) => t.factoryTag === "CustomSCIM");
 *
 * `...Output` variants take Inputs and return Outputs, for ids that are outputs of resources.
 */

import * as pulumi from "@pulumi/pulumi";
import type { GraphApi } from "../graph/client";
import { type ConfigSource, resolveConnectionSettings } from "../graph/connection";
import { templatePath, templateSchemaPath, templatesPath } from "../graph/paths";
import type { SynchronizationSchema, SynchronizationTemplate } from "../graph/types";

export interface SynchronizationTemplateInfo {
  id: string;
  /** The engine implementation, e.g. "CustomSCIM" for non-gallery SCIM apps. */
  factoryTag: string;
  /** The template Microsoft recommends for this app. */
  default: boolean;
  description: string | null;
  discoverable: boolean;
  applicationId: string;
  /** Template metadata, key -> value (e.g. IsOAuthEnabled). */
  metadata: Record<string, string | null>;
}

export interface GetSynchronizationTemplatesArgs {
  servicePrincipalId: string;
}

export interface GetTemplateSchemaArgs {
  servicePrincipalId: string;
  templateId: string;
}

/** The stack's config as the provider's configure() would see it, read in the program process. */
const programConfig: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

/**
 * The Graph client, loaded on the first lookup: a program that only declares resources never loads
 * the Graph SDK and @azure/identity (the provider process does, when it runs the handlers).
 */
async function api(): Promise<GraphApi> {
  const { graphApi } = await import("../graph/client");
  return graphApi(resolveConnectionSettings(programConfig));
}

function infoOf(t: SynchronizationTemplate): SynchronizationTemplateInfo {
  return {
    id: t.id,
    factoryTag: t.factoryTag,
    default: t.default ?? false,
    description: t.description ?? null,
    discoverable: t.discoverable ?? false,
    applicationId: t.applicationId,
    metadata: Object.fromEntries((t.metadata ?? []).map((m) => [m.key, m.value ?? null])),
  };
}

/** `GET /servicePrincipals/{id}/synchronization/templates`, every page. */
export async function getSynchronizationTemplates(args: GetSynchronizationTemplatesArgs): Promise<SynchronizationTemplateInfo[]> {
  const templates = await (await api()).list<SynchronizationTemplate>(templatesPath(args.servicePrincipalId), "list synchronization templates");
  return templates.map(infoOf);
}

/** One template by id (`GET .../templates/{id}`). */
export async function getSynchronizationTemplate(args: GetTemplateSchemaArgs): Promise<SynchronizationTemplateInfo> {
  const t = await (await api()).get<SynchronizationTemplate>(templatePath(args.servicePrincipalId, args.templateId), `read synchronization template ${args.templateId}`);
  return infoOf(t);
}

/** A template's schema (`GET .../templates/{id}/schema`): directories and synchronization rules. */
export async function getTemplateSchema(args: GetTemplateSchemaArgs): Promise<SynchronizationSchema> {
  return (await api()).get<SynchronizationSchema>(
    templateSchemaPath(args.servicePrincipalId, args.templateId),
    `read the schema of synchronization template ${args.templateId}`,
  );
}

/**
 * The template with this factory tag; the default one when several have it. Throws, listing what
 * the service principal has, when none does.
 */
export function findTemplateByFactoryTag(templates: SynchronizationTemplateInfo[], factoryTag: string): SynchronizationTemplateInfo {
  const tagged = templates.filter((t) => t.factoryTag.toLowerCase() === factoryTag.toLowerCase());
  const chosen = tagged.find((t) => t.default) ?? tagged[0];
  if (!chosen) {
    const have = templates.map((t) => `${t.id} (${t.factoryTag})`).join(", ") || "none";
    throw new Error(`the service principal has no synchronization template with factory tag "${factoryTag}"; it has: ${have}`);
  }
  return chosen;
}

export function getSynchronizationTemplatesOutput(args: { servicePrincipalId: pulumi.Input<string> }): pulumi.Output<SynchronizationTemplateInfo[]> {
  return reportedOnce(pulumi.output(args.servicePrincipalId).apply((servicePrincipalId) => getSynchronizationTemplates({ servicePrincipalId })));
}

export function getTemplateSchemaOutput(args: { servicePrincipalId: pulumi.Input<string>; templateId: pulumi.Input<string> }): pulumi.Output<SynchronizationSchema> {
  return reportedOnce(
    pulumi.all([args.servicePrincipalId, args.templateId]).apply(([servicePrincipalId, templateId]) => getTemplateSchema({ servicePrincipalId, templateId })),
  );
}

/**
 * An Output derives two promises from its value the moment it exists (is it known, is it secret)
 * and awaits them only when something uses the Output. When the lookup fails before that, Node
 * sees both rejections unhandled and then handled, and prints PromiseRejectionHandledWarning
 * twice besides the failure itself, which whatever uses the Output reports. Marking the two
 * derived promises handled leaves that one report.
 */
function reportedOnce<T>(output: pulumi.Output<T>): pulumi.Output<T> {
  const derived = output as unknown as { isKnown?: Promise<unknown>; isSecret?: Promise<unknown> };
  derived.isKnown?.catch(() => undefined);
  derived.isSecret?.catch(() => undefined);
  return output;
}
