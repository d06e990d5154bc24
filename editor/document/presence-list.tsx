import type { Participant } from "./presence.js";
import { participantLabel } from "./presence.js";

/** How many people are shown as chips; the rest fold into a list (35 delegations fit no toolbar). */
const SHOWN = 8;

/** Who has the document open, with their delegation, in their cursor colour. */
export function PresenceList(props: { people: Participant[] }) {
  const { people } = props;
  const shown = people.slice(0, SHOWN);
  const more = people.slice(SHOWN);
  return (
    <section class="presence" aria-label="People in this document">
      <span class="presence-count">{people.length === 1 ? "1 person here" : `${people.length} people here`}</span>
      <ul>
        {shown.map((p) => (
          <PersonChip key={p.id} person={p} />
        ))}
      </ul>
      {more.length > 0 && (
        <details class="presence-more">
          <summary>+{more.length} more</summary>
          <ul>
            {more.map((p) => (
              <li key={p.id} data-username={p.username}>
                <span class="presence-dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
                {participantLabel(p)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** One person: their delegation (or role) as a chip, their full name for screen readers and on hover. */
function PersonChip(props: { person: Participant }) {
  const p = props.person;
  const label = `${participantLabel(p)}, ${p.role}${p.self ? " (you)" : ""}`;
  return (
    <li data-username={p.username} title={label}>
      <span class="presence-dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
      <span class="presence-delegation" aria-hidden="true">
        {/* The chair, delegate and minister of one delegation are told apart by role. */}
        {p.delegation ? `${p.delegation} ${roleShort(p.role)}` : roleShort(p.role)}
      </span>
      <span class="visually-hidden">{label}</span>
    </li>
  );
}

/** A compact tag for someone without a delegation. */
function roleShort(role: string): string {
  if (role === "secretariat") return "Secr.";
  if (role === "rapporteur") return "Rapp.";
  if (role === "observer") return "Obs.";
  if (role === "chair") return "Chair";
  if (role === "delegate") return "Del.";
  if (role === "minister") return "Min.";
  return role;
}
