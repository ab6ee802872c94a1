/**
 * Serializes writes to one service principal's synchronization within the provider process, as
 * terraform-provider-azuread does: the secrets PUT and job create/start of the same app otherwise
 * race in Graph's backend (409s), since Pulumi runs independent resources in parallel.
 */

const tails = new Map<string, Promise<unknown>>();

export async function withServicePrincipalLock<T>(servicePrincipalId: string, work: () => Promise<T>): Promise<T> {
  // Graph compares object ids case-insensitively, and so does the lock.
  servicePrincipalId = servicePrincipalId.toLowerCase();
  const previous = tails.get(servicePrincipalId) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(servicePrincipalId, tail);
  try {
    return await run;
  } finally {
    if (tails.get(servicePrincipalId) === tail) tails.delete(servicePrincipalId);
  }
}
