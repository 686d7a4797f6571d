// The prompts Slack offers when someone opens parley's DM (or, on assistant_view apps, a new assistant thread).

/** Suggested prompts: a short title and the message it sends. */
export const SUGGESTED_PROMPTS = [
  {
    title: "Explain something",
    message: "Explain how HTTPS keeps a connection private, in a few sentences.",
  },
  { title: "Improve a text", message: "Make this clearer and shorter: " },
  { title: "Write code", message: "Write a TypeScript function that groups an array by a key." },
] as const;

/** The line above the suggested prompts. */
export const SUGGESTED_PROMPTS_TITLE = "Try one of these:";
