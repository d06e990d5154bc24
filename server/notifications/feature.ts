import type { Feature } from "../features.js";
import { notificationRoutes } from "./routes.js";
import { notifyOnEvent } from "./triggers.js";
import { sendToInboxStreams } from "./live.js";

/**
 * Each member's inbox: the acts of others that concern them (decisions on their
 * delegation's amendments, brackets it held resolved, a signature awaited, a source changed
 * under their consolidation, a change of their body's text declined, a mention), written
 * from the events other features announce, in the same transaction, and pushed live to
 * the member's open connections. Its table is `notifications`
 * (migrations/024_notifications.sql).
 */
export const notificationsFeature: Feature = {
  name: "notifications",
  routes: notificationRoutes,
  hooks(ctx) {
    ctx.hooks.onEvent(notifyOnEvent);
    // A member's inbox events reach their live inbox streams too (in a cluster, on whichever process they opened them).
    ctx.rooms.addUserOutlet((userId, meetingId, event) => sendToInboxStreams(ctx, userId, meetingId, event));
  },
};
