// The surface for answers only the asker sees: ephemeral messages through a slash command's response_url.
import type { RespondFn } from "@slack/bolt";
import type { PostedMessage } from "../../src/render/surface.ts";
import { markdownToSlack } from "./format.ts";
import { SLACK_ANSWER_MAX_CHARACTERS } from "./limits.ts";
import type { SlackSurface } from "./surface.ts";

/** response_url takes 5 posts in 30 minutes: edits of a private answer are kept rare. */
const PRIVATE_EDIT_INTERVAL_MS = 3_000;

/** A surface that answers only the person who typed the command, through the command's response_url. */
export function createPrivateSurface(respond: RespondFn): SlackSurface {
  let posted = 0;
  return {
    maxMessageLength: SLACK_ANSWER_MAX_CHARACTERS,
    editIntervalMs: PRIVATE_EDIT_INTERVAL_MS,
    format: markdownToSlack,
    async post(text): Promise<PostedMessage> {
      await respond({ response_type: "ephemeral", text });
      posted += 1;
      return { id: `ephemeral-${posted}` };
    },
    async edit(_message, text) {
      await respond({ response_type: "ephemeral", replace_original: true, text });
    },
    async postError(text) {
      await respond({ response_type: "ephemeral", text: `:warning: ${text}` });
    },
    async finish() {},
  };
}
