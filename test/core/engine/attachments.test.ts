// Files on a turn: images go to vision models, small text files become text, anything else is skipped with a note.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createAttachmentReader } from "../../../adapters/discord/attachments.ts";
import { MAX_IMAGES_PER_TURN, prepareAttachments } from "../../../src/engine/attachments.ts";
import { createLogger } from "../../../src/logger.ts";
import type { Attachment } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";
import { type FileRoute, type FileServer, settled, startFileServer } from "../../support/file-server.ts";
import { validateProviderRequest } from "../../support/provider-specs.ts";

let harness: EngineHarness | undefined;
let files: FileServer | undefined;
afterEach(async () => {
  await harness?.close();
  await files?.close();
  harness = undefined;
  files = undefined;
});

const MB = 1024 * 1024;

const fixedFiles: Record<string, Uint8Array> = {
  "https://files.test/cat.png": new Uint8Array([137, 80, 78, 71]),
  "https://files.test/notes.txt": new TextEncoder().encode("line one\nline two"),
};
const readAttachment = async (attachment: Attachment) => {
  const bytes = fixedFiles[attachment.url];
  if (!bytes) throw new Error("404");
  return bytes;
};
const attachments: Attachment[] = [
  { name: "cat.png", url: "https://files.test/cat.png", mimeType: "image/png", sizeBytes: 4 },
  { name: "notes.txt", url: "https://files.test/notes.txt", mimeType: "text/plain", sizeBytes: 17 },
  { name: "big.log", url: "https://files.test/big.log", mimeType: "text/plain", sizeBytes: 200_000 },
  { name: "movie.mp4", url: "https://files.test/movie.mp4", mimeType: "video/mp4", sizeBytes: 5_000 },
  { name: "gone.md", url: "https://files.test/gone.md", mimeType: "text/markdown", sizeBytes: 10 },
];

/** A log destination that keeps each line. */
function logTo(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

async function startTestHarness(): Promise<EngineHarness> {
  harness = await startEngineHarness();
  return harness;
}

/** Serves `routes` on loopback and reads them the way the Discord adapter does (the fake's host stands for the CDN). */
async function discordFiles(routes: Record<string, FileRoute>) {
  files = await startFileServer(routes);
  const server = files;
  const read = createAttachmentReader({ apiUrl: `${server.url}/api` });
  const file = (name: string, mimeType: string, sizeBytes: number, host = server.url): Attachment => ({
    name,
    url: `${host}/${name}`,
    mimeType,
    sizeBytes,
  });
  return { server, read, file };
}

describe("attachments", () => {
  it("sends images and text files to a vision model and notes what it skipped", async () => {
    const harness = await startTestHarness();
    const outcome = await harness.run({
      kind: "mention",
      text: "what is this?",
      attachments,
      readAttachment,
    });
    const [body] = harness.fake.chatRequests();
    const user = body?.messages.at(-1);
    expect(user?.content).toEqual([
      { type: "text", text: "Ada: what is this?\n\nAttached file notes.txt:\n```\nline one\nline two\n```" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw==", detail: "auto" } },
    ]);
    expect(validateProviderRequest(body).errors).toEqual([]);
    expect(outcome.result?.notes).toEqual([
      "Skipped big.log: text files over 100 kB are not read.",
      "Skipped movie.mp4: only images and text files up to 100 kB are read (this is video/mp4).",
      "Skipped gone.md: it could not be downloaded.",
    ]);
  });

  it("keeps images away from a model that cannot see", async () => {
    const harness = await startTestHarness();
    const outcome = await harness.run({
      kind: "search",
      text: "find this",
      attachments: attachments.slice(0, 2),
      readAttachment,
    });
    const [body] = harness.fake.chatRequests();
    expect(typeof body?.messages.at(-1)?.content).toBe("string");
    expect(outcome.result?.notes).toEqual(["Skipped cat.png: this model cannot see images."]);
    expect(validateProviderRequest(body).errors).toEqual([]);
  });

  it("cuts off files that are bigger than they said while downloading; the model never sees them", async () => {
    const { server, read, file } = await discordFiles({
      "/photo.png": { kind: "stream", contentType: "image/png", totalBytes: 200 * MB },
      "/notes.txt": { kind: "stream", contentType: "text/plain", totalBytes: 5 * MB },
      "/ok.txt": { kind: "file", contentType: "text/plain", body: new TextEncoder().encode("all fine") },
    });
    const harness = await startTestHarness();
    // localhost is the same machine under another name: a host the Discord reader does not trust.
    const elsewhere = server.url.replace("127.0.0.1", "localhost");
    const outcome = await harness.run({
      kind: "mention",
      text: "look",
      attachments: [
        file("photo.png", "image/png", 1_000),
        file("notes.txt", "text/plain", 20),
        file("evil.txt", "text/plain", 20, elsewhere),
        file("ok.txt", "text/plain", 8),
      ],
      readAttachment: read,
    });
    expect(outcome.result?.notes).toEqual([
      "Skipped photo.png: images over 20 MB are not sent.",
      "Skipped notes.txt: text files over 100 kB are not read.",
      "Skipped evil.txt: it is not on a host parley downloads from.",
    ]);
    const [body] = harness.fake.chatRequests();
    expect(body?.messages.at(-1)?.content).toBe("Ada: look\n\nAttached file ok.txt:\n```\nall fine\n```");
    expect(validateProviderRequest(body).errors).toEqual([]);
    const requests = await settled(server);
    expect(requests.map(({ path, closedEarly }) => ({ path, closedEarly }))).toEqual([
      { path: "/photo.png", closedEarly: true },
      { path: "/notes.txt", closedEarly: true },
      { path: "/ok.txt", closedEarly: false },
    ]);
    expect(requests[0]?.bytesWritten).toBeLessThan(40 * MB);
    expect(requests[1]?.bytesWritten).toBeLessThan(5 * MB);
  });

  it(`downloads at most ${MAX_IMAGES_PER_TURN} images and never fetches the rest`, async () => {
    const pixel = new Uint8Array([137, 80, 78, 71]);
    const names = ["1.png", "2.png", "3.png", "4.png", "5.png", "6.png"];
    const { server, read, file } = await discordFiles(
      Object.fromEntries(
        names.map((name) => [`/${name}`, { kind: "file", contentType: "image/png", body: pixel }]),
      ),
    );
    const prepared = await prepareAttachments(
      names.map((name) => file(name, "image/png", pixel.byteLength)),
      read,
      true,
    );
    expect(prepared.imageUrls).toHaveLength(MAX_IMAGES_PER_TURN);
    expect(prepared.notes).toEqual([
      "Skipped 5.png: at most 4 images per message.",
      "Skipped 6.png: at most 4 images per message.",
    ]);
    expect(server.requests.map((request) => request.path)).toEqual(["/1.png", "/2.png", "/3.png", "/4.png"]);
  });

  it("keeps the files of one message within 32 MB, counting what was downloaded, not what was declared", async () => {
    const image = (totalBytes: number): FileRoute => ({
      kind: "stream",
      contentType: "image/png",
      totalBytes,
      declaredBytes: totalBytes,
    });
    const logLines: string[] = [];
    const { server, read, file } = await discordFiles({
      "/a.png": image(12 * MB),
      "/b.png": image(12 * MB),
      "/c.png": image(12 * MB),
      "/liar.png": { kind: "stream", contentType: "image/png", totalBytes: 100 * MB },
    });
    const prepared = await prepareAttachments(
      [
        file("a.png", "image/png", 12 * MB),
        file("b.png", "image/png", 12 * MB),
        file("c.png", "image/png", 12 * MB),
        file("liar.png", "image/png", 1_000),
      ],
      read,
      true,
      createLogger("debug", logTo(logLines)),
    );
    expect(prepared.imageUrls).toHaveLength(2);
    expect(prepared.notes).toEqual([
      "Skipped c.png: the files of one message may add up to 32 MB at most.",
      "Skipped liar.png: the files of one message may add up to 32 MB at most.",
    ]);
    const requests = await settled(server);
    // c.png said it would not fit and was never requested; liar.png was cut off at the 8 MB still left.
    expect(requests.map(({ path, closedEarly }) => ({ path, closedEarly }))).toEqual([
      { path: "/a.png", closedEarly: false },
      { path: "/b.png", closedEarly: false },
      { path: "/liar.png", closedEarly: true },
    ]);
    // c.png was ruled out by its declared size (nothing went wrong); liar.png's aborted download is logged.
    expect(logLines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      {
        level: 40,
        file: "liar.png",
        msg: "attachment not downloaded",
        err: { type: "DownloadTooLargeError" },
      },
    ]);
  });
});
