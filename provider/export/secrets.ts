/**
 * An app's secrets as a SynchronizationSecrets declaration: the provisioning settings as typed
 * settings where their values say exactly what the typed form writes, every other key as a
 * credential, masked values as secret config the user sets. Checked against what the first `up`
 * compares (secrets.ts alreadyHeld), so that it writes nothing.
 */

import { alreadyHeld, isMasked, managedSecrets } from "../handlers/secrets";
import { parseNotificationSettings, type ProvisioningSettings, SETTINGS_SECRET_KEYS } from "../settings/provisioning-settings";

export interface ExportedSecrets {
  /** Keys whose values Graph shows: declared with those values. */
  plain: Record<string, string>;
  /** Keys Graph masks: declared from secret config, and adopted as they are. */
  masked: string[];
  settings: ProvisioningSettings;
}

export function exportedSecrets(live: ReadonlyMap<string, string>): ExportedSecrets {
  const settings: ProvisioningSettings = {};
  const syncAll = live.get("SyncAll");
  if (syncAll !== undefined && !isMasked(syncAll)) {
    if (syncAll.toLowerCase() === "true") settings.provisioningScope = "allUsersAndGroups";
    if (syncAll.toLowerCase() === "false") settings.provisioningScope = "assignedUsersAndGroups";
  }
  const skip = live.get("SkipOutOfScopeDeletions");
  if (skip !== undefined && /^(true|false)$/i.test(skip)) settings.skipOutOfScopeDeletions = skip.toLowerCase() === "true";
  const notifications = live.get("SyncNotificationSettings");
  const parsed = notifications !== undefined && !isMasked(notifications) ? parseNotificationSettings(notifications) : undefined;
  if (parsed) {
    if (parsed.Recipients) settings.notificationEmail = parsed.Recipients;
    if (parsed.Enabled !== Boolean(parsed.Recipients)) settings.sendFailureEmails = parsed.Enabled;
    if (parsed.DeleteThresholdEnabled) settings.accidentalDeletionThreshold = parsed.DeleteThresholdValue ?? 0;
  }
  // A setting stays typed only where the typed form writes exactly what is there.
  const written = managedSecrets({ credentials: {}, ...settings });
  for (const key of SETTINGS_SECRET_KEYS) {
    if (written[key] !== undefined && !alreadyHeld(key, written[key], live.get(key), false)) dropSettingsOf(key, settings);
  }
  const typed = managedSecrets({ credentials: {}, ...settings });
  const plain: Record<string, string> = {};
  const masked: string[] = [];
  for (const [key, value] of [...live.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (typed[key] !== undefined) continue;
    if (isMasked(value)) masked.push(key);
    else plain[key] = value;
  }
  return { plain, masked, settings };
}

function dropSettingsOf(key: string, settings: ProvisioningSettings): void {
  if (key === "SyncAll") delete settings.provisioningScope;
  if (key === "SkipOutOfScopeDeletions") delete settings.skipOutOfScopeDeletions;
  if (key === "SyncNotificationSettings") {
    delete settings.notificationEmail;
    delete settings.sendFailureEmails;
    delete settings.accidentalDeletionThreshold;
  }
}
