// Hints name a command the way that reaches the user's conversation: Slack threads need a mention, others do not.
import { describe, expect, it } from "vitest";
import { commandHint, isThreadConversation, promptHint } from "../../src/command-hint.ts";
import type { ConversationKey } from "../../src/types.ts";

const slackThread: ConversationKey = {
  platform: "slack",
  workspace: "T1",
  channel: "C1",
  thread: "1710.0001",
};
const slackChannel: ConversationKey = { platform: "slack", workspace: "T1", channel: "C1", thread: "C1" };
const discordThread: ConversationKey = { platform: "discord", workspace: "G1", channel: "C1", thread: "T9" };
const discordChannel: ConversationKey = { platform: "discord", workspace: "G1", channel: "C1", thread: "C1" };
const terminal: ConversationKey = {
  platform: "terminal",
  workspace: "local",
  channel: "console",
  thread: "main",
};

describe("commandHint", () => {
  it("writes a command in a Slack thread as a mention, since Slack's slash commands cannot reach threads", () => {
    expect(commandHint(slackThread, "model", "", "<name>")).toBe("`@parley /model <name>`");
    expect(commandHint(slackThread, "reset", "")).toBe("`@parley /reset`");
  });

  it("writes a plain slash command where one reaches the conversation", () => {
    expect(commandHint(slackChannel, "model", "", "<name>")).toBe("`/model <name>`");
    expect(commandHint(discordThread, "model", "", "<name>")).toBe("`/model <name>`");
    expect(commandHint(discordChannel, "search", "", "latest Node.js LTS")).toBe(
      "`/search latest Node.js LTS`",
    );
    expect(commandHint(terminal, "model", "", "<name>")).toBe("`/model <name>`");
  });

  it("can name the command for a thread of the conversation's platform", () => {
    expect(commandHint(slackChannel, "reset", "", "", { inThread: true })).toBe("`@parley /reset`");
    expect(commandHint(discordChannel, "reset", "", "", { inThread: true })).toBe("`/reset`");
  });

  it("names the command with COMMAND_PREFIX", () => {
    expect(commandHint(slackThread, "model", "ai-", "<name>")).toBe("`@parley /ai-model <name>`");
    expect(commandHint(discordChannel, "reset", "ai-")).toBe("`/ai-reset`");
  });
});

describe("promptHint", () => {
  it("asks with a mention where the platform has mentions, with plain text in the terminal", () => {
    expect(promptHint(slackThread, "what is a monad?")).toBe("`@parley what is a monad?`");
    expect(promptHint(discordChannel, "what is a monad?")).toBe("`@parley what is a monad?`");
    expect(promptHint(terminal, "what is a monad?")).toBe("`what is a monad?`");
  });
});

describe("isThreadConversation", () => {
  it("is true for a thread of a channel, and never in the terminal, whose one conversation has no threads", () => {
    expect([slackThread, discordThread].map(isThreadConversation)).toEqual([true, true]);
    expect([slackChannel, discordChannel, terminal].map(isThreadConversation)).toEqual([false, false, false]);
  });
});
