// Who may use parley where: ALLOW_CHANNELS, ALLOW_USERS, ALLOW_ROLES and ALLOW_DMS, checked without the store.
import type { AccessVerdict, Turn } from "../types.ts";
import type { PolicyConfig } from "./policy-config.ts";

/** Said privately to a command outside the allowed channels. */
export const CHANNEL_NOT_ALLOWED =
  "parley is not enabled in this channel; an admin can add it to ALLOW_CHANNELS.";
/** Said privately to a command in a direct message when ALLOW_DMS is off. */
export const DIRECT_MESSAGES_NOT_ALLOWED =
  "parley does not answer direct messages here; ask in a channel instead.";
/** Said privately to a command from someone outside ALLOW_USERS and ALLOW_ROLES. */
export const USER_NOT_ALLOWED =
  "parley is not enabled for you; an admin can add you to ALLOW_USERS or ALLOW_ROLES.";

/**
 * Whether the allow-lists let this turn through. A thread follows its parent channel (the key's channel); direct
 * messages follow ALLOW_DMS instead of ALLOW_CHANNELS. ALLOW_USERS and ALLOW_ROLES together name who may ask (a
 * person in either passes; ADMIN_USERS always pass); roles exist only where the platform has them. Entries match
 * a bare id or `platform:id`. The console is the operator's own and is never restricted.
 */
export function checkAccess(turn: Turn, policy: PolicyConfig): AccessVerdict {
  if (turn.venue === "console") return { allowed: true };
  const { access } = policy;
  const platform = turn.key.platform;
  const listed = (list: readonly string[], id: string) =>
    list.some((entry) => entry === id || entry === `${platform}:${id}`);
  if (turn.venue === "direct") {
    if (!access.directMessages) return { allowed: false, message: DIRECT_MESSAGES_NOT_ALLOWED };
  } else if (access.channels.length > 0 && !listed(access.channels, turn.key.channel)) {
    return { allowed: false, message: CHANNEL_NOT_ALLOWED };
  }
  if (access.users.length === 0 && access.roles.length === 0) return { allowed: true };
  const admitted =
    policy.adminUsers.includes(`${platform}:${turn.author.id}`) ||
    listed(access.users, turn.author.id) ||
    (turn.author.roles ?? []).some((role) => listed(access.roles, role));
  return admitted ? { allowed: true } : { allowed: false, message: USER_NOT_ALLOWED };
}
