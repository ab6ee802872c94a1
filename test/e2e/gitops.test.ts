/**
 * examples/gitops runs as its workflow says: the jobs of .github/workflows/provisioning.yml, read
 * from the file (not copied), run their own `pulumi` and `gh` commands locally against the emulator,
 * with the emulator as GitHub's OIDC issuer (the ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN a runner gives
 * a job with `id-token: write`), so the workflow cannot rot:
 *
 *   pull request -> preview, posted as a comment (no Graph write)
 *   push to main -> up (the `production` environment's OIDC subject)
 *   schedule     -> refresh --preview-only --expect-no-changes: passes, then fails and files an
 *                   issue once the job is paused out of band
 *
 * The state backend is a file:// directory where a team would use azblob:// (README.md); the
 * provider signs in with the federated credential only (no secret in the steps' environment).
 */

import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RequestLogEntry } from "../../emulator/index";
import { useEmulator } from "../support/emulator";
import { type ExpressionContext, jobRunsFor, readWorkflow, runJob, type StepResult, type Workflow } from "../support/workflow";

const repoRoot = path.resolve(__dirname, "..", "..");
const exampleDir = path.join(repoRoot, "examples", "gitops");
const workflowFile = path.join(exampleDir, ".github", "workflows", "provisioning.yml");

describe("e2e: examples/gitops, its GitHub Actions workflow run locally", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  const workflow: Workflow = readWorkflow(workflowFile);
  let work: string;
  let backend: string;
  let ghState: string;
  const stack = `gitops-${process.pid}`;

  /** What the repository's settings hold (Settings -> Secrets and variables -> Actions). */
  const context = (github: Record<string, string>): ExpressionContext => ({
    vars: {
      ENTRA_CLIENT_ID: fixture().emulator.identities.federated.clientId,
      ENTRA_TENANT_ID: fixture().emulator.tenantId,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_SECRETS_PROVIDER: "passphrase",
      PULUMI_STACK: stack,
    },
    secrets: { PULUMI_CONFIG_PASSPHRASE: "gitops-test-passphrase" },
    github: { token: "ghs_test-token", ...github },
  });

  /**
   * What the runner and the job's `uses:` steps provide: the Pulumi CLI (pulumi/actions), node, the
   * GitHub CLI (a double), GitHub's OIDC token request for this run; and what points the provider
   * at the emulator instead of Microsoft's cloud. Nothing else of the test process's environment.
   */
  async function runnerEnv(run: { eventName: string; ref: string; environment?: string }): Promise<Record<string, string>> {
    const emulator = fixture().emulator;
    const oidc = await emulator.identities.githubActions({ eventName: run.eventName, ref: run.ref, environment: run.environment });
    return {
      PATH: [process.env.ENTRA_SYNC_PULUMI_BIN, path.join(repoRoot, "test", "support", "fake-gh"), path.dirname(process.execPath), "/usr/bin", "/bin"].join(
        path.delimiter,
      ),
      HOME: process.env.HOME ?? os.homedir(),
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: run.eventName,
      GITHUB_REF: run.ref,
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      ENTRA_SYNC_GRAPH_ENDPOINT: emulator.graphEndpoint,
      AZURE_AUTHORITY_HOST: emulator.authorityHost,
      ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS: "20",
      FAKE_GH_STATE: ghState,
    };
  }

  async function runEvent(eventName: string, ref: string, github: Record<string, string> = {}): Promise<{ job: string; steps: StepResult[] }> {
    const jobs = Object.keys(workflow.jobs).filter((name) => jobRunsFor(workflow.jobs[name], eventName));
    assert.strictEqual(jobs.length, 1, `one job runs for ${eventName}: ${jobs.join(", ")}`);
    const job = jobs[0];
    const env = await runnerEnv({ eventName, ref, environment: workflow.jobs[job].environment });
    // `npm ci`: the copy's node_modules is the repository's (linked in before()).
    return { job, steps: await runJob(workflow, job, work, env, context({ event_name: eventName, ...github }), (run) => run === "npm ci") };
  }

  const step = (steps: StepResult[], name: string) => {
    const s = steps.find((x) => x.name === name);
    assert.ok(s, `a step named "${name}" in ${steps.map((x) => x.name).join(", ")}`);
    return s;
  };
  const succeeded = (steps: StepResult[]) => {
    for (const s of steps) assert.notStrictEqual(s.outcome, "failure", `${s.name} failed:\n${s.output}`);
  };
  const gh = () => (fs.existsSync(ghState) ? JSON.parse(fs.readFileSync(ghState, "utf8")) : { comments: {}, issues: [] });
  const requestsSince = async (seq: number): Promise<RequestLogEntry[]> => (await fixture().graph.control("GET", `/requests?since=${seq}`)).body.value;
  const latestSeq = async (): Promise<number> => (await fixture().graph.control("GET", "/requests")).body.latestSeq;

  before(() => {
    // The repository as checked out: the example's files; node_modules as `npm ci` leaves it.
    work = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-gitops-"));
    for (const file of ["Pulumi.yaml", "index.ts", "package.json"]) fs.copyFileSync(path.join(exampleDir, file), path.join(work, file));
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(work, "node_modules"), "dir");
    backend = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-gitops-state-"));
    ghState = path.join(work, ".fake-gh.json");

    // Once, by whoever sets the repository up (README.md): the stack and its config, committed.
    const ctx = context({});
    const pulumi = (...args: string[]) => {
      const r = spawnSync("pulumi", args, {
        cwd: work,
        encoding: "utf8",
        env: {
          PATH: `${process.env.ENTRA_SYNC_PULUMI_BIN}${path.delimiter}${process.env.PATH}`,
          HOME: process.env.HOME ?? os.homedir(),
          PULUMI_BACKEND_URL: ctx.vars.PULUMI_BACKEND_URL,
          PULUMI_CONFIG_PASSPHRASE: ctx.secrets.PULUMI_CONFIG_PASSPHRASE,
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
      });
      assert.strictEqual(r.status, 0, `pulumi ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    };
    const emulator = fixture().emulator;
    pulumi("stack", "init", stack, "--secrets-provider", "passphrase");
    pulumi("config", "set", "servicePrincipalId", emulator.seeded.scimServicePrincipalId, "--stack", stack);
    pulumi("config", "set", "scimBaseAddress", emulator.scimTarget.baseAddress, "--stack", stack);
    pulumi("config", "set", "--secret", "scimToken", emulator.scimTarget.token, "--stack", stack);
  });

  after(async () => {
    // Leave the tenant as found: the deploy job's environment can destroy the stack.
    if (work && fs.existsSync(path.join(backend, ".pulumi"))) {
      const env = {
        ...(await runnerEnv({ eventName: "push", ref: "refs/heads/main", environment: "production" })),
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "gitops-test-passphrase",
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: fixture().emulator.identities.federated.clientId,
        ARM_TENANT_ID: fixture().emulator.tenantId,
      };
      // Not spawnSync: the emulator answering the provider runs in this process.
      await new Promise((resolve) =>
        spawn("pulumi", ["destroy", "--yes", "--stack", stack, "--non-interactive"], { cwd: work, env, stdio: "ignore" }).on("close", resolve),
      );
    }
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(backend, { recursive: true, force: true });
  });

  it("asks GitHub for an OIDC token, and signs in with nothing else", () => {
    assert.strictEqual(workflow.permissions?.["id-token"], "write", "without it GitHub sets no ACTIONS_ID_TOKEN_REQUEST_*");
    assert.strictEqual(workflow.env?.ARM_USE_OIDC, "true");
    const env = JSON.stringify(workflow.env);
    assert.doesNotMatch(env, /CLIENT_SECRET|CLIENT_CERTIFICATE/, "no secret or certificate of the app");
    assert.match(String(workflow.env?.PULUMI_BACKEND_URL), /vars\.PULUMI_BACKEND_URL/, "the backend is the repository's choice (azblob://...)");
  });

  it("a pull request previews the change and posts it as a comment, writing nothing to Graph", async () => {
    const since = await latestSeq();
    const { job, steps } = await runEvent("pull_request", "refs/pull/7/merge", { "event.pull_request.number": "7" });
    assert.strictEqual(job, "preview");
    succeeded(steps);
    const comments = gh().comments["7"] as string[];
    assert.strictEqual(comments.length, 1, "one comment on the pull request");
    assert.match(comments[0], /^### pulumi preview of `gitops-\d+`/);
    assert.match(comments[0], /```diff\n/);
    assert.match(comments[0], /\+ .*SynchronizationSecrets.*scim-credentials|scim-credentials[\s\S]*create/, "the diff names what would be created");
    assert.match(comments[0], /scim-provisioning/);
    assert.doesNotMatch(comments[0], new RegExp(fixture().emulator.scimTarget.token), "the SCIM token stays secret in the comment");

    const log = await requestsSince(since);
    assert.ok(
      log.some((e) => e.path === "/github-actions/idtoken" && e.status === 200),
      "the provider asked GitHub (the emulator) for its OIDC token",
    );
    assert.ok(
      log.some((e) => e.kind === "oauth" && e.method === "POST" && e.status === 200),
      "and exchanged it for an access token",
    );
    const writes = log.filter((e) => e.kind === "graph" && e.method !== "GET");
    assert.deepStrictEqual(
      writes.map((e) => `${e.method} ${e.path}`),
      [],
      "a preview writes nothing",
    );

    // A second push to the pull request updates the comment rather than adding one.
    succeeded((await runEvent("pull_request", "refs/pull/7/merge", { "event.pull_request.number": "7" })).steps);
    assert.strictEqual((gh().comments["7"] as string[]).length, 1);
  });

  it("a merge to main deploys: the job exists and runs, signed in through the production environment's federated credential", async () => {
    const { job, steps } = await runEvent("push", "refs/heads/main");
    assert.strictEqual(job, "deploy");
    succeeded(steps);
    assert.match(step(steps, "Deploy").output, /created/);
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const jobs = (await fixture().graph.expect(200, "GET", `/servicePrincipals/${sp}/synchronization/jobs`)).value;
    assert.strictEqual(jobs.length, 1);
    assert.strictEqual(jobs[0].schedule.state, "Active");
  });

  it("the scheduled drift check passes while the tenant matches, then fails and files an issue when someone pauses the job", async () => {
    const clean = await runEvent("schedule", "refs/heads/main");
    assert.strictEqual(clean.job, "drift");
    succeeded(clean.steps);
    assert.strictEqual(step(clean.steps, "Report drift").outcome, "skipped");
    assert.deepStrictEqual(gh().issues, []);

    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const [live] = (await fixture().graph.expect(200, "GET", `/servicePrincipals/${sp}/synchronization/jobs`)).value;
    await fixture().graph.expect(204, "POST", `/servicePrincipals/${sp}/synchronization/jobs/${live.id}/pause`);

    const drifted = await runEvent("schedule", "refs/heads/main");
    assert.strictEqual(step(drifted.steps, "Check for drift").outcome, "failure", "--expect-no-changes fails the check");
    assert.strictEqual(step(drifted.steps, "Report drift").outcome, "success");
    const [issue] = gh().issues;
    assert.match(issue.title, /^Provisioning drift in gitops-\d+$/);
    assert.match(issue.body, /scim-provisioning/);
    // The check only looked: the job is still paused, and the state still says Active.
    const [after] = (await fixture().graph.expect(200, "GET", `/servicePrincipals/${sp}/synchronization/jobs`)).value;
    assert.strictEqual(after.schedule.state, "Disabled");
  });
});
