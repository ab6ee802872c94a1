/**
 * Reading a Pulumi checkpoint as the engine and the dynamic-provider process see it, for the tests
 * of the state contract: the committed checkpoints of released versions (test/fixtures/state/),
 * their values with secrets unwrapped, and a stored `__provider` text loaded the way the provider
 * process loads it.
 */

import * as fs from "fs";
import * as path from "path";

// The provider process loads the stored text exactly like this (@pulumi/pulumi cmd/dynamic-provider).
const requireFromString = require("require-from-string");

const repoRoot = path.resolve(__dirname, "..", "..");

/** The signature key Pulumi marks secret values with in a checkpoint. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface StoredResource {
  type: string;
  urn: string;
  id: string;
  inputs: Record<string, unknown> & { __provider: string };
  outputs: Record<string, unknown> & { __provider: string };
}

/** Values as the engine hands them to a provider: secrets (`--show-secrets` exports them as {sig, plaintext}) unwrapped. */
function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (SECRET_SIG in o && typeof o.plaintext === "string") return plain(JSON.parse(o.plaintext));
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)])) as T;
}

/** The folder of a released version's fixtures: checkpoint.json, tenant.json.gz, the program. */
export function releaseFixtureDir(release: string): string {
  return path.join(repoRoot, "test", "fixtures", "state", release);
}

/** This package's dynamic resources in a released version's committed checkpoint. */
export function storedResources(release: string): StoredResource[] {
  const checkpoint = JSON.parse(fs.readFileSync(path.join(releaseFixtureDir(release), "checkpoint.json"), "utf8"));
  return (checkpoint.deployment.resources as StoredResource[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/entra-sync:"));
}

/** The resource's type name, e.g. "SynchronizationJob". */
export const typeNameOf = (r: { type: string }): string => r.type.split(":").pop()!;

/** A resource's stored values (its outputs or inputs) without the serialized provider, secrets unwrapped. */
export function storedValues(values: Record<string, unknown>): Record<string, unknown> {
  return plain(Object.fromEntries(Object.entries(values).filter(([k]) => k !== "__provider")));
}

/** A stored `__provider` text, loaded as the provider process loads it from a program directory in the repository. */
export function loadStoredProvider(text: string): any {
  return requireFromString(text, path.join(repoRoot, "program.js")).handler();
}
