// What every Slack listener is given: the engine, the answerer, lookups and the logger.
import type { Logger } from "../../src/logger.ts";
import type { EditPacer } from "../../src/render/edit-pacer.ts";
import type { AttachmentReader, Engine } from "../../src/types.ts";
import type { AdminStatusLookup } from "./admin-status.ts";
import type { Answerer } from "./answer.ts";
import type { StreamingWorkspaces } from "./streaming-workspaces.ts";
import type { DisplayNameLookup } from "./user-names.ts";

/** The dependencies of the Slack listeners. */
export interface SlackHandlerDependencies {
  engine: Engine;
  logger: Logger;
  answerer: Answerer;
  displayName: DisplayNameLookup;
  /** Whether a user is a workspace admin or owner (asked only for settings changes). */
  adminStatus: AdminStatusLookup;
  readAttachment: AttachmentReader;
  /** Least time between two edits of one message. */
  editIntervalMs: number;
  /** chat.update budgets by workspace, shared by every answer of the adapter. */
  editPacer: EditPacer;
  /** Where answers are streamed natively (chat.startStream) rather than posted and updated. */
  streaming: StreamingWorkspaces;
}
