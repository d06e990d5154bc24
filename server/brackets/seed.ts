import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import type { DemoMeeting } from "../seed/demo.js";
import { joinBracketHold } from "./holds.js";
import { openBracket } from "./open.js";
import { addBracketOption } from "./options.js";

// Who objects to each of the declaration's seed brackets, in the order the seed text has
// them: "strengthened" (a PP), "including specialized shelters and care" and "within
// available resources" (OPs). The first is also the demo's option group.
const HOLDS: ReadonlyArray<{ opener: string; joiners: string[] }> = [
  { opener: "usa.delegate", joiners: [] },
  { opener: "can.delegate", joiners: ["usa.delegate"] },
  { opener: "ven.delegate", joiners: ["bol.delegate"] },
];

/**
 * The demo's brackets, through the feature's own commands: the declaration's seed
 * brackets held by realistic delegations and one option group ("[strengthened]
 * [enhanced]"). OP2 and OP3 stay untouched: tests use them.
 */
export function seedBrackets(ctx: AppContext, demo: DemoMeeting): void {
  const user = (name: string) => demo.users[name]!;
  const declaration = demo.documents.declaration!;
  runCommand(ctx, (tx) => {
    demo.declarationBrackets.forEach((span, i) => {
      const holds = HOLDS[i % HOLDS.length]!;
      const bracket = openBracket(tx, user(holds.opener), declaration, span);
      for (const joiner of holds.joiners) joinBracketHold(tx, user(joiner), bracket.id);
      if (i === 0) addBracketOption(tx, user("mex.delegate"), bracket.id, { text: "enhanced" });
    });
  });
}
