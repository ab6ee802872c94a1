/**
 * Test support: runs a job of a GitHub Actions workflow file the way the runner does, locally, so a
 * test exercises the workflow's own commands instead of a copy of them:
 *
 *  - the job's `if:` decides whether it runs for the event;
 *  - env is the workflow's, then the job's, then the step's, with `${{ vars.* }}`, `${{ secrets.* }}`
 *    and the few `github.*` values the test provides filled in (any other expression is an error, so
 *    a new one cannot go unnoticed);
 *  - every `run:` step runs in `bash --noprofile --norc -eo pipefail`, as `shell: bash` does on a
 *    runner, honouring `if: always()` / `failure()`; `uses:` steps (checkout, setup-node, the
 *    Pulumi CLI, azure/login) are the runner's set-up, which the test's environment stands in for.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

export interface WorkflowJob {
  if?: string;
  environment?: string;
  env?: Record<string, string>;
  steps: WorkflowStep[];
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, WorkflowJob>;
}

/** What an expression may read: repository variables, secrets, and github.* values. */
export interface ExpressionContext {
  vars: Record<string, string>;
  secrets: Record<string, string>;
  github: Record<string, string>;
}

export interface StepResult {
  name: string;
  /** "skipped" when its `if:` did not hold. */
  outcome: "success" | "failure" | "skipped";
  output: string;
}

export function readWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(file, "utf8")) as Workflow;
}

/** `${{ expr }}` in a value, with the expressions this workflow uses. */
function expand(value: unknown, ctx: ExpressionContext): string {
  return String(value).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => evaluate(expr, ctx));
}

function evaluate(expr: string, ctx: ExpressionContext): string {
  const lookup = /^(vars|secrets)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
  if (lookup) return ctx[lookup[1] as "vars" | "secrets"][lookup[2]] ?? "";
  if (expr.startsWith("github.")) {
    const value = ctx.github[expr.slice("github.".length)];
    if (value === undefined) throw new Error(`the test provides no ${expr}`);
    return value;
  }
  throw new Error(`workflow expression not understood by the test runner: \${{ ${expr} }}`);
}

/** A job's `if:`: comparisons of github.event_name joined by ||. */
export function jobRunsFor(job: WorkflowJob, eventName: string): boolean {
  if (!job.if) return true;
  return job.if.split("||").some((term) => {
    const m = /^\s*github\.event_name\s*==\s*'([^']+)'\s*$/.exec(term);
    if (!m) throw new Error(`job condition not understood by the test runner: ${job.if}`);
    return m[1] === eventName;
  });
}

/**
 * Run the job's `run:` steps in `cwd`; `baseEnv` is what the runner and the test provide; `provided`
 * names run steps whose effect the test's set-up already has (e.g. `npm ci`), reported as skipped.
 */
export function runJob(
  workflow: Workflow,
  jobName: string,
  cwd: string,
  baseEnv: Record<string, string>,
  ctx: ExpressionContext,
  provided: (run: string) => boolean = () => false,
): Promise<StepResult[]> {
  return runSteps(workflow, jobName, cwd, baseEnv, ctx, provided);
}

async function runSteps(
  workflow: Workflow,
  jobName: string,
  cwd: string,
  baseEnv: Record<string, string>,
  ctx: ExpressionContext,
  provided: (run: string) => boolean,
): Promise<StepResult[]> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`the workflow has no job ${jobName}`);
  if (workflow.defaults?.run?.shell !== "bash") throw new Error("the test runs steps as `shell: bash`: the workflow must say so");
  const envOf = (map: Record<string, string> | undefined) => Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
  const results: StepResult[] = [];
  let failed = false;
  for (const [index, step] of job.steps.entries()) {
    if (step.run === undefined) continue;
    const name = step.name ?? step.run.split("\n")[0];
    const condition = (step.if ?? "success()").trim();
    const runs = condition === "always()" ? true : condition === "failure()" ? failed : condition === "success()" ? !failed : undefined;
    if (runs === undefined) throw new Error(`step condition not understood by the test runner: ${step.if}`);
    if (!runs || provided(step.run.trim())) {
      results.push({ name, outcome: "skipped", output: "" });
      continue;
    }
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-")), `step-${index}.sh`);
    fs.writeFileSync(script, expand(step.run, ctx));
    const env = { ...baseEnv, ...envOf(workflow.env), ...envOf(job.env), ...envOf(step.env) };
    // Asynchronously: the emulator the steps talk to may run in this very process.
    const { status, output } = await runScript(script, cwd, env);
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
    const outcome = status === 0 ? "success" : "failure";
    if (outcome === "failure") failed = true;
    results.push({ name, outcome, output });
  }
  return results;
}

function runScript(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}
