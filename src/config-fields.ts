// Field types shared by every part of the environment's schema (src/config.ts and src/policy/policy-config.ts).
import { z } from "zod";

/** A variable whose blank value means "unset": trimmed, or undefined. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** A whole number from `min` to `max`, `fallback` when unset; `unit` ("days") names what it counts. */
export const integer = (fallback: number, min: number, max: number, unit?: string) =>
  optionalText.pipe(
    z
      .string()
      .default(String(fallback))
      .refine((value) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max, {
        message: `expected a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}`,
      })
      .transform(Number),
  );

/** A comma list whose every entry matches `entry`; undefined when unset. */
export const commaList = (entry: RegExp, message: string) =>
  optionalText.pipe(
    z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .refine((items) => items.every((item) => entry.test(item)), { message })
      .optional(),
  );
