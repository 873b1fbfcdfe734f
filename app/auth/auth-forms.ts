// Form schemas shared by the browser (react-hook-form) and the server.
import { z } from "zod";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@airline.com."));

export const signInSchema = z.object({
  email,
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(200, "A password is at most 200 characters."),
  redirectTo: z.string().max(500).optional(),
});

export const PASSWORD_MIN_LENGTH = 12;

export const setPasswordSchema = z
  .object({
    password: z
      .string({ error: "Choose a password." })
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(200, "A password is at most 200 characters."),
    confirm: z.string({ error: "Type the password again." }).max(200, "A password is at most 200 characters."),
  })
  .refine((values) => values.password === values.confirm, {
    path: ["confirm"],
    message: "The two passwords are not the same.",
  });

export { email as emailField };
