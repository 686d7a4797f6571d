// The link that adds parley to a server, asking for exactly the permissions it uses and nothing more.
import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from "discord.js";

/** What parley does in a server, and the permission each thing needs. */
export const BOT_PERMISSIONS = [
  // See the channels it is asked in, and fetch one it has not cached.
  PermissionFlagsBits.ViewChannel,
  // Answer in channels, and show "typing…" meanwhile.
  PermissionFlagsBits.SendMessages,
  // Answer in threads and forum posts.
  PermissionFlagsBits.SendMessagesInThreads,
  // Open a thread on the message that mentions it.
  PermissionFlagsBits.CreatePublicThreads,
  // An answer replies to its question, which Discord allows only with the channel's history readable.
  PermissionFlagsBits.ReadMessageHistory,
];

/** The scopes: the bot user itself, and its slash commands. */
const SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands];

/** The OAuth2 URL that invites the application's bot with BOT_PERMISSIONS. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: SCOPES.join(" "),
    permissions: new PermissionsBitField(BOT_PERMISSIONS).bitfield.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}
