/**
 * Graph calls per resource per operation, per resource type: one small stack per type (so every
 * call in an operation's window belongs to that type), taken through create, a no-op preview, an
 * update of one field (for schemas, its preview too: the impact preview reads Graph), refresh and
 * delete, counting calls in the emulator's request log.
 */

import { type BenchKind, type BenchPlan, MINIMUM_CALLS, STATE_RESOURCES } from "./plan";
import { type BenchContext, BenchStack, type CallCount, type OpMeasurement, type OpName } from "./harness";

export interface CallCountRow {
  kind: BenchKind;
  /** "preview (create)", "create", "preview (no-op)", "update: ...", "refresh", "delete". */
  operation: string;
  op: OpName;
  resources: number;
  /** Graph calls per resource (total / resources). */
  perResource: number;
  /** The API's minimum per resource (plan.ts); previews 0. */
  minimum: number;
  minimumWhy: string;
  /** Graph calls per resource by "METHOD route". */
  byRoute: Record<string, number>;
  /** Token/metadata calls of the whole operation (one provider process each). */
  oauth: number;
  total: CallCount;
  /** The engine's summary, to show the operation did what its name says. */
  changes: Record<string, number>;
  /** What the summary should say; a mismatch is reported, not hidden. */
  expectedChanges: Record<string, number>;
  wallMs: number;
  seq: OpMeasurement["seq"];
}

export interface CallCountOptions {
  /** Resources of each type (one per service principal). */
  size: number;
  kinds?: BenchKind[];
  /** Called around each measured operation (tests compare with their own observation). */
  hooks?: { before?(kind: BenchKind, operation: string): void; after?(kind: BenchKind, operation: string): void };
}

interface Step {
  operation: string;
  op: OpName;
  /** Plan change before the operation. */
  edit?: (plan: BenchPlan) => void;
  /** The engine's summary, from the declared resources and the resources they are in state (the stack adds 1). */
  expected: (count: { declared: number; inState: number }) => Record<string, number>;
  minimum?: string;
}

const create: Step[] = [
  { operation: "preview (create)", op: "preview", expected: (n) => ({ create: n.inState + 1 }) },
  { operation: "create", op: "up", expected: (n) => ({ create: n.inState + 1 }), minimum: "create" },
  { operation: "preview (no-op)", op: "preview", expected: () => ({}) },
];
const finish: Step[] = [
  { operation: "refresh", op: "refresh", expected: () => ({}), minimum: "refresh" },
  { operation: "delete", op: "destroy", expected: (n) => ({ delete: n.inState + 1 }), minimum: "delete" },
];
const update = (operation: string, edit: (plan: BenchPlan) => void, minimum = operation, inStatePerDeclared = 1): Step => ({
  operation,
  op: "up",
  edit,
  // Each update changes one field, of one resource in state per declared resource (two for secrets:
  // their revision record moves with every change of the declared values).
  expected: (n) => ({ update: n.declared * inStatePerDeclared }),
  minimum,
});

/** The steps per type: the update changes one field of every resource. */
const STEPS: Record<BenchKind, Step[]> = {
  secrets: [...create, update("update", (p) => (p.baseAddress = "https://scim-{i}.bench.example/scim/v2"), "update", 2), ...finish],
  job: [...create, update("update: restart trigger", (p) => (p.restartTrigger = "bench-1")), update("update: enabled", (p) => (p.enabled = false)), ...finish],
  // A schema created on a job that exists reads it at preview, to show the paths the first up changes
  // and their impact; a previewed change reads the schemas and the impact's sample (provider/impact/).
  schema: [
    { ...create[0], minimum: "preview (create)" },
    ...create.slice(1),
    { operation: "preview (change)", op: "preview", edit: (p) => (p.title = "Staff"), expected: (n) => ({ update: n.declared }), minimum: "preview (change)" },
    update("update", (p) => (p.title = "Staff")),
    ...finish,
  ],
  provisionOnDemand: [...create, update("update", (p) => (p.onDemandTrigger = "2")), ...finish],
};

export function basePlan(servicePrincipalIds: string[], kinds: BenchKind[]): BenchPlan {
  return {
    servicePrincipalIds,
    kinds,
    baseAddress: "https://scim-{i}.bench.example/scim",
    enabled: true,
    title: "Employee",
    onDemandTrigger: "1",
  };
}

/** Schema and on-demand resources need jobs: created (and afterwards deleted) out of band, outside the measured windows. */
async function prepare(ctx: BenchContext, kind: BenchKind, sps: string[], plan: BenchPlan): Promise<() => Promise<void>> {
  if (kind !== "schema" && kind !== "provisionOnDemand") return async () => undefined;
  const jobs = await Promise.all(
    sps.map(async (sp) => (await ctx.graph.expect<{ id: string }>(201, "POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" })).id),
  );
  plan.jobIds = jobs;
  if (kind === "provisionOnDemand") {
    // Credentials of the emulator's SCIM target, so provisioning reaches an application.
    const { baseAddress, token } = ctx.emulator.scimTarget;
    await Promise.all(
      sps.map((sp) =>
        ctx.graph.expect(204, "PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
          value: [
            { key: "BaseAddress", value: baseAddress },
            { key: "SecretToken", value: token },
          ],
        }),
      ),
    );
    plan.onDemandUserId = ctx.emulator.seeded.userIds[0];
  }
  return async () => {
    await Promise.all(sps.map((sp, i) => ctx.graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${jobs[i]}`)));
    if (kind === "provisionOnDemand") {
      await Promise.all(
        sps.map((sp) =>
          ctx.graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
            value: [
              { key: "BaseAddress", value: "" },
              { key: "SecretToken", value: "" },
            ],
          }),
        ),
      );
    }
  };
}

export async function measureCallCounts(ctx: BenchContext, servicePrincipalIds: string[], options: CallCountOptions): Promise<CallCountRow[]> {
  const sps = servicePrincipalIds.slice(0, options.size);
  if (sps.length < options.size) throw new Error(`need ${options.size} service principals, have ${sps.length}`);
  const rows: CallCountRow[] = [];
  for (const kind of options.kinds ?? (Object.keys(STEPS) as BenchKind[])) {
    const plan = basePlan(sps, [kind]);
    const cleanup = await prepare(ctx, kind, sps, plan);
    const stack = await BenchStack.create(ctx, `calls-${kind}`, plan);
    try {
      for (const step of STEPS[kind]) {
        if (step.edit) {
          step.edit(plan);
          await stack.setPlan(plan);
        }
        ctx.note(`calls: ${kind} ${step.operation} (${sps.length} resources)`);
        options.hooks?.before?.(kind, step.operation);
        const m = await stack.run(step.op);
        options.hooks?.after?.(kind, step.operation);
        const minimum = step.minimum ? MINIMUM_CALLS[kind][step.minimum] : { calls: 0, why: "check/diff work from state" };
        if (!minimum) throw new Error(`no minimum for ${kind} ${step.minimum}`);
        rows.push({
          kind,
          operation: step.operation,
          op: step.op,
          resources: sps.length,
          perResource: m.calls.graph / sps.length,
          minimum: minimum.calls,
          minimumWhy: minimum.why,
          byRoute: Object.fromEntries(Object.entries(m.calls.byRoute).map(([route, n]) => [route, n / sps.length])),
          oauth: m.calls.oauth,
          total: m.calls,
          changes: m.changes,
          expectedChanges: step.expected({ declared: sps.length, inState: sps.length * STATE_RESOURCES[kind] }),
          wallMs: m.wallMs,
          seq: m.seq,
        });
      }
    } finally {
      await stack.dispose();
      await cleanup();
    }
  }
  return rows;
}
