// Listens for parley's slash commands: acknowledge first, then answer in a thread (model commands) or privately.
import type { App } from "@slack/bolt";
import { slashCommand } from "../../src/command-names.ts";
import { COMMANDS } from "../../src/commands.ts";
import { SHUTTING_DOWN_MESSAGE } from "../../src/ops/turn-lifecycle.ts";
import type { SlackHandlerDependencies } from "./handler-dependencies.ts";
import { parseSlashCommand, type SlackCommand } from "./parse-command.ts";
import { createPrivateSurface } from "./private-surface.ts";
import { createSlackSurface, describeSlackError, postPlaceholder } from "./surface.ts";
import { commandHeader, commandTurn, slackKey } from "./turns.ts";

/** Said privately when parley may not post where the command was typed. */
export const CANNOT_POST_HERE_TEXT =
  "I can't post in this conversation. Invite me to the channel (`/invite @parley`) or send me a direct message.";

/** True for a command the registry does not make private, with its text (an empty prompt is answered privately). */
function answersInChannel(command: SlackCommand): boolean {
  return command.spec.answersPrivately !== true && command.text !== "";
}

/** Registers one listener per command of the registry, named with COMMAND_PREFIX in front (`/ai-ask`). */
export function registerCommandListeners(
  app: App,
  deps: SlackHandlerDependencies,
  commandPrefix: string,
): void {
  const { answerer, logger } = deps;
  for (const spec of COMMANDS) {
    app.command(slashCommand(spec.name, commandPrefix), async ({ ack, body, client, respond }) => {
      // Slack gives up after 3 seconds: acknowledge before anything else.
      await ack();
      const command = parseSlashCommand(body, commandPrefix);
      if (command === undefined) return;
      if (!answerer.accepting()) {
        await respond({ response_type: "ephemeral", text: SHUTTING_DOWN_MESSAGE }).catch((error: unknown) => {
          logger.warn({ err: describeSlackError(error) }, "could not answer through response_url");
        });
        return;
      }
      const isPlatformAdmin = () => deps.adminStatus(client, command.userId);
      const privateKey = slackKey(command.teamId, command.channel, command.threadTs ?? command.channel);
      const privateTurn = commandTurn(command, privateKey, isPlatformAdmin);
      // Outside the allow-lists the engine only refuses: privately, before anything is posted in the channel.
      if (!answersInChannel(command) || !deps.engine.access(privateTurn).allowed) {
        answerer.answer(privateTurn, () => createPrivateSurface(respond));
        return;
      }
      // The answer starts a thread (or continues the one the command came from); its key needs the root's ts.
      const header = commandHeader(command);
      // Streamed natively, the answer goes in the thread under the question; otherwise it fills the placeholder.
      const streams = deps.streaming.streams(command.teamId);
      const rootTs = await postPlaceholder(
        client,
        {
          channel: command.channel,
          threadTs: command.threadTs,
          header,
          ...(streams ? { thinking: false } : {}),
        },
        logger,
      );
      if (rootTs === undefined) {
        await respond({ response_type: "ephemeral", text: CANNOT_POST_HERE_TEXT }).catch((error: unknown) => {
          logger.warn({ err: describeSlackError(error) }, "could not answer through response_url");
        });
        return;
      }
      const thread = command.threadTs ?? rootTs;
      const makeSurface = (turnLogger: typeof logger) =>
        createSlackSurface({
          client,
          channel: command.channel,
          threadTs: thread,
          logger: turnLogger,
          editIntervalMs: deps.editIntervalMs,
          updateBudget: deps.editPacer.budget(command.teamId),
          ...(streams
            ? {
                streamTo: {
                  recipientUserId: command.userId,
                  recipientTeamId: command.teamId,
                  workspaces: deps.streaming,
                },
              }
            : { placeholder: Promise.resolve(rootTs), header }),
          showErrorPrivately: async (text) => {
            await respond({ response_type: "ephemeral", text: `:warning: ${text}` });
          },
        });
      answerer.answer(
        commandTurn(command, slackKey(command.teamId, command.channel, thread), isPlatformAdmin),
        makeSurface,
      );
    });
  }
}
