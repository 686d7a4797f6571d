// Discord's command definitions come from the registry and satisfy Discord's API; autocomplete filters models.
import { expect, test } from "vitest";
import {
  discordCommands,
  MAX_AUTOCOMPLETE_CHOICES,
  modelChoices,
  slashCommands,
} from "../../../adapters/discord/commands.ts";
import { COMMANDS, type CommandSpec } from "../../../src/commands.ts";
import { loadDiscordSpec } from "../../support/fake-discord-spec.ts";

test("every registry command is defined, with Discord's name and length rules", () => {
  const commands = slashCommands("");
  expect(commands.map((command) => command.name)).toEqual([
    "ask",
    "search",
    "reason",
    "model",
    "reset",
    "usage",
    "help",
    "settings",
  ]);
  for (const command of commands) {
    expect(command.name).toMatch(/^[a-z0-9_-]{1,32}$/);
    expect(command.description.length).toBeLessThanOrEqual(100);
    expect((command.options ?? []).length).toBeLessThanOrEqual(25);
    const required = (command.options ?? []).map((option) =>
      "required" in option ? option.required === true : false,
    );
    // Required options must come first.
    expect(required).toEqual([...required].sort((first, second) => Number(second) - Number(first)));
  }
});

test("the bulk overwrite body is valid for Discord's API (guild and global)", () => {
  const spec = loadDiscordSpec();
  const body = discordCommands("");
  expect(spec.check("PUT", "/applications/1/guilds/2/commands", body)).toEqual([]);
  expect(spec.check("PUT", "/applications/1/commands", body)).toEqual([]);
});

test("options map to autocomplete, fixed choices or free text", () => {
  const byName = new Map(slashCommands("").map((command) => [command.name, command.options ?? []]));
  expect(byName.get("ask")).toEqual([
    { type: 3, name: "prompt", description: "What you want to ask", required: true },
    expect.objectContaining({ name: "model", required: false, autocomplete: true }),
  ]);
  expect(byName.get("reason")?.[1]).toMatchObject({
    name: "effort",
    choices: [
      { name: "low", value: "low" },
      { name: "medium", value: "medium" },
      { name: "high", value: "high" },
    ],
  });
  expect(byName.get("model")?.[0]).toMatchObject({ name: "name", autocomplete: true, required: false });
  expect(byName.get("help")).toEqual([]);
});

test("/settings is subcommands, visible to everyone, with a member picker for forget", () => {
  const settings = slashCommands("").find((command) => command.name === "settings");
  expect(settings).toBeDefined();
  expect(settings).not.toHaveProperty("default_member_permissions");
  expect(settings?.options?.map((option) => [option.type, option.name])).toEqual([
    [1, "show"],
    [1, "prompt"],
    [1, "model"],
    [1, "limit"],
    [1, "forget"],
  ]);
  const subcommand = (name: string) =>
    (settings?.options ?? []).find((option) => option.name === name) as { options?: unknown[] } | undefined;
  expect(subcommand("model")?.options).toEqual([
    expect.objectContaining({
      type: 3,
      name: "command",
      choices: expect.arrayContaining([{ name: "search", value: "search" }]),
    }),
    expect.objectContaining({ type: 3, name: "model", autocomplete: true, required: true }),
  ]);
  expect(subcommand("forget")?.options).toEqual([
    { type: 6, name: "user", description: "Who to forget", required: true },
  ]);
});

test("a registry change shows up in the definitions", () => {
  const changed: CommandSpec = { name: "help", description: "Changed", usageHint: "", options: [] };
  expect(slashCommands("", [...COMMANDS.slice(0, 6), changed])[6]?.description).toBe("Changed");
});

test("model autocomplete: matches anywhere, prefix matches first, at most 25", () => {
  const models = ["openai/gpt-4.1-mini", "gpt-4o-mini", "o4-mini", "claude-sonnet-4"];
  expect(modelChoices(models, "GPT").map((choice) => choice.value)).toEqual([
    "gpt-4o-mini",
    "openai/gpt-4.1-mini",
  ]);
  expect(modelChoices(models, "")).toHaveLength(4);
  const many = Array.from({ length: 40 }, (_, index) => `model-${index}`);
  expect(modelChoices(many, "model")).toHaveLength(MAX_AUTOCOMPLETE_CHOICES);
});

test("every command can be installed to a server or an account, and used in servers and any DM", () => {
  for (const command of discordCommands("")) {
    expect(command.integration_types).toEqual([0, 1]);
    expect(command.contexts).toEqual([0, 1, 2]);
  }
});

test("the message actions are message commands, named as their menu entries", () => {
  const messageCommands = discordCommands("").filter((command) => command.type === 3);
  expect(messageCommands.map((command) => command.name)).toEqual([
    "Explain",
    "Summarize",
    "Translate to English",
  ]);
  // COMMAND_PREFIX is for slash names that may clash; a message menu entry needs none.
  expect(discordCommands("ai-").filter((command) => command.type === 3)).toEqual(messageCommands);
});
