// Draws a reply's controls as Slack blocks: the text in sections, a Stop button, a context_actions feedback row.
import type { ReplyControl } from "../../src/render/surface.ts";

/** The action_id of the Stop button. */
export const STOP_ACTION_ID = "parley_stop";
/** The action_id of the Retry button. */
export const RETRY_ACTION_ID = "parley_retry";
/** The action_id of the 👍/👎 feedback buttons. */
export const FEEDBACK_ACTION_ID = "parley_feedback";

/** Longest mrkdwn text one section block takes (Slack's limit). */
const SECTION_MAX_CHARACTERS = 3_000;

/** A Block Kit block, as JSON. */
export type SlackBlock = Record<string, unknown>;

/** The blocks of a reply message showing `text` (mrkdwn) under `controls` of reply `requestId`. */
export function replyBlocks(
  text: string,
  controls: readonly ReplyControl[],
  requestId: string,
): SlackBlock[] {
  const sections = sectionTexts(text).map((part) => ({
    type: "section",
    text: { type: "mrkdwn", text: part },
  }));
  return [...sections, ...controls.map((control) => controlBlock(control, requestId))];
}

function controlBlock(control: ReplyControl, requestId: string): SlackBlock {
  const plain = (text: string) => ({ type: "plain_text", text });
  if (control === "stop") {
    return {
      type: "actions",
      elements: [{ type: "button", action_id: STOP_ACTION_ID, text: plain("Stop"), value: requestId }],
    };
  }
  if (control === "retry") {
    return {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: RETRY_ACTION_ID,
          text: plain("Retry"),
          value: requestId,
          style: "primary",
        },
      ],
    };
  }
  return {
    type: "context_actions",
    elements: [
      {
        type: "feedback_buttons",
        action_id: FEEDBACK_ACTION_ID,
        positive_button: { text: plain("👍"), value: `up:${requestId}`, accessibility_label: "Good answer" },
        negative_button: { text: plain("👎"), value: `down:${requestId}`, accessibility_label: "Bad answer" },
      },
    ],
  };
}

/** Cuts text into section-sized parts, at a line break where there is one. */
function sectionTexts(text: string): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > SECTION_MAX_CHARACTERS) {
    const lineBreak = rest.lastIndexOf("\n", SECTION_MAX_CHARACTERS);
    const cut = lineBreak > 0 ? lineBreak : SECTION_MAX_CHARACTERS;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.trim() !== "") parts.push(rest);
  return parts;
}
