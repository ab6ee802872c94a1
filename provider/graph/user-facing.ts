/**
 * Errors that tell users what went wrong and what to do, as opposed to bugs.
 *
 * The Node dynamic-provider host (@pulumi/pulumi cmd/dynamic-provider/index.js) sends
 * `error.message` to the engine for every method, and for check, diff, read and delete it also
 * writes `${error}: ${error.stack}` to the provider's stderr, which the CLI prints under the
 * stack's diagnostics. A stack trace of our internals helps no user there. So these errors have an
 * empty `stack`: the host's line reads "GraphRequestError: <message>:" (the trailing colon is the
 * host's). `String(error)` stays "<name>: <message>", so logs and `assert.throws(fn, /text/)` keep
 * working. Every other error keeps its stack trace: those are bugs, and the trace is what a bug
 * report needs.
 */

export abstract class UserFacingError extends Error {
  protected constructor(message: string) {
    super(message);
    // An own property shadows the trace V8 captured (and source-map-support's formatting of it).
    Object.defineProperty(this, "stack", { value: "", writable: true, configurable: true, enumerable: false });
  }
}

/** A setting (stack config or environment) that cannot work, named with how to fix it. */
export class ConfigurationError extends UserFacingError {
  override readonly name = "ConfigurationError";

  constructor(message: string) {
    super(message);
  }
}

export function isUserFacingError(e: unknown): e is UserFacingError {
  return e instanceof UserFacingError;
}
