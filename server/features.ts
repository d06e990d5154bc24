import type { Router } from "express";
import type { AppContext } from "./context.js";
import type { DemoMeeting } from "./seed/demo.js";
import { consolidationFeature } from "./consolidation/feature.js";
import { amendmentsFeature } from "./amendments/feature.js";
import { lifecycleFeature } from "./lifecycle/feature.js";
import { bracketsFeature } from "./brackets/feature.js";
import { exportsFeature } from "./exports/feature.js";
import { footnotesFeature } from "./footnotes/feature.js";
import { importFeature } from "./import/feature.js";
import { deletionsFeature } from "./deletions/feature.js";
import { annotationsFeature } from "./annotations/feature.js";
import { statusFeature } from "./status/feature.js";
import { versionsFeature } from "./versions/feature.js";
import { commentsFeature } from "./comments/feature.js";
import { notificationsFeature } from "./notifications/feature.js";
import { languagesFeature } from "./languages/feature.js";
import { authorshipFeature } from "./authorship/feature.js";
import { numberingFeature } from "./numbering/feature.js";

/**
 * A feature of Accord (amendments, brackets, lifecycle, consolidation…): its routes and
 * its hooks into text changes, installed once at start. Each lives in its own folder and
 * adds itself to FEATURES below; nothing else needs to know about it.
 */
export interface Feature {
  name: string;
  /** Returns the feature's router (mounted at the root; routes carry their full paths). */
  routes?(ctx: AppContext): Router;
  /** Registers validation rules and reactions on ctx.hooks. */
  hooks?(ctx: AppContext): void;
  /** Adds the feature's demo data to a freshly seeded meeting, through its own commands. */
  seed?(ctx: AppContext, demo: DemoMeeting): void;
}

/** Every installed feature, in the order their routes are mounted. */
export const FEATURES: Feature[] = [
  lifecycleFeature,
  versionsFeature,
  // Before the amendments: the demo's translation is done before the amendments it outdates.
  languagesFeature,
  amendmentsFeature,
  consolidationFeature,
  bracketsFeature,
  statusFeature,
  exportsFeature,
  footnotesFeature,
  importFeature,
  deletionsFeature,
  commentsFeature,
  notificationsFeature,
  authorshipFeature,
  annotationsFeature,
  numberingFeature,
];
