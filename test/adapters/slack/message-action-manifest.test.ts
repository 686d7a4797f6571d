// The manifest declares one message shortcut per message action, with the callback id the listeners wait for.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { buildSlackManifest } from "../../../adapters/slack/manifest.ts";

test("the manifest's message shortcuts are Explain, Summarize and Translate to English", () => {
  expect(buildSlackManifest().features.shortcuts).toEqual([
    {
      name: "Explain",
      type: "message",
      callback_id: "parley_explain",
      description: "Explain this message in plain words",
    },
    {
      name: "Summarize",
      type: "message",
      callback_id: "parley_summarize",
      description: "Summarize the conversation up to this message",
    },
    {
      name: "Translate to English",
      type: "message",
      callback_id: "parley_translate",
      description: "Translate this message into English",
    },
  ]);
  const committed = JSON.parse(
    readFileSync(new URL("../../../slack-manifest.json", import.meta.url), "utf8"),
  );
  expect(committed.features.shortcuts).toEqual(buildSlackManifest().features.shortcuts);
});
