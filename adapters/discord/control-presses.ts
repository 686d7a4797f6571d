// Answers presses on parley's buttons (Stop, 👍/👎, Retry) within Discord's 3 s: the core decides, this only replies.
import { InteractionResponseType, MessageFlags, type REST, Routes } from "discord.js";
import type { Presser, ReplyControls } from "../../src/controls/reply-controls.ts";
import type { Logger } from "../../src/logger.ts";
import { claimEvent } from "../../src/ops/claim-event.ts";
import { STORE_DOWN_MESSAGE } from "../../src/store/store-errors.ts";
import type { Engine, Turn } from "../../src/types.ts";
import { parseControlId } from "./control-buttons.ts";
import { NO_PINGS } from "./message-body.ts";
import { authorOf, DISCORD_PLATFORM } from "./parse.ts";
import type { ComponentInteractionPayload } from "./payloads.ts";

/** Said to a press on a button parley does not know (an older version's, say). */
export const UNKNOWN_BUTTON = "This button no longer does anything.";

/** What the press handler needs. */
export interface ControlPressOptions {
  rest: REST;
  engine: Engine;
  controls: ReplyControls;
  logger: Logger;
  /**
   * Answers a Retry press: acknowledges `interaction` with a deferred message and streams the new answer of `turn`
   * into it.
   */
  answerAgain: (interaction: ComponentInteractionPayload, turn: Turn) => Promise<void>;
}

/** Handles one MESSAGE_COMPONENT interaction on a reply's buttons. */
export function createControlPressHandler(
  options: ControlPressOptions,
): (interaction: ComponentInteractionPayload) => Promise<void> {
  const { rest, controls, logger } = options;
  const respond = (interaction: ComponentInteractionPayload, body: Record<string, unknown>) =>
    rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
  const tellPrivately = (interaction: ComponentInteractionPayload, content: string) =>
    respond(interaction, {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: NO_PINGS },
    });

  return async (interaction) => {
    const user = interaction.member?.user ?? interaction.user;
    const pressed = parseControlId(interaction.data.custom_id);
    if (!user || !pressed) {
      await tellPrivately(interaction, UNKNOWN_BUTTON);
      return;
    }
    // Every replica on the bot token receives the press: the one that claims it answers.
    const claim = await claimEvent(options.engine, DISCORD_PLATFORM, `interaction:${interaction.id}`, logger);
    if (claim === "taken") return;
    if (claim === "store_down") {
      await tellPrivately(interaction, STORE_DOWN_MESSAGE);
      return;
    }
    const author = authorOf(user, interaction.member);
    const presser: Presser = {
      platform: DISCORD_PLATFORM,
      id: author.id,
      ...(author.isPlatformAdmin ? { isPlatformAdmin: author.isPlatformAdmin } : {}),
    };
    switch (pressed.control) {
      case "stop": {
        const outcome = await controls.stop(pressed.requestId, presser);
        // A stop shows on the message itself (the answer's last edit drops the button): nothing more to say.
        if (outcome.done) await respond(interaction, { type: InteractionResponseType.DeferredMessageUpdate });
        else await tellPrivately(interaction, outcome.message);
        return;
      }
      case "retry": {
        const outcome = await controls.retry(pressed.requestId, presser);
        if (outcome.done) await options.answerAgain(interaction, outcome.turn);
        else await tellPrivately(interaction, outcome.message);
        return;
      }
      default: {
        const outcome = await controls.vote(pressed.requestId, presser, pressed.control);
        await tellPrivately(interaction, outcome.message ?? "Noted.");
        return;
      }
    }
  };
}
