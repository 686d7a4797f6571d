// Who is an admin: ADMIN_USERS on every platform, what the platform says (Manage Server, workspace admin), the console.
import type { Logger } from "../logger.ts";
import type { Turn } from "../types.ts";

/** Said privately to someone who is not an admin and tried to change a setting. */
export const NOT_ADMIN_MESSAGE =
  "Only admins can change parley's settings: members with Manage Server on Discord, workspace admins and owners on Slack, and the people in ADMIN_USERS. Nothing was changed.";

/** True when the turn's author may change settings here. A platform that cannot tell counts as "no" (logged). */
export async function isAdmin(turn: Turn, adminUsers: readonly string[], logger: Logger): Promise<boolean> {
  if (turn.venue === "console") return true;
  if (adminUsers.includes(`${turn.key.platform}:${turn.author.id}`)) return true;
  if (!turn.author.isPlatformAdmin) return false;
  try {
    return await turn.author.isPlatformAdmin();
  } catch (error) {
    logger.warn(
      { user: turn.author.id, err: error },
      "could not ask the platform whether the user is an admin",
    );
    return false;
  }
}
