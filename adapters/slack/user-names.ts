// Display names of Slack users, looked up once per user with users.info and remembered.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";
import { describeSlackError } from "./surface.ts";

/** How many names are remembered; the oldest is forgotten first. */
const MAX_REMEMBERED_NAMES = 5_000;

/** Looks up a user's display name; falls back to the user id when Slack will not say. */
export type DisplayNameLookup = (client: webApi.WebClient, userId: string) => Promise<string>;

/** Creates a remembering display-name lookup (users.info needs the users:read scope). */
export function createDisplayNames(logger: Logger): DisplayNameLookup {
  const names = new Map<string, string>();
  return async (client, userId) => {
    const known = names.get(userId);
    if (known !== undefined) return known;
    let name = userId;
    try {
      const { user } = await client.users.info({ user: userId });
      name =
        user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || userId;
    } catch (error) {
      logger.debug({ user: userId, err: describeSlackError(error) }, "users.info failed; using the user id");
      return userId;
    }
    if (names.size >= MAX_REMEMBERED_NAMES) {
      const oldest = names.keys().next();
      if (!oldest.done) names.delete(oldest.value);
    }
    names.set(userId, name);
    return name;
  };
}
