/**
 * The contract between this package and the state of every stack that uses it. What this module
 * promises is kept forever: its path (`pulumi-entra-sync/provider/state/contract`), `handlerOf`,
 * the type names in TYPES, the legacy module names in LEGACY_MODULES, and what each stateVersion
 * of each type means. Everything behind it (handler modules, their names and places) may change.
 *
 * 1. Which code serves a stored resource.
 *    Pulumi stores each resource's provider as JavaScript text (`__provider`) and runs that stored
 *    text for refresh and destroy with whatever version of the package is installed then
 *    (docs/pulumi-dynamic-providers.md). The text new resources store (shim.ts `providerText`)
 *    asks this module for its type's handler by type name:
 *      require("pulumi-entra-sync/provider/state/contract").handlerOf("SynchronizationJob")
 *    The text 0.1.0 stored (and the unreleased versions up to this contract) requires a module per
 *    type by path, `pulumi-entra-sync/provider/resources/<name>`, and takes its `handler`: those
 *    seven modules are one-line entry points into `handlerOf` (LEGACY_MODULES). A stack's text is
 *    rewritten when the engine next updates the resource, not on refresh, so both stay.
 *    Handlers are loaded on the first call, so that a process that needs one type loads one.
 *
 * 2. What a resource's stored outputs mean: `stateVersion`.
 *    Every output a handler returns (create, read, update) is written here with its type's
 *    `version`; handlers never write it. Before a handler sees stored outputs (the props of read
 *    and delete, the olds of diff and update), this module upgrades them, one step per version,
 *    from the version they were written with to today's: a handler only ever reads the current
 *    shape, and the rules for older state live here, in one place, each tested against state
 *    0.1.0 wrote (test/fixtures/state/0.1.0). Inputs carry no version (check's olds are not
 *    upgraded). Outputs without a stateVersion are taken as current: every released version wrote
 *    one, and a `get` of a resource reads with no outputs at all. Outputs of a version newer than
 *    this package's are refused, naming it: an older package cannot know what they mean.
 *    The version of a type goes up when what its stored outputs mean changes; the step from the
 *    previous version goes into its `upgrades`. Versions below a type's first released one
 *    (`firstVersion`) were never released and are refused too.
 *    Why a version that is read, rather than none: outputs outlive the code that wrote them. The
 *    rules for reading older ones (the secrets' first revision, the job's `adoptedBy`, results
 *    stored unredacted) were special cases inside the handlers, each guessing the age of what it
 *    read from which fields were missing; here each is one step from a named version, and a
 *    package can tell outputs it cannot read from outputs it can.
 */

import { UserFacingError } from "../graph/user-facing";
import type { ResourceHandler } from "../handlers/handler";
import type { ActivationInputs, ActivationOutputs } from "../handlers/job-activation";
import type { JobClaimInputs, JobClaimOutputs } from "../handlers/job-claim";
import type { JobInputs, JobOutputs } from "../handlers/job";
import type { OnDemandInputs, OnDemandOutputs } from "../handlers/provision-on-demand";
import type { SchemaInputs, SchemaOutputs } from "../handlers/schema";
import type { SecretsRevisionInputs, SecretsRevisionOutputs } from "../handlers/secrets-revision";
import type { SecretsInputs, SecretsOutputs } from "../handlers/secrets";
import { type OnDemandSubjectResult, redactResult } from "../on-demand/result";

/** The handler of each type name (`pulumi-nodejs:dynamic/entra-sync:<name>`). */
export interface StateTypes {
  SynchronizationSecrets: ResourceHandler<SecretsInputs, SecretsOutputs>;
  SynchronizationSecretsRevision: ResourceHandler<SecretsRevisionInputs, SecretsRevisionOutputs>;
  SynchronizationJob: ResourceHandler<JobInputs, JobOutputs>;
  SynchronizationJobClaim: ResourceHandler<JobClaimInputs, JobClaimOutputs>;
  SynchronizationJobActivation: ResourceHandler<ActivationInputs, ActivationOutputs>;
  SynchronizationSchema: ResourceHandler<SchemaInputs, SchemaOutputs>;
  ProvisionOnDemand: ResourceHandler<OnDemandInputs, OnDemandOutputs>;
}

export type StateTypeName = keyof StateTypes;

/** Stored outputs, as the engine hands them over. */
type Props = Record<string, unknown>;

/** Takes outputs of version v (the key in `upgrades`) to version v + 1. */
type Upgrade = (props: Props) => Props;

interface StateType {
  /** The handler module, required on the first call. */
  load(): ResourceHandler<never, never>;
  /** The stateVersion this package writes. */
  version: number;
  /** The stateVersion of the first release that stored this type. */
  firstVersion: number;
  upgrades: Readonly<Record<number, Upgrade>>;
}

// Each handler is required on its first call, not with this module.
const TYPES: Readonly<Record<StateTypeName, StateType>> = {
  SynchronizationSecrets: {
    load: () => require("../handlers/secrets").handler,
    version: 2,
    firstVersion: 1,
    upgrades: {
      // 1 -> 2: `revision` is the SynchronizationSecretsRevision the secrets last wrote. Outputs
      // without one were written before revisions existed (0.1.0): they are at the revision a new
      // revision record starts at (1), which is no unfinished write.
      1: (props) => (props.revision === undefined ? { ...props, revision: 1 } : props),
    },
  },
  SynchronizationSecretsRevision: { load: () => require("../handlers/secrets-revision").handler, version: 1, firstVersion: 1, upgrades: {} },
  SynchronizationJob: {
    load: () => require("../handlers/job").handler,
    version: 3,
    // Version 1 (enabled and the operations on the job itself) was never released.
    firstVersion: 2,
    upgrades: {
      // 2 -> 3: `adoptedBy` says exactly how the job came under the resource, and is absent when
      // the resource created it. 0.1.0 could only create jobs and wrote none. The version-2
      // writers after it set it at create from the inputs, but their refresh derived it again
      // from the stored outputs, which always hold jobId, and so recorded a created job as
      // adopted by jobId. Only a created job has a claim: with one, the job was created.
      2: (props) => {
        if (props.claim === undefined || props.adoptedBy === undefined) return props;
        const { adoptedBy: _derived, ...created } = props;
        return created;
      },
    },
  },
  SynchronizationJobClaim: { load: () => require("../handlers/job-claim").handler, version: 1, firstVersion: 1, upgrades: {} },
  SynchronizationJobActivation: { load: () => require("../handlers/job-activation").handler, version: 1, firstVersion: 1, upgrades: {} },
  SynchronizationSchema: { load: () => require("../handlers/schema").handler, version: 1, firstVersion: 1, upgrades: {} },
  ProvisionOnDemand: {
    load: () => require("../handlers/provision-on-demand").handler,
    version: 2,
    firstVersion: 1,
    upgrades: {
      // 1 -> 2: `results` are redacted (credentials out of messages, step descriptions and
      // attribute values, ../on-demand/result.ts). 0.1.0 stored Graph's answer as it came.
      1: (props) => ({ ...props, results: ((props.results ?? []) as OnDemandSubjectResult[]).map(redactResult) }),
    },
  },
};

/**
 * The modules under `pulumi-entra-sync/provider/resources/` that provider texts written before
 * this contract require, and the type each serves. Each is one line: `handlerOf` of its type.
 */
export const LEGACY_MODULES: Readonly<Record<string, StateTypeName>> = {
  secrets: "SynchronizationSecrets",
  "secrets-revision": "SynchronizationSecretsRevision",
  job: "SynchronizationJob",
  "job-claim": "SynchronizationJobClaim",
  "job-activation": "SynchronizationJobActivation",
  schema: "SynchronizationSchema",
  "provision-on-demand": "ProvisionOnDemand",
};

export const STATE_TYPE_NAMES = Object.keys(TYPES) as StateTypeName[];

/** The stateVersion this package writes for a type. */
export function stateVersionOf(type: StateTypeName): number {
  return typeOf(type).version;
}

/** Stored outputs written by a newer version of this package, or by none released. */
export class StateVersionError extends UserFacingError {
  override readonly name = "StateVersionError";

  constructor(message: string) {
    super(message);
  }
}

/** Stored outputs of `type`, brought to the version this package writes (see 2. above). */
export function upgrade<P extends object>(type: StateTypeName, props: P): P {
  const t = typeOf(type);
  const stored = (props as Props).stateVersion;
  if (stored === undefined || stored === t.version) return props;
  if (typeof stored !== "number" || !Number.isInteger(stored) || stored < t.firstVersion) {
    throw new StateVersionError(`the stored outputs of this ${type} have stateVersion ${JSON.stringify(stored)}, which no released pulumi-entra-sync wrote`);
  }
  if (stored > t.version) {
    throw new StateVersionError(
      `the stored outputs of this ${type} were written by a newer pulumi-entra-sync (stateVersion ${stored}; this one reads up to ` +
        `${t.version}): install that version or a later one to refresh, update or delete it`,
    );
  }
  let upgraded = props as Props;
  for (let v = stored; v < t.version; v++) upgraded = t.upgrades[v](upgraded);
  return { ...upgraded, stateVersion: t.version } as P;
}

const handlers = new Map<StateTypeName, ResourceHandler<unknown, unknown>>();

/**
 * The handler of a type, as stored provider texts call it: the type's handler module (loaded on
 * the first call) behind the state boundary of 2. above. The same object for every call.
 */
export function handlerOf<T extends StateTypeName>(type: T): StateTypes[T] {
  let h = handlers.get(type);
  if (!h) {
    h = atStateBoundary(type, typeOf(type));
    handlers.set(type, h);
  }
  return h as unknown as StateTypes[T];
}

function typeOf(type: StateTypeName): StateType {
  if (!Object.hasOwn(TYPES, type)) throw new Error(`pulumi-entra-sync has no resource type ${JSON.stringify(type)}`);
  return TYPES[type];
}

function atStateBoundary(type: StateTypeName, t: StateType): ResourceHandler<unknown, unknown> {
  let loaded: ResourceHandler<unknown, unknown> | undefined;
  const h = () => (loaded ??= t.load() as ResourceHandler<unknown, unknown>);
  const up = <P>(props: P): P => upgrade(type, props as object) as P;
  const stamp = <O>(outs: O): O => {
    const { stateVersion: _written, ...rest } = outs as Props;
    return { stateVersion: t.version, ...rest } as O;
  };
  return {
    configure: (config) => h().configure(config),
    check: (olds, news) => h().check(olds, news),
    diff: (id, olds, news) => h().diff(id, up(olds), news),
    create: async (inputs) => {
      const { id, outs } = await h().create(inputs);
      return { id, outs: stamp(outs) };
    },
    read: async (id, props) => {
      const result = await h().read(id, up(props));
      return result.props === undefined ? result : { ...result, props: stamp(result.props) };
    },
    update: async (id, olds, news) => ({ outs: stamp((await h().update(id, up(olds), news)).outs) }),
    delete: (id, props) => h().delete(id, up(props)),
  };
}
