// Draws a reply's controls as Discord buttons and reads which control a button press means.
import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from "discord.js";
import type { ReplyControl } from "../../src/render/surface.ts";

/** What a parley button press asks for. */
export type PressedControl = "stop" | "up" | "down" | "retry";

const PREFIX = "parley";

/** The message's component rows for these controls of reply `requestId`: none clears the buttons. */
export function controlRows(
  controls: readonly ReplyControl[],
  requestId: string,
): APIActionRowComponent<APIButtonComponent>[] {
  const buttons = controls.flatMap((control) => buttonsFor(control, requestId));
  return buttons.length === 0 ? [] : [{ type: ComponentType.ActionRow, components: buttons }];
}

function buttonsFor(control: ReplyControl, requestId: string): APIButtonComponent[] {
  const id = (pressed: PressedControl) => `${PREFIX}:${pressed}:${requestId}`;
  switch (control) {
    case "stop":
      return [
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: "Stop", custom_id: id("stop") },
      ];
    case "retry":
      return [
        { type: ComponentType.Button, style: ButtonStyle.Primary, label: "Retry", custom_id: id("retry") },
      ];
    case "feedback":
      return [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          emoji: { name: "👍" },
          custom_id: id("up"),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          emoji: { name: "👎" },
          custom_id: id("down"),
        },
      ];
  }
}

/** The control and reply a button's custom_id names, or undefined for a button that is not parley's. */
export function parseControlId(customId: string): { control: PressedControl; requestId: string } | undefined {
  const match = /^parley:(stop|up|down|retry):(.+)$/.exec(customId);
  if (!match?.[1] || !match[2]) return undefined;
  return { control: match[1] as PressedControl, requestId: match[2] };
}
