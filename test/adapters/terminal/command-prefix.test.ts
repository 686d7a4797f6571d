// `npm run chat` with COMMAND_PREFIX set: the terminal shares its prompt with no other app, so its commands stay plain.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";

const CHAT = new URL("../../../adapters/terminal/main.ts", import.meta.url).pathname;
let fake: FakeAimlApi | undefined;
let directory: string | undefined;

afterEach(async () => {
  await fake?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

it("lists and takes the unprefixed commands, and names them so", async () => {
  fake = await startFakeAimlApi();
  const folder = mkdtempSync(join(tmpdir(), "parley-chat-prefix-"));
  directory = folder;
  const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
    const child = execFile(
      process.execPath,
      [CHAT],
      {
        // An empty folder, so a developer's .env cannot leak in.
        cwd: folder,
        env: {
          PATH: process.env.PATH ?? "",
          AIML_API_KEY: "test-key-123456",
          AIML_BASE_URL: fake?.url ?? "",
          STORE_URL: `sqlite://${join(folder, "chat.sqlite")}`,
          COMMAND_PREFIX: "ai-",
        },
        timeout: 20_000,
      },
      (error, out) => resolve({ stdout: out, code: error ? Number(error.code ?? 1) : 0 }),
    );
    child.stdin?.end(["/help", "/model", "/ai-help", "/quit", ""].join("\n"));
  });
  expect(code).toBe(0);
  expect(stdout).toContain("`/ask <prompt>`");
  expect(stdout).toContain("Change it with `/model <name>`.");
  expect(stdout).not.toContain("/ai-ask");
  expect(stdout).toContain("Unknown command /ai-help. Type /help for the list.");
});
