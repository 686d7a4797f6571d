// Decides what a turn's files become: images for vision models, small text files as text, the rest a note.
import type { Logger } from "../logger.ts";
import type { Attachment, AttachmentReader } from "../types.ts";
import { DownloadRefusedError, DownloadTooLargeError } from "./download-capped.ts";

/** Largest text file read into the prompt. */
export const MAX_TEXT_FILE_BYTES = 100 * 1024;
/** Largest image passed to a vision model. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Most images per turn; any beyond are not downloaded at all. */
export const MAX_IMAGES_PER_TURN = 4;
/** Most bytes downloaded for one turn's files together (as base64 in the request they grow by a third). */
export const MAX_TURN_ATTACHMENT_BYTES = 32 * 1024 * 1024;

const TEXT_MIME = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|typescript|x-sh|sql|toml|csv))/;
const TEXT_EXTENSION =
  /\.(txt|md|markdown|csv|tsv|json|ya?ml|toml|xml|html?|css|js|mjs|cjs|ts|tsx|jsx|py|rb|go|rs|java|kt|c|h|cpp|hpp|cs|php|sh|sql|log|ini|cfg|conf|env\.example)$/i;

/** What the attachments of one turn contribute. */
export interface PreparedAttachments {
  /** data: URLs of images to send as image inputs. */
  imageUrls: string[];
  /** Text files, already framed for the prompt. */
  textBlocks: string[];
  /** One line per skipped file, shown under the answer. */
  notes: string[];
}

/**
 * Reads the attachments a model can use; never throws: a failed or refused download becomes a note for the user,
 * and a line in `logger` when one is given.
 */
export async function prepareAttachments(
  attachments: readonly Attachment[],
  read: AttachmentReader | undefined,
  modelSupportsVision: boolean,
  logger?: Logger,
): Promise<PreparedAttachments> {
  const prepared: PreparedAttachments = { imageUrls: [], textBlocks: [], notes: [] };
  const budget = { remainingBytes: MAX_TURN_ATTACHMENT_BYTES };
  let imagesTried = 0;
  for (const attachment of attachments) {
    const isImage = attachment.mimeType.startsWith("image/");
    const isText = TEXT_MIME.test(attachment.mimeType) || TEXT_EXTENSION.test(attachment.name);
    // Declared sizes may only rule a file out: the download itself enforces every limit again.
    const skip = (why: string, error?: unknown) => {
      prepared.notes.push(`Skipped ${attachment.name}: ${why}`);
      if (error !== undefined)
        logger?.warn({ file: attachment.name, err: error }, "attachment not downloaded");
    };
    if (!read) {
      skip("files cannot be read here.");
    } else if (isImage) {
      if (!modelSupportsVision) skip("this model cannot see images.");
      else if (attachment.sizeBytes > MAX_IMAGE_BYTES) skip(IMAGE_TOO_LARGE);
      else if (imagesTried >= MAX_IMAGES_PER_TURN) skip(`at most ${MAX_IMAGES_PER_TURN} images per message.`);
      else if (attachment.sizeBytes > budget.remainingBytes) skip(TURN_BUDGET_SPENT);
      else {
        imagesTried += 1;
        const bytes = await download(read, attachment, MAX_IMAGE_BYTES, IMAGE_TOO_LARGE, budget, skip);
        if (bytes)
          prepared.imageUrls.push(
            `data:${attachment.mimeType};base64,${Buffer.from(bytes).toString("base64")}`,
          );
      }
    } else if (isText) {
      if (attachment.sizeBytes > MAX_TEXT_FILE_BYTES) skip(TEXT_TOO_LARGE);
      else if (attachment.sizeBytes > budget.remainingBytes) skip(TURN_BUDGET_SPENT);
      else {
        const bytes = await download(read, attachment, MAX_TEXT_FILE_BYTES, TEXT_TOO_LARGE, budget, skip);
        if (bytes) {
          const text = new TextDecoder().decode(bytes);
          prepared.textBlocks.push(`Attached file ${attachment.name}:\n\`\`\`\n${text}\n\`\`\``);
        }
      }
    } else {
      skip(
        `only images and text files up to 100 kB are read (this is ${attachment.mimeType || "an unknown type"}).`,
      );
    }
  }
  return prepared;
}

const IMAGE_TOO_LARGE = "images over 20 MB are not sent.";
const TEXT_TOO_LARGE = "text files over 100 kB are not read.";
const TURN_BUDGET_SPENT = "the files of one message may add up to 32 MB at most.";

/** Downloads at most the kind's limit or what is left of the turn's budget, whichever is less. */
async function download(
  read: AttachmentReader,
  attachment: Attachment,
  kindMaxBytes: number,
  tooLargeNote: string,
  budget: { remainingBytes: number },
  skip: (why: string, error?: unknown) => void,
): Promise<Uint8Array | undefined> {
  const maxBytes = Math.min(kindMaxBytes, budget.remainingBytes);
  if (maxBytes <= 0) {
    skip(TURN_BUDGET_SPENT);
    return undefined;
  }
  try {
    const bytes = await read(attachment, maxBytes);
    // A reader that ignored the limit is held to it all the same.
    if (bytes.byteLength > maxBytes) throw new DownloadTooLargeError(maxBytes);
    budget.remainingBytes -= bytes.byteLength;
    return bytes;
  } catch (error) {
    if (error instanceof DownloadTooLargeError) {
      // The download stopped once the limit was passed: that much was received and counts against the turn.
      budget.remainingBytes -= maxBytes;
      skip(maxBytes < kindMaxBytes ? TURN_BUDGET_SPENT : tooLargeNote, error);
    } else if (error instanceof DownloadRefusedError) {
      skip("it is not on a host parley downloads from.", error);
    } else {
      skip("it could not be downloaded.", error);
    }
    return undefined;
  }
}
