/**
 * Typed provisioning settings and the synchronization secret keys they are stored under.
 *
 * Graph keeps an app's provisioning settings next to its credentials, as secret keys with string
 * values (docs/graph-behaviour.md §3, synchronizationSecret):
 *  - `SyncAll`: "true" = provision all users and groups, "false" = only those assigned to the app
 *    (the docs' PUT example sends "false");
 *  - `SyncNotificationSettings`: a JSON document the portal writes as
 *    `{"Enabled":true,"Recipients":"a@b.c","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}`
 *    ("Send an email notification when a failure occurs", "Notification Email", "Prevent
 *    accidental deletion", "Accidental deletion threshold"); the docs' PUT example sends
 *    `{"Enabled":false,"DeleteThresholdEnabled":false}`;
 *  - `SkipOutOfScopeDeletions`: "True" keeps accounts that leave the scope enabled in the target
 *    (the "skip out of scope deletions" how-to writes True/False).
 * The four notification fields share one JSON value, so declaring any of them manages all four:
 * the ones left out are written as "off".
 *
 * Pure functions: check uses them at preview time, create/update to build the PUT, read to turn the
 * live values back into settings for drift.
 */

import { type CheckFailure, describe, isNumberInRange, isUnknown } from "../validation";

export const PROVISIONING_SCOPES = ["assignedUsersAndGroups", "allUsersAndGroups"] as const;
export type ProvisioningScope = (typeof PROVISIONING_SCOPES)[number];

export interface ProvisioningSettings {
  /** Who is provisioned: only users and groups assigned to the app (the portal's default), or everyone. */
  provisioningScope?: ProvisioningScope;
  /** Where failure and quarantine e-mails go. */
  notificationEmail?: string;
  /** Send an e-mail when provisioning fails or the job is quarantined. Default: true when notificationEmail is set. */
  sendFailureEmails?: boolean;
  /** Hold back a cycle that would delete more than this many accounts (accidental-deletion prevention). */
  accidentalDeletionThreshold?: number;
  /** Leave accounts that go out of scope enabled in the target instead of disabling them. */
  skipOutOfScopeDeletions?: boolean;
}

export const SETTING_NAMES = [
  "provisioningScope",
  "notificationEmail",
  "sendFailureEmails",
  "accidentalDeletionThreshold",
  "skipOutOfScopeDeletions",
] as const satisfies readonly (keyof ProvisioningSettings)[];

const NOTIFICATION_FIELDS = ["notificationEmail", "sendFailureEmails", "accidentalDeletionThreshold"] as const;

/** The secret keys settings are written to; a program may not set them through `credentials` too. */
export const SETTINGS_SECRET_KEYS = ["SyncAll", "SyncNotificationSettings", "SkipOutOfScopeDeletions"] as const;

/** The JSON document of `SyncNotificationSettings`, member names as the portal writes them. */
interface SyncNotificationSettings {
  Enabled: boolean;
  Recipients?: string;
  DeleteThresholdEnabled: boolean;
  DeleteThresholdValue?: number;
}

/** Only the declared settings, without undefined members (what state and diffs should hold). */
export function pickSettings(source: object): ProvisioningSettings {
  const from = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) if (from[name] !== undefined && from[name] !== null) out[name] = from[name];
  return out;
}

function notificationSettingsOf(s: ProvisioningSettings): SyncNotificationSettings {
  const threshold = s.accidentalDeletionThreshold;
  return {
    Enabled: s.sendFailureEmails ?? s.notificationEmail !== undefined,
    Recipients: s.notificationEmail ?? "",
    DeleteThresholdEnabled: threshold !== undefined,
    ...(threshold !== undefined ? { DeleteThresholdValue: threshold } : {}),
  };
}

/** The secret key -> value pairs that represent the declared settings. */
export function settingsToSecrets(s: ProvisioningSettings): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.provisioningScope !== undefined) out.SyncAll = s.provisioningScope === "allUsersAndGroups" ? "true" : "false";
  if (NOTIFICATION_FIELDS.some((f) => s[f] !== undefined)) {
    out.SyncNotificationSettings = JSON.stringify(notificationSettingsOf(s));
  }
  if (s.skipOutOfScopeDeletions !== undefined) out.SkipOutOfScopeDeletions = s.skipOutOfScopeDeletions ? "True" : "False";
  return out;
}

/** Graph answers runs of "*" for values it will not reveal. */
const isMasked = (v: string) => /^\*+$/.test(v);

/**
 * The settings as the live secret values say, for the settings the program declares. A key that
 * is gone yields no setting; a value that is masked or unreadable keeps the declared one (no
 * evidence of drift); a notification document that differs from the declared one is reported in
 * full, so the preview shows which field changed.
 */
export function settingsFromSecrets(live: ReadonlyMap<string, string>, declared: ProvisioningSettings): ProvisioningSettings {
  const out: ProvisioningSettings = {};
  const written = settingsToSecrets(declared);
  if (written.SyncAll !== undefined) {
    const v = live.get("SyncAll");
    if (v !== undefined) {
      const lower = v.toLowerCase();
      out.provisioningScope = lower === "true" ? "allUsersAndGroups" : lower === "false" ? "assignedUsersAndGroups" : declared.provisioningScope;
    }
  }
  if (written.SkipOutOfScopeDeletions !== undefined) {
    const v = live.get("SkipOutOfScopeDeletions");
    if (v !== undefined) {
      const lower = v.toLowerCase();
      out.skipOutOfScopeDeletions = lower === "true" || lower === "1" ? true : lower === "false" || lower === "0" ? false : declared.skipOutOfScopeDeletions;
    }
  }
  if (written.SyncNotificationSettings !== undefined) {
    const v = live.get("SyncNotificationSettings");
    const parsed = v === undefined || isMasked(v) ? undefined : parseNotificationSettings(v);
    if (v !== undefined && (parsed === undefined || sameNotificationSettings(parsed, notificationSettingsOf(declared)))) {
      for (const f of NOTIFICATION_FIELDS) if (declared[f] !== undefined) (out as Record<string, unknown>)[f] = declared[f];
    } else if (parsed) {
      if (parsed.Recipients) out.notificationEmail = parsed.Recipients;
      // Left out when it matches what leaving it out means, so only real differences show.
      if (declared.sendFailureEmails !== undefined || parsed.Enabled !== Boolean(parsed.Recipients)) out.sendFailureEmails = parsed.Enabled;
      if (parsed.DeleteThresholdEnabled) out.accidentalDeletionThreshold = parsed.DeleteThresholdValue ?? 0;
    }
  }
  return out;
}

export function parseNotificationSettings(text: string): SyncNotificationSettings | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const value = v.DeleteThresholdValue;
    return {
      Enabled: v.Enabled === true || String(v.Enabled).toLowerCase() === "true",
      Recipients: typeof v.Recipients === "string" ? v.Recipients : undefined,
      DeleteThresholdEnabled: v.DeleteThresholdEnabled === true || String(v.DeleteThresholdEnabled).toLowerCase() === "true",
      DeleteThresholdValue: typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Equal in meaning: an absent Recipients is "", and the threshold only counts when enabled. */
function sameNotificationSettings(a: SyncNotificationSettings, b: SyncNotificationSettings): boolean {
  return (
    a.Enabled === b.Enabled &&
    (a.Recipients ?? "") === (b.Recipients ?? "") &&
    a.DeleteThresholdEnabled === b.DeleteThresholdEnabled &&
    (!a.DeleteThresholdEnabled || a.DeleteThresholdValue === b.DeleteThresholdValue)
  );
}

/**
 * The largest accidentalDeletionThreshold accepted. Microsoft documents no range for
 * SyncNotificationSettings.DeleteThresholdValue: neither the accidental-deletions how-to nor the
 * portal's "Accidental deletion threshold" field states one, and the key itself is undocumented
 * (entra-docs PR 2084). Graph's other deletion threshold, onPremisesAccidentalDeletionPrevention's
 * alertThreshold, is an Int32, so a positive 32-bit integer is the bound chosen here: anything
 * larger (1e308) is a mistake to report at preview, not a number to send to Graph.
 */
export const MAX_DELETION_THRESHOLD = 2_147_483_647;

// A pragmatic address check (one address, no display name): Graph's own rules are not published.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** check() of the typed settings; failures name the input property. */
export function checkSettings(news: Record<string, unknown>, failures: CheckFailure[]): void {
  const scope = news.provisioningScope;
  if (scope !== undefined && scope !== null && !isUnknown(scope) && !(PROVISIONING_SCOPES as readonly unknown[]).includes(scope)) {
    failures.push({
      property: "provisioningScope",
      reason: `provisioningScope must be "assignedUsersAndGroups" (only users and groups assigned to the app) or "allUsersAndGroups", got ${describe(scope)}`,
    });
  }
  const email = news.notificationEmail;
  if (email !== undefined && email !== null && !isUnknown(email) && (typeof email !== "string" || !EMAIL.test(email))) {
    failures.push({ property: "notificationEmail", reason: `notificationEmail must be one e-mail address, got ${describe(email)}` });
  }
  for (const name of ["sendFailureEmails", "skipOutOfScopeDeletions"] as const) {
    const v = news[name];
    if (v !== undefined && v !== null && !isUnknown(v) && typeof v !== "boolean") {
      failures.push({ property: name, reason: `${name} must be a boolean, got ${describe(v)}` });
    }
  }
  if (news.sendFailureEmails === true && (news.notificationEmail === undefined || news.notificationEmail === null)) {
    failures.push({ property: "sendFailureEmails", reason: "sendFailureEmails needs notificationEmail: the address the e-mails go to" });
  }
  const threshold = news.accidentalDeletionThreshold;
  if (threshold !== undefined && threshold !== null && !isUnknown(threshold)) {
    if (!isNumberInRange(threshold, 1, MAX_DELETION_THRESHOLD, { integer: true })) {
      failures.push({
        property: "accidentalDeletionThreshold",
        reason:
          `accidentalDeletionThreshold must be a whole number of accounts from 1 to ${MAX_DELETION_THRESHOLD} ` +
          `(leave it out to turn the prevention off), got ${describe(threshold)}`,
      });
    }
  }
}
