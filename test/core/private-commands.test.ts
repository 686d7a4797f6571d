// Which commands answer privately is declared once in the registry, and the rule is: only model answers are public.
import { expect, test } from "vitest";
import { COMMANDS } from "../../src/commands.ts";

test("the commands that ask a model answer in public; every other command answers privately", () => {
  const privateNames = COMMANDS.filter((command) => command.answersPrivately).map((command) => command.name);
  expect(privateNames).toEqual(["model", "reset", "usage", "help", "settings"]);
  for (const command of COMMANDS)
    expect(command.answersPrivately === true).toBe(command.modelRole === undefined);
});
