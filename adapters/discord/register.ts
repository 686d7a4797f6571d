// Registers parley's slash commands with Discord: `npm run register` (to DISCORD_GUILD_ID's guild, else globally;
// the other scope is emptied so no command appears twice).
import { REST } from "discord.js";
import { loadConfig, readEnvironment } from "../../src/config.ts";
import { errorForLog } from "./log-error.ts";
import { publishCommands } from "./publish-commands.ts";

/** Reads the environment, registers the commands and says what it did; the token is never printed. */
async function main(): Promise<void> {
  // Registering needs only Discord's variables: an admin may do it before the API key exists.
  const env = readEnvironment(process.env);
  const config = loadConfig({ ...env, AIML_API_KEY: env.AIML_API_KEY?.trim() || "not-needed-to-register" });
  const token = config.discord.token;
  if (!token) throw new Error("DISCORD_TOKEN: required to register the slash commands");
  const rest = new REST({ api: config.discord.apiUrl }).setToken(token);
  try {
    const published = await publishCommands({
      rest,
      ...(config.discord.guildId ? { guildId: config.discord.guildId } : {}),
      commandPrefix: config.commandPrefix,
    });
    // Slash commands by their /name; message commands (a message's Apps menu) by their title.
    const names = published.names
      .map((name) => (/^[\p{Ll}\p{N}_-]+$/u.test(name) ? `/${name}` : `"${name}"`))
      .join(", ");
    const where = published.guildId
      ? `guild ${published.guildId} (they appear at once)`
      : "every guild and DMs, globally (Discord may take a few minutes to show them)";
    console.log(
      `Registered ${published.names.length} commands for application ${published.applicationId} in ${where}: ${names}`,
    );
    if (published.removedGlobalCommands > 0) {
      console.log(
        `Removed the application's ${published.removedGlobalCommands} global commands, so none appears twice.`,
      );
    }
    if (published.removedFromGuilds.length > 0) {
      console.log(
        `Removed the application's commands from guild${published.removedFromGuilds.length > 1 ? "s" : ""} ${published.removedFromGuilds.join(", ")}, so none appears twice.`,
      );
    }
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

main().catch((error: unknown) => {
  const { message } = errorForLog(error);
  console.error(`Registering the Discord commands failed: ${String(message)}`);
  process.exitCode = 1;
});
