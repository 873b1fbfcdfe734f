// What a delivery webhook URL may be: an absolute http(s) URL without
// credentials (the secret signs the body; a password in the URL would show
// on the integrations screen and in the audit log).
import { z } from "zod";

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, { error: "A webhook URL has at most 2,000 characters." })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { error: "Enter an http:// or https:// URL without a user name or password." }
  );
