/**
 * What every handler module exports as `handler`, and the pieces they share: configure, the
 * partial-create error, and stored-state versioning.
 */

import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, configureConnection } from "../graph/connection";
import { CheckFailure } from "../validation";

export interface CheckResult<I> {
  inputs?: I;
  failures?: CheckFailure[];
}

export interface ResourceHandler<I, O> {
  configure(config: ConfigSource): void;
  check(olds: Partial<I>, news: Record<string, unknown>): Promise<CheckResult<I>>;
  /** `olds` are the stored outputs; during refresh the engine swaps the roles (pulumi-dynamic.md A4). */
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<{ id: string; outs: O }>;
  read(id: string, props: O): Promise<pulumi.dynamic.ReadResult<O>>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(id: string, props: O): Promise<void>;
}

/** Every handler reads its connection settings from the stack config the engine sends. */
export function configureFromStack(config: ConfigSource): void {
  configureConnection(config);
}

/** `read`'s answer when the object is gone: a blank id removes it from state. */
export const GONE = { id: "" } as const;

/**
 * Thrown by create when the Graph object exists but a later step failed. The Pulumi dynamic host
 * turns an error carrying `id` into "resource initialization failed": the engine records the id and
 * these properties, so the next `pulumi up` updates (or `destroy` deletes) the object instead of
 * creating a second one. `properties` must carry `__provider`, or later read/delete of the resource
 * could not load its handler.
 */
export class PartialCreateError extends Error {
  override readonly name = "PartialCreateError";
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${message} (the object was created with id ${id}; the next \`pulumi up\` will finish it)`);
    this.reasons = [message];
  }
}

export const PROVIDER_KEY = "__provider";

/** The serialized provider text that came with the inputs, to carry into partial state. */
export function providerOf(inputs: object): Record<string, unknown> {
  const text = (inputs as Record<string, unknown>)[PROVIDER_KEY];
  return text === undefined ? {} : { [PROVIDER_KEY]: text };
}

/** True when a value differs, treating an unknown (preview) value as a difference. */
export function changed(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
