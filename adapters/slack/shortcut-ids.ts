// The callback ids of parley's Slack message shortcuts, shared by the manifest and the listeners.
import type { MessageActionSpec } from "../../src/message-actions.ts";

/** The shortcut's callback id in the manifest and in Bolt: `parley_explain`. */
export function messageActionCallbackId(action: MessageActionSpec): string {
  return `parley_${action.name}`;
}
