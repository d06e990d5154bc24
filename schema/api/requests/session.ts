/** What the server accepts to sign in. */
import { z } from "zod";

/** `POST /api/session`: sign in. */
export const SignIn = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) });
