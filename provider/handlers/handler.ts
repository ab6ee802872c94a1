/**
 * What every handler module exports as `handler`, and the pieces they share: configure, the
 * "gone" answer of read, unknown inputs, and change detection.
 */

import type * as pulumi from "@pulumi/pulumi";
import { type ConfigSource, configureConnection } from "../graph/connection";
import type { StateTypeName } from "../state/contract";
import { differentObjectId } from "../ownership/ids";
import { type CheckFailure, isUnknown } from "../validation";

export interface CheckResult<I> {
  inputs?: I;
  failures?: CheckFailure[];
}

export interface ResourceHandler<I, O> {
  configure(config: ConfigSource): void;
  check(olds: Partial<I>, news: Record<string, unknown>): Promise<CheckResult<I>>;
  /** `olds` are the stored outputs; during refresh the engine swaps the roles (docs/pulumi-dynamic-providers.md). */
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<{ id: string; outs: O }>;
  read(id: string, props: O): Promise<pulumi.dynamic.ReadResult<O>>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(id: string, props: O): Promise<void>;
}

/**
 * Outputs as state holds them. `stateVersion` is the version of their shape: the state contract
 * writes it on every output and upgrades older ones before a handler sees them
 * (../state/contract.ts); handlers never write or read it.
 */
export interface Versioned {
  stateVersion?: number;
}

/** Every handler reads its connection settings from the stack config the engine sends. */
export function configureFromStack(config: ConfigSource): void {
  configureConnection(config);
}

/** `read`'s answer when the object is gone: a blank id removes it from state. */
export const GONE = { id: "" } as const;

/**
 * check(): every input the resource does not declare is a failure that names it. Names starting
 * with "__" are the engine's (`__provider`).
 */
export function rejectUnknownInputs(type: StateTypeName, inputNames: readonly string[], news: Record<string, unknown>, failures: CheckFailure[]): void {
  for (const k of Object.keys(news)) {
    if (!k.startsWith("__") && !inputNames.includes(k)) failures.push({ property: k, reason: `${k} is not an input of ${type}` });
  }
}

/**
 * diff(): the inputs whose change replaces the resource. A resource belongs to one service
 * principal (compared without case, as Graph compares object ids) and, for those named in `keys`,
 * to one job or template (compared exactly); a value unknown at preview counts as changed.
 */
export function replacementsOf<T extends { servicePrincipalId: string }>(olds: T, news: T, keys: readonly (keyof T & string)[] = []): string[] {
  const replaces = differentObjectId(olds.servicePrincipalId, news.servicePrincipalId) ? ["servicePrincipalId"] : [];
  for (const k of keys) if (isUnknown(news[k]) || olds[k] !== news[k]) replaces.push(k);
  return replaces;
}

/** True when a value differs, treating an unknown (preview) value as a difference. */
export function changed(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
