import type { Feature } from "../features.js";
import { lifecycleRoutes } from "./routes.js";

/** Document lifecycle, adoption, ministerial sign-off and verification. */
export const lifecycleFeature: Feature = {
  name: "lifecycle",
  routes: lifecycleRoutes,
};
