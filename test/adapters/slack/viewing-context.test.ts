// What a user is viewing in Slack: parsed from app_context_changed, remembered per user, worded for the prompt.
import { describe, expect, it } from "vitest";
import { createViewingContexts, parseViewedEntities } from "../../../adapters/slack/viewing-context.ts";

describe("viewing contexts", () => {
  it("reads channels, messages, canvases and lists, most relevant first, and skips what it does not know", () => {
    const entities = parseViewedEntities({
      entities: [
        {
          type: "slack#/types/message_context",
          value: { channel_id: "C1", message_ts: "1700000000.000100" },
        },
        { type: "slack#/types/channel_id", value: "C1", team_id: "T1" },
        { type: "slack#/types/canvas_id", value: "F1" },
        { type: "slack#/types/something_new", value: "X" },
        { type: "slack#/types/list_id" },
      ],
    });
    expect(entities).toEqual([
      { type: "message", channel: "C1", ts: "1700000000.000100" },
      { type: "channel", id: "C1" },
      { type: "canvas", id: "F1" },
    ]);
    expect(parseViewedEntities({})).toEqual([]);
    expect(parseViewedEntities(undefined)).toEqual([]);
  });

  it("words the latest context per user, forgets an empty one, and forgets the oldest user past the limit", () => {
    const contexts = createViewingContexts(2);
    contexts.remember("T1", "U1", [{ type: "channel", id: "C1" }]);
    contexts.remember("T1", "U1", [
      { type: "message", channel: "C2", ts: "1.2" },
      { type: "channel", id: "C2" },
    ]);
    expect(contexts.note("T1", "U1")).toBe(
      "(In Slack, the user is viewing the message 1.2 in the channel C2, then the channel C2.)",
    );
    expect(contexts.note("T2", "U1")).toBeUndefined();
    contexts.remember("T1", "U1", []);
    expect(contexts.note("T1", "U1")).toBeUndefined();
    contexts.remember("T1", "U1", [{ type: "channel", id: "C1" }]);
    contexts.remember("T1", "U2", [{ type: "list", id: "L2" }]);
    contexts.remember("T1", "U3", [{ type: "canvas", id: "F3" }]);
    expect(contexts.note("T1", "U1")).toBeUndefined();
    expect(contexts.note("T1", "U2")).toBe("(In Slack, the user is viewing the list L2.)");
    expect(contexts.note("T1", "U3")).toBe("(In Slack, the user is viewing the canvas F3.)");
  });
});
