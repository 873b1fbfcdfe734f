import { z } from "zod";

// Every hand-made skill change says why (it is written to the audit log); the
// skills page and the roster's bulk grant validate the reason with this one rule.
export const skillChangeReason = z
  .string({ error: "Write why." })
  .trim()
  .min(5, "Write why, in a few words (at least 5 characters).")
  .max(500, "Keep the reason under 500 characters.");
