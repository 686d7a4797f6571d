// Answers slash commands and model autocomplete: defer at once, then stream the engine's reply into the deferral.
import {
  ApplicationCommandType,
  DiscordAPIError,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type REST,
  RESTJSONErrorCodes,
  Routes,
  SnowflakeUtil,
} from "discord.js";
import { commandForName } from "../../src/command-names.ts";
import { findCommand, findSubcommand } from "../../src/commands.ts";
import type { ReplyControls } from "../../src/controls/reply-controls.ts";
import type { Logger } from "../../src/logger.ts";
import { claimEvent } from "../../src/ops/claim-event.ts";
import { SHUTTING_DOWN_MESSAGE, type TurnLifecycle } from "../../src/ops/turn-lifecycle.ts";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import { renderReply } from "../../src/render/render-reply.ts";
import type { RenderClock } from "../../src/render/surface.ts";
import { STORE_DOWN_MESSAGE } from "../../src/store/store-errors.ts";
import type { AttachmentReader, Engine, Turn } from "../../src/types.ts";
import { createChannelSurface } from "./channel-surface.ts";
import { modelChoices } from "./commands.ts";
import { createControlPressHandler } from "./control-presses.ts";
import { createInteractionSurface } from "./interaction-surface.ts";
import { errorForLog, logSurfaceError } from "./log-error.ts";
import { planMessageAction } from "./message-actions.ts";
import { NO_PINGS } from "./message-body.ts";
import { DISCORD_PLATFORM, focusedOption, parseCommandInteraction } from "./parse.ts";
import type { CommandInteractionPayload, ComponentInteractionPayload } from "./payloads.ts";

/**
 * How long parley answers through an interaction token. Discord drops it after 15 minutes; stop 30 s before
 * so an edit already on its way does not fail.
 */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

/** What the interaction handler needs. */
export interface InteractionHandlerOptions {
  /** The bot's REST client: channel messages (a fallback past the token's lifetime, a message command's thread). */
  rest: REST;
  /** Interaction callbacks and the interaction's webhook, outside the bot's global limit (default: `rest`). */
  interactionRest?: REST;
  engine: Engine;
  /** Runs each command's turn: request id, replies in flight, the "turn finished" line. */
  lifecycle: TurnLifecycle;
  logger: Logger;
  clock: RenderClock;
  /** After this long (from the interaction's creation) answers go to the channel; tests shorten it. */
  tokenLifetimeMs: number;
  /** Message budgets shared by every answer. */
  pacer?: EditPacer;
  /** COMMAND_PREFIX: the registered names are the registry's with this in front. */
  commandPrefix: string;
  /** Where button presses go; without it answers carry no buttons. */
  controls?: ReplyControls;
  /** Reads the files of a message a message command (Explain, Summarize, Translate to English) is about. */
  readAttachment?: AttachmentReader;
}

/** Handles one INTERACTION_CREATE payload; rejects only on unexpected failures (the caller logs them). */
export function createInteractionHandler(
  options: InteractionHandlerOptions,
): (interaction: CommandInteractionPayload | ComponentInteractionPayload) => Promise<void> {
  const { rest, engine, lifecycle, logger, clock } = options;
  const hooks = options.interactionRest ?? rest;
  const pacing = options.pacer ? { pacer: options.pacer } : {};
  const { controls } = options;

  const answerAutocomplete = async (interaction: CommandInteractionPayload): Promise<void> => {
    const focused = focusedOption(interaction);
    const command = commandForName(interaction.data.name, options.commandPrefix);
    const declared =
      command && focused?.subcommand
        ? findSubcommand(command, focused.subcommand)?.options
        : command?.options;
    const option = declared?.find((candidate) => candidate.name === focused?.name);
    const choices =
      focused && option?.autocompleteModels ? modelChoices(engine.allowedModels(), focused.typed) : [];
    await respond(interaction, {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices },
    });
  };

  /**
   * Sends an interaction's one response. Discord takes only the first for an interaction, so when several
   * processes on one bot token answer (autocomplete is not claimed), the others' "already acknowledged" is normal.
   */
  const respond = async (
    interaction: CommandInteractionPayload,
    body: Record<string, unknown>,
  ): Promise<void> => {
    try {
      await hooks.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged
      ) {
        logger.debug({ interaction: interaction.id }, "another process answered this interaction");
        return;
      }
      throw error;
    }
  };

  const refuse = (interaction: CommandInteractionPayload, content: string) =>
    respond(interaction, {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: NO_PINGS },
    });

  /** Answers once, on the process that claims the interaction: `turn` is built only after the deferral. */
  const claimAndAnswer = async (
    interaction: CommandInteractionPayload,
    turn: Turn | (() => Promise<Turn>),
    answer: { ephemeral: boolean; controls: boolean },
  ): Promise<void> => {
    if (!lifecycle.accepting()) {
      await refuse(interaction, SHUTTING_DOWN_MESSAGE);
      return;
    }
    // Several processes on one bot token all receive the interaction: the one that claims it answers. Without a
    // store no turn could run anyway; the asker hears why privately (Discord shows only one process's response).
    const claim = await claimEvent(engine, DISCORD_PLATFORM, `interaction:${interaction.id}`, logger);
    if (claim === "taken") return;
    if (claim === "store_down") {
      await refuse(interaction, STORE_DOWN_MESSAGE);
      return;
    }
    await deferAndAnswer(interaction, turn, answer.ephemeral, answer.controls);
  };

  const answerCommand = async (interaction: CommandInteractionPayload): Promise<void> => {
    const turn = parseCommandInteraction(interaction, options.commandPrefix);
    if (!turn) {
      await refuse(interaction, "parley does not know this command.");
      return;
    }
    // Outside the allow-lists the engine only refuses: privately, so the channel sees nothing.
    const ephemeral = findCommand(turn.kind)?.answersPrivately === true || !engine.access(turn).allowed;
    await claimAndAnswer(interaction, turn, { ephemeral, controls: true });
  };

  /** A message command's answer is private, for the asker alone. */
  const answerMessageAction = async (interaction: CommandInteractionPayload): Promise<void> => {
    const plan = planMessageAction(interaction, {
      rest,
      logger,
      ...(options.readAttachment ? { readAttachment: options.readAttachment } : {}),
    });
    if ("refusal" in plan) await refuse(interaction, plan.refusal);
    else await claimAndAnswer(interaction, plan.turn, { ephemeral: true, controls: false });
  };

  /**
   * Defers the interaction's response and streams the turn's answer into it. Discord shows "The application did not
   * respond" unless the deferral reaches it within 3 s: only the claim (one store round trip) and the turn's own steps
   * up to its provider request go before it.
   */
  const deferAndAnswer = async (
    interaction: CommandInteractionPayload | ComponentInteractionPayload,
    turnOrBuild: Turn | (() => Promise<Turn>),
    ephemeral: boolean,
    withControls = true,
  ): Promise<void> => {
    const callbackRoute = Routes.interactionCallback(interaction.id, interaction.token);
    const sendDeferral = () =>
      hooks.post(callbackRoute, {
        body: {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          ...(ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
        },
        auth: false,
      });
    // A turn that is ready asks the provider first: the deferral follows in the next turn of the event loop, once
    // the turn's first steps (store reads, the limits check, the request itself) have run. A turn still to be built
    // (a message action reads the channel first) is deferred at once.
    const deferred =
      typeof turnOrBuild === "function"
        ? sendDeferral()
        : new Promise<void>((resolve) => setImmediate(resolve)).then(sendDeferral);
    deferred.catch((error: unknown) => logger.warn({ error: errorForLog(error) }, "discord deferral failed"));
    const turn = typeof turnOrBuild === "function" ? await turnOrBuild() : turnOrBuild;
    const createdAtMs = SnowflakeUtil.timestampFrom(interaction.id);
    const channelId =
      ("channel" in interaction ? interaction.channel?.id : undefined) ??
      interaction.channel_id ??
      turn.key.thread;
    await lifecycle.run(
      turn,
      async ({ events, logger: turnLogger, requestId }) => {
        const buttons = controls && withControls ? { controlsId: requestId } : {};
        const surface = createInteractionSurface({
          rest: hooks,
          applicationId: interaction.application_id,
          interactionToken: interaction.token,
          deferred,
          ephemeral,
          tokenExpired: () => clock.now() - createdAtMs >= options.tokenLifetimeMs,
          fallback: () => createChannelSurface({ rest, target: { channelId }, ...pacing, ...buttons }),
          ...pacing,
          ...buttons,
        });
        const rendered = await renderReply(events, surface, clock);
        logSurfaceError(turnLogger, rendered);
        return rendered;
      },
      { logger },
    );
  };

  const answerPress = controls
    ? createControlPressHandler({
        rest: hooks,
        engine,
        controls,
        logger,
        // A retried answer follows the failed one, as a reply to the press.
        answerAgain: (interaction, turn) => deferAndAnswer(interaction, turn, false),
      })
    : async () => undefined;

  return async (received) => {
    if (isComponentInteraction(received)) return answerPress(received);
    const interaction = received;
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete)
      return answerAutocomplete(interaction);
    const isSlashCommand =
      interaction.type === InteractionType.ApplicationCommand &&
      (interaction.data.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
    if (isSlashCommand) await answerCommand(interaction);
    const isMessageCommand =
      interaction.type === InteractionType.ApplicationCommand &&
      interaction.data.type === ApplicationCommandType.Message;
    if (isMessageCommand) await answerMessageAction(interaction);
  };
}

/** True for a press on a message's component (a button), whose `data` names the component instead of a command. */
function isComponentInteraction(
  interaction: CommandInteractionPayload | ComponentInteractionPayload,
): interaction is ComponentInteractionPayload {
  return interaction.type === InteractionType.MessageComponent;
}
