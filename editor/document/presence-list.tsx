import type { Participant } from "./presence.js";
import { participantLabel } from "./presence.js";

/** Who has the document open, with their delegation, in their cursor colour. */
export function PresenceList(props: { people: Participant[] }) {
  const { people } = props;
  return (
    <section class="presence" aria-label="People in this document">
      <h2 class="visually-hidden">Present</h2>
      <span class="presence-count">{people.length === 1 ? "1 person here" : `${people.length} people here`}</span>
      <ul>
        {people.map((p) => (
          <li key={p.id} data-username={p.username} title={`${participantLabel(p)}${p.self ? " (you)" : ""}`}>
            <span class="presence-dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
            <span class="presence-delegation">{p.delegation ?? roleShort(p.role)}</span>
            <span class="visually-hidden">
              {participantLabel(p)}
              {p.self ? " (you)" : ""}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A compact tag for someone without a delegation. */
function roleShort(role: string): string {
  if (role === "secretariat") return "Secr.";
  if (role === "rapporteur") return "Rapp.";
  if (role === "observer") return "Obs.";
  if (role === "chair") return "Chair";
  return role;
}
