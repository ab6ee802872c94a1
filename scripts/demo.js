#!/usr/bin/env node
"use strict";
/**
 * `npm start`: the main job on the embedded emulator. Builds the package, starts the Graph emulator
 * and its SCIM application (tenant and provisioned users persisted in
 * .pulumi-state/emulator-state.json, so repeated runs see the same jobs), points a local stack of
 * the root program at them, and runs a real `pulumi up`: it tests the credentials against the SCIM
 * app, saves them with the provisioning settings, starts the job and waits for its first cycle.
 * Then it prints the job as Graph reports it and the users the SCIM app received, read over SCIM.
 */
const { spawn } = require("child_process");
const path = require("path");
const { ensurePulumiCli } = require("./pulumi-cli");

const root = path.resolve(__dirname, "..");
const STACK = "quickstart";

async function main() {
  require("./build").build();
  const cli = ensurePulumiCli();
  const { startEmulator } = require(path.join(root, "dist", "emulator"));
  const emulator = await startEmulator({ stateFile: path.join(root, ".pulumi-state", "emulator-state.json") });
  console.log(`Graph emulator listening on ${emulator.graphEndpoint} (tenant ${emulator.tenantId})`);
  // The provider process reads exactly the variables `npm run emulator` prints.
  const env = { ...cli.env, ...emulator.env, PULUMI_CONFIG_PASSPHRASE: cli.env.PULUMI_CONFIG_PASSPHRASE ?? "" };
  // Asynchronous on purpose: the emulator serves from this process's event loop.
  const pulumi = (args, { allowFailure = false, show = false } = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(path.join(cli.binDir, "pulumi"), [...args, "--cwd", root], {
        env,
        stdio: ["ignore", show ? "inherit" : "pipe", show ? "inherit" : "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d) => (stdout += d));
      child.stderr?.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (status) => {
        if (status !== 0 && !allowFailure) {
          reject(new Error(`pulumi ${args.join(" ")} failed (${status})\n${stdout}${stderr}`));
        } else {
          resolve({ status, stdout });
        }
      });
    });
  try {
    await pulumi(["stack", "select", "--create", STACK, "--non-interactive"]);
    await pulumi(["config", "set", "servicePrincipalId", emulator.seeded.scimServicePrincipalId]);
    // The emulator's SCIM application: its Tenant URL and Secret Token (set every run: the port may change).
    const scim = emulator.scimTarget;
    await pulumi(["config", "set", "scimBaseAddress", scim.baseAddress]);
    await pulumi(["config", "set", "--secret", "scimToken", scim.token]);
    await pulumi(["config", "set", "validateCredentials", "true"]);
    await pulumi(["config", "set", "provisioningScope", "assignedUsersAndGroups"]);
    await pulumi(["config", "set", "notificationEmail", "provisioning-alerts@contoso.example"]);
    await pulumi(["config", "set", "waitFor", "initialCycle"]);
    // --refresh: the emulator's tenant may have been reset since the last run.
    await pulumi(["up", "--yes", "--refresh", "--non-interactive", "--skip-preview"], { show: true });
    const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
    const jobUrl = `/servicePrincipals/${emulator.seeded.scimServicePrincipalId}/synchronization/jobs/${outputs.jobId}`;
    // No polling here: `up` returned once the job's first cycle had ended (waitFor: initialCycle).
    const live = await graphGet(emulator, jobUrl);
    const last = live.status.lastExecution;
    console.log("\nProvisioning job created by `pulumi up`:");
    console.log(`  job id:    ${live.id}`);
    console.log(`  template:  ${live.templateId}`);
    console.log(`  schedule:  ${live.schedule.state} every ${live.schedule.interval}`);
    console.log(
      `  status:    ${live.status.code}` +
        (last ? ` (last cycle ${last.state}: ${last.countImported} imported, ${last.countExported} exported, ${last.countEscrowed} escrowed)` : ""),
    );
    if (live.status.quarantine) console.log(`  quarantine: ${live.status.quarantine.reason}: ${live.status.quarantine.error?.message ?? ""}`);
    console.log(`  secrets:   ${outputs.managedSecretKeys.join(", ")} (credential values are secret in state)`);

    // What the SCIM application received, asked the way any SCIM client would.
    const ca = require("fs").readFileSync(emulator.caCertPath);
    const users = await httpsJson(`${scim.baseAddress}/Users?count=100`, ca, { headers: { authorization: `Bearer ${scim.token}` } });
    const groups = await httpsJson(`${scim.baseAddress}/Groups?count=100`, ca, { headers: { authorization: `Bearer ${scim.token}` } });
    console.log(`\nUsers in the SCIM application (${scim.baseAddress}/Users): ${users.totalResults}`);
    for (const u of users.Resources) {
      const email = (u.emails || []).find((e) => e.type === "work")?.value ?? "";
      console.log(`  ${pad(u.userName, 32)} ${pad(u.displayName ?? "", 24)} ${pad(email, 32)} active=${u.active}`);
    }
    console.log(`Groups in the SCIM application: ${groups.Resources.map((g) => `${g.displayName} (${(g.members || []).length} members)`).join(", ") || "none"}`);
  } finally {
    await emulator.stop();
  }
}

const pad = (text, width) => String(text).padEnd(width);

/** Read the job back from Graph (the emulator) directly, as an administrator would. */
async function graphGet(emulator, p) {
  const ca = require("fs").readFileSync(emulator.caCertPath);
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: emulator.env.AZURE_CLIENT_ID,
    client_secret: emulator.env.AZURE_CLIENT_SECRET,
    scope: "https://graph.microsoft.com/.default",
  }).toString();
  const token = await httpsJson(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, ca, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  return httpsJson(`${emulator.graphEndpoint}/v1.0${p}`, ca, { headers: { authorization: `Bearer ${token.access_token}` } });
}

/** This process did not start with NODE_EXTRA_CA_CERTS, so it passes the emulator's CA explicitly. */
function httpsJson(url, ca, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = require("https").request(url, { method, headers, ca }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => (res.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
