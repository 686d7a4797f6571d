// Who is an admin: ADMIN_USERS on every platform, what the platform says (Manage Server, workspace admin), the console.
import { ParleyError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Turn } from "../types.ts";

/** Said privately to someone who is not an admin and tried to change a setting. */
export const NOT_ADMIN_MESSAGE =
  "Only admins can change parley's settings: members with Manage Server on Discord, workspace admins and owners on Slack, and the people in ADMIN_USERS. Nothing was changed.";

/** Said privately when the platform would not say whether the person is an admin (Slack's users.info failed). */
export const ADMIN_UNKNOWN_MESSAGE =
  "parley could not check whether you are an admin here, so nothing was changed — try again shortly.";

/** Said where the platform tells parley nothing about the author's rights (a Discord message): use the command. */
export function useTheSettingsCommand(settingsCommand: string): string {
  return `A message does not tell parley whether you may change its settings: use the ${settingsCommand} command instead. Nothing was changed.`;
}

/**
 * True when the turn's author may change settings here. A platform that cannot tell is neither a "yes" nor a "no":
 * the change is refused with ADMIN_UNKNOWN_MESSAGE (and logged), so a real admin is not told they are none.
 */
export async function isAdmin(turn: Turn, adminUsers: readonly string[], logger: Logger): Promise<boolean> {
  if (turn.venue === "console") return true;
  return isAdminUser(
    {
      platform: turn.key.platform,
      id: turn.author.id,
      ...(turn.author.isPlatformAdmin ? { isPlatformAdmin: turn.author.isPlatformAdmin } : {}),
    },
    adminUsers,
    logger,
  );
}

/** True when this user of this platform is an admin (ADMIN_USERS, or the platform says so). */
export async function isAdminUser(
  user: { platform: string; id: string; isPlatformAdmin?: () => Promise<boolean> },
  adminUsers: readonly string[],
  logger: Logger,
): Promise<boolean> {
  if (adminUsers.includes(`${user.platform}:${user.id}`)) return true;
  if (!user.isPlatformAdmin) return false;
  try {
    return await user.isPlatformAdmin();
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    logger.warn({ user: user.id, err: error }, "could not ask the platform whether the user is an admin");
    throw new ParleyError("platform_unavailable", ADMIN_UNKNOWN_MESSAGE, { cause: error });
  }
}
