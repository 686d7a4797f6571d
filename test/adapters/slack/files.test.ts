// File downloads: the bot token goes to Slack's hosts only, and a sign-in page is not mistaken for the file.
import { afterEach, describe, expect, it } from "vitest";
import { createSlackFileReader, isTrustedFileHost } from "../../../adapters/slack/files.ts";
import { DownloadRefusedError, DownloadTooLargeError } from "../../../src/engine/download-capped.ts";
import { type FileServer, settled, startFileServer } from "../../support/file-server.ts";

let server: FileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const API_URL = "https://slack.com/api/";
const attachment = (url: string, mimeType = "text/plain") => ({ name: "a.txt", url, mimeType, sizeBytes: 5 });

describe("Slack file reader", () => {
  it("trusts Slack's hosts and the configured API host only", () => {
    expect(isTrustedFileHost("https://files.slack.com/files-pri/T1-F1/a.txt", API_URL)).toBe(true);
    expect(isTrustedFileHost("http://127.0.0.1:9/files/a.txt", "http://127.0.0.1:9/api/")).toBe(true);
    expect(isTrustedFileHost("https://evil.example/slack.com/a.txt", API_URL)).toBe(false);
    expect(isTrustedFileHost("https://files.slack.com.evil.example/a.txt", API_URL)).toBe(false);
    expect(isTrustedFileHost("not a url", API_URL)).toBe(false);
  });

  it("sends the bot token and returns the bytes", async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fetchFile: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") });
      return new Response("hello", { headers: { "content-type": "text/plain" } });
    };
    const read = createSlackFileReader({ botToken: "xoxb-1", apiUrl: API_URL, fetch: fetchFile });
    const bytes = await read(attachment("https://files.slack.com/files-pri/T1-F1/a.txt"), 1024);
    expect(new TextDecoder().decode(bytes)).toBe("hello");
    expect(seen).toEqual([
      { url: "https://files.slack.com/files-pri/T1-F1/a.txt", authorization: "Bearer xoxb-1" },
    ]);
  });

  it("refuses other hosts without sending anything, and Slack's sign-in page", async () => {
    let calls = 0;
    const signInPage: typeof fetch = async () => {
      calls += 1;
      return new Response("<html>", { headers: { "content-type": "text/html; charset=utf-8" } });
    };
    const read = createSlackFileReader({ botToken: "xoxb-1", apiUrl: API_URL, fetch: signInPage });
    await expect(read(attachment("https://evil.example/a.txt"), 1024)).rejects.toThrow(/refusing/);
    expect(calls).toBe(0);
    await expect(read(attachment("https://files.slack.com/a.txt"), 1024)).rejects.toThrow(/files:read/);
  });

  it("stops a file with no length once it passes the engine's limit, and the server sees the connection close", async () => {
    server = await startFileServer({
      "/files/big.txt": { kind: "stream", contentType: "text/plain", totalBytes: 100 * 1024 * 1024 },
    });
    const apiUrl = `${server.url}/api/`;
    const read = createSlackFileReader({ botToken: "xoxb-1", apiUrl });
    await expect(read(attachment(`${server.url}/files/big.txt`), 100 * 1024)).rejects.toBeInstanceOf(
      DownloadTooLargeError,
    );
    const [request] = await settled(server);
    expect(request?.closedEarly).toBe(true);
    expect(request?.authorization).toBe("Bearer xoxb-1");
  });

  it("does not follow a redirect away from Slack, so the token goes nowhere else", async () => {
    const elsewhere = "http://localhost:9/stolen.txt";
    server = await startFileServer({ "/files/a.txt": { kind: "redirect", location: elsewhere } });
    const read = createSlackFileReader({ botToken: "xoxb-1", apiUrl: `${server.url}/api/` });
    await expect(read(attachment(`${server.url}/files/a.txt`), 1024)).rejects.toBeInstanceOf(
      DownloadRefusedError,
    );
    expect(server.requests.map((request) => request.path)).toEqual(["/files/a.txt"]);
  });
});
