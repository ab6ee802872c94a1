/**
 * What every handler module exports as `handler`, and the pieces they share: configure, the
 * partial-create error, and stored-state versioning.
 */

import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, configureConnection } from "../graph/connection";
import { UserFacingError } from "../graph/userFacing";
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
 * (`grpcResponseFromError` in @pulumi/pulumi cmd/dynamic-provider) turns an error carrying `id`
 * into an ErrorResourceInitFailed detail: the engine records the id and these properties (and the
 * resource's inputs) in state, marked with the error, so the next `pulumi up` diffs and updates the
 * object (or `destroy` deletes it) instead of creating a second one. The host does not add
 * `__provider` to these properties, so `properties` must carry it, or a later read or delete of
 * the resource could not load its handler. Pinned by test/e2e/failures.test.ts, as this path is
 * undocumented. We report rather than roll back: see jobCreation.ts.
 */
export class PartialCreateError extends UserFacingError {
  override readonly name = "PartialCreateError";
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${message} (the object was created with id ${id}; the next \`pulumi up\` will finish it)`);
    // The engine prints the reasons of an initialization failure, not the message: give it all of it.
    this.reasons = [this.message];
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
