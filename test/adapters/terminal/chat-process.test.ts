// `npm run chat` as a user runs it: a real process on the fake provider answers an ask, a search and a reason.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../../support/fake-aimlapi.ts";

const PROJECT_ROOT = new URL("../../../", import.meta.url).pathname;
let fake: FakeAimlApi;
let directory: string;

afterEach(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the terminal adapter with the given input lines and returns what it printed. */
function runChat(
  lines: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    // Run from an empty folder so a developer's own .env cannot leak into the test.
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "adapters/terminal/main.ts")], {
      cwd: directory,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(`${lines.join("\n")}\n`);
  });
}

describe("npm run chat", () => {
  it("answers an ask, a search with Sources and a reason with effort, streaming to the terminal", async () => {
    fake = await startFakeAimlApi();
    directory = mkdtempSync(join(tmpdir(), "parley-chat-"));
    fake.enqueue(
      { text: "A monad is a way to chain computations.\n\n```ts\nconst x = 1;\n```", chunkSize: 3 },
      {
        text: "Node.js 24 is the active LTS.",
        annotations: [{ url: "https://nodejs.org/en/about/previous-releases", title: "Node.js releases" }],
      },
      { text: "Rayleigh scattering." },
    );
    const { stdout, stderr, code } = await runChat(
      [
        "what is a monad?",
        "/search current node lts",
        "/reason extreme why is the sky blue?",
        "/reason high why is the sky blue?",
        "/quit",
      ],
      {
        AIML_API_KEY: "test-key-123456",
        AIML_BASE_URL: fake.url,
        STORE_URL: `sqlite://${join(directory, "chat.sqlite")}`,
      },
    );
    expect(stderr).not.toContain("test-key-123456");
    expect(code).toBe(0);
    // Each answer ends by naming the model that answered it.
    expect(stdout).toContain(
      "A monad is a way to chain computations.\n\n```ts\nconst x = 1;\n```\n\n*Model: gpt-4.1-mini-2025-04-14*",
    );
    // Streamed in 3-character pieces, yet the terminal shows each fence once: nothing printed is taken back.
    expect(stdout.match(/```/g)).toHaveLength(2);
    expect(stdout).toContain("(Searching the web…)");
    expect(stdout).toContain(
      "Node.js 24 is the active LTS.\n\n**Sources**\n1. [Node.js releases](https://nodejs.org/en/about/previous-releases)\n\n*Model: gpt-4o-mini-search-preview-2025-01-01*",
    );
    expect(stdout).toContain("Rayleigh scattering.\n\n*Model: o4-mini-2025-04-16*");
    // A mistaken effort is refused before anything is sent (the requests below hold no "extreme").
    expect(stdout).toContain('effort must be low, medium or high, not "extreme".');
    const bodies = fake.chatRequests();
    expect(bodies.map((body) => body.model)).toEqual([
      "openai/gpt-4.1-mini-2025-04-14",
      "gpt-4o-mini-search-preview",
      "openai/o4-mini-2025-04-16",
    ]);
    expect(bodies[2]).toMatchObject({ reasoning_effort: "high" });
  });

  it("refuses to start without an API key and names the variable", async () => {
    fake = await startFakeAimlApi();
    directory = mkdtempSync(join(tmpdir(), "parley-chat-"));
    const { stderr, code } = await runChat([], { AIML_BASE_URL: fake.url });
    expect(code).toBe(1);
    expect(stderr).toContain("AIML_API_KEY: required");
  });
});
