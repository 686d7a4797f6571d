// Files on a turn: images go to vision models, small text files become text, anything else is skipped with a note.
import { afterEach, describe, expect, it } from "vitest";
import type { Attachment } from "../../../src/types.ts";
import { type EngineHarness, startEngineHarness } from "../../support/engine-harness.ts";
import { validateProviderRequest } from "../../support/provider-specs.ts";

let harness: EngineHarness;
afterEach(async () => {
  await harness.close();
});

const files: Record<string, Uint8Array> = {
  "https://files.test/cat.png": new Uint8Array([137, 80, 78, 71]),
  "https://files.test/notes.txt": new TextEncoder().encode("line one\nline two"),
};
const readAttachment = async (attachment: Attachment) => {
  const bytes = files[attachment.url];
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

describe("attachments", () => {
  it("sends images and text files to a vision model and notes what it skipped", async () => {
    harness = await startEngineHarness();
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
    harness = await startEngineHarness();
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
});
