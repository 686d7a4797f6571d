// Decides what a turn's files become: images for vision models, small text files as text, the rest a note.
import type { Attachment, AttachmentReader } from "../types.ts";

/** Largest text file read into the prompt. */
export const MAX_TEXT_FILE_BYTES = 100 * 1024;
/** Largest image passed to a vision model. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Most images per turn. */
export const MAX_IMAGES_PER_TURN = 4;

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

/** Reads the attachments a model can use; never throws (a failed download becomes a note). */
export async function prepareAttachments(
  attachments: readonly Attachment[],
  read: AttachmentReader | undefined,
  modelSupportsVision: boolean,
): Promise<PreparedAttachments> {
  const prepared: PreparedAttachments = { imageUrls: [], textBlocks: [], notes: [] };
  for (const attachment of attachments) {
    const isImage = attachment.mimeType.startsWith("image/");
    const isText = TEXT_MIME.test(attachment.mimeType) || TEXT_EXTENSION.test(attachment.name);
    if (!read) {
      prepared.notes.push(`Skipped ${attachment.name}: files cannot be read here.`);
    } else if (isImage) {
      if (!modelSupportsVision) {
        prepared.notes.push(`Skipped ${attachment.name}: this model cannot see images.`);
      } else if (attachment.sizeBytes > MAX_IMAGE_BYTES) {
        prepared.notes.push(`Skipped ${attachment.name}: images over 20 MB are not sent.`);
      } else if (prepared.imageUrls.length >= MAX_IMAGES_PER_TURN) {
        prepared.notes.push(`Skipped ${attachment.name}: at most ${MAX_IMAGES_PER_TURN} images per message.`);
      } else {
        const bytes = await readSafely(read, attachment, prepared);
        if (bytes)
          prepared.imageUrls.push(
            `data:${attachment.mimeType};base64,${Buffer.from(bytes).toString("base64")}`,
          );
      }
    } else if (isText) {
      if (attachment.sizeBytes > MAX_TEXT_FILE_BYTES) {
        prepared.notes.push(`Skipped ${attachment.name}: text files over 100 kB are not read.`);
      } else {
        const bytes = await readSafely(read, attachment, prepared);
        if (bytes) {
          const text = new TextDecoder().decode(bytes.subarray(0, MAX_TEXT_FILE_BYTES));
          prepared.textBlocks.push(`Attached file ${attachment.name}:\n\`\`\`\n${text}\n\`\`\``);
        }
      }
    } else {
      prepared.notes.push(
        `Skipped ${attachment.name}: only images and text files up to 100 kB are read (this is ${attachment.mimeType || "an unknown type"}).`,
      );
    }
  }
  return prepared;
}

async function readSafely(
  read: AttachmentReader,
  attachment: Attachment,
  prepared: PreparedAttachments,
): Promise<Uint8Array | undefined> {
  try {
    return await read(attachment);
  } catch {
    prepared.notes.push(`Skipped ${attachment.name}: it could not be downloaded.`);
    return undefined;
  }
}
