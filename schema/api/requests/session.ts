/** What the server accepts to sign in. */
import { z } from "zod";
import { INTERFACE_LANGUAGES } from "../session.js";

/** `POST /api/session`: sign in. */
export const SignIn = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) });

/** `PUT /api/me/preferences`: the interface language to remember for the person (null forgets it). */
export const PreferencesChange = z.object({ language: z.enum(INTERFACE_LANGUAGES).nullable() }).strict();
