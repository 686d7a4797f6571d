// Whether a Slack user is a workspace admin or owner (users.info), remembered briefly so a change shows up soon.
import type { webApi } from "@slack/bolt";

/** How long an answer is trusted: an admin demoted in Slack loses parley's admin rights within this. */
export const ADMIN_STATUS_TTL_MS = 60_000;

/** How many users' answers are remembered; the oldest is forgotten first. */
const MAX_REMEMBERED = 5_000;

/** Asks whether a user is a workspace admin or owner; rejects when Slack will not say. */
export type AdminStatusLookup = (client: webApi.WebClient, userId: string) => Promise<boolean>;

/** Creates a lookup that remembers each answer for ADMIN_STATUS_TTL_MS (users.info needs users:read). */
export function createAdminStatus(now: () => number = Date.now): AdminStatusLookup {
  const known = new Map<string, { isAdmin: boolean; atMs: number }>();
  return async (client, userId) => {
    const remembered = known.get(userId);
    if (remembered && now() - remembered.atMs < ADMIN_STATUS_TTL_MS) return remembered.isAdmin;
    const { user } = await client.users.info({ user: userId });
    const isAdmin = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
    known.delete(userId);
    if (known.size >= MAX_REMEMBERED) {
      const oldest = known.keys().next();
      if (!oldest.done) known.delete(oldest.value);
    }
    known.set(userId, { isAdmin, atMs: now() });
    return isAdmin;
  };
}
