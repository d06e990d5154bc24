import type { Participant } from "./presence.js";
import { participantLabel } from "./presence.js";
import { t, formatNumber, hasMessage, type MessageKey } from "../i18n/index.js";

/** How many people are shown as chips; the rest fold into a list (35 delegations fit no toolbar). */
const SHOWN = 8;

/** Who has the document open, with their delegation, in their cursor colour. */
export function PresenceList(props: { people: Participant[] }) {
  const { people } = props;
  const shown = people.slice(0, SHOWN);
  const more = people.slice(SHOWN);
  return (
    <section class="presence" aria-label={t("presence.label")}>
      <span class="presence-count">{t("presence.count", { count: people.length, n: formatNumber(people.length) })}</span>
      <ul>
        {shown.map((p) => (
          <PersonChip key={p.id} person={p} />
        ))}
      </ul>
      {more.length > 0 && (
        <details class="presence-more">
          <summary>{t("presence.more", { n: formatNumber(more.length) })}</summary>
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
  const label = `${participantLabel(p)}, ${roleLabel(p.role)}${p.self ? ` ${t("presence.you")}` : ""}`;
  return (
    <li data-username={p.username} title={label}>
      <span class="presence-dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
      <span class="presence-delegation" aria-hidden="true">
        {/* The chair, delegate and minister of one delegation are told apart by role. */}
        {p.delegation ? `${p.delegation} ${roleShort(p.role)}` : roleShort(p.role)}
      </span>
      {/* And by name: two people of one delegation in one role are two chips that read differently. */}
      <span class="presence-name" aria-hidden="true">
        {p.name}
      </span>
      <span class="visually-hidden">{label}</span>
    </li>
  );
}

/** A compact tag for someone without a delegation. */
function roleShort(role: string): string {
  if (role === "secretariat") return t("presence.short.secretariat");
  if (role === "rapporteur") return t("presence.short.rapporteur");
  if (role === "observer") return t("presence.short.observer");
  if (role === "chair") return t("presence.short.chair");
  if (role === "delegate") return t("presence.short.delegate");
  if (role === "minister") return t("presence.short.minister");
  return role;
}

/** A role's name in the interface language, or the role itself. */
function roleLabel(role: string): string {
  return hasMessage(`role.${role}`) ? t(`role.${role}` as MessageKey) : role;
}
