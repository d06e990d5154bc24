import type { DocumentInfo } from "../panels/context.js";
import { STATE_LABELS } from "./words.js";

/** A document's state as a small labelled badge, coloured by how far it has come. */
export function StateBadge(props: { state: DocumentInfo["state"] }) {
  return (
    <span class={`state-badge state-${props.state}`} data-state={props.state}>
      {STATE_LABELS[props.state]}
    </span>
  );
}
