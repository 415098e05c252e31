// Words for the shared-housing planner's rules, in Italian and English: why an occurrence could
// not be placed, why a pin was dropped, why a move is refused.
import type { ClashReason, PlacementReason } from "../housing/planner.model";
import type { Lang } from "./index";

export type HousingReason = PlacementReason | ClashReason;

const templates: Record<HousingReason, Record<Lang, string>> = {
  OUTSIDE_PERIOD: {
    en: "outside the plan's period (or not a start on the planning grid)",
    it: "fuori dal periodo del calendario (o non un orario della griglia)",
  },
  OUTSIDE_OPENING_HOURS: { en: "the space is closed then", it: "lo spazio è chiuso in quell'orario" },
  QUIET_HOURS: { en: "during the house's quiet hours", it: "durante le ore di silenzio della casa" },
  ATTENDEE_ABSENT: {
    en: "a household that must attend does not live in the house then",
    it: "un nucleo che deve partecipare non abita nella casa in quella data",
  },
  ATTENDEE_BUSY: {
    en: "a household that must attend is busy then (work, school, courses)",
    it: "un nucleo che deve partecipare è impegnato in quell'orario (lavoro, scuola, corsi)",
  },
  TOO_FEW_FREE_FOR_ROTA: { en: "too few households are free then to take the turn", it: "troppo pochi nuclei sono liberi in quell'orario per il turno" },
  SPACE_DOUBLE_BOOKED: { en: "the space is taken by another activity then", it: "lo spazio è occupato da un'altra attività in quell'orario" },
  HOUSEHOLD_DOUBLE_BOOKED: { en: "a household would be in two activities at once", it: "un nucleo sarebbe in due attività contemporaneamente" },
  DUTIES_CLASH: { en: "another rota or whole-house activity is at the same time", it: "un altro turno o un'attività di tutta la casa è alla stessa ora" },
  TOO_CLOSE_TO_SAME_ACTIVITY: { en: "too close to another occurrence of the same activity", it: "troppo vicino a un'altra volta della stessa attività" },
};

export function housingReasonMessage(reason: HousingReason, lang: Lang): string {
  return templates[reason][lang];
}

/** The reasons of a comma-separated list, in words. */
export function housingReasonList(codes: string, lang: Lang): string {
  return codes
    .split(",")
    .map((c) => c.trim())
    .filter((c): c is HousingReason => c in templates)
    .map((c) => templates[c][lang])
    .join("; ");
}

/**
 * What a mediation session writes into the families' records (its micro-project, and the reason
 * its occurrences are cancelled). Records are kept in the programme's language, Italian, so the
 * session's micro-project is found again by its title; the English is for reference.
 */
export const MEDIATION_RECORD = {
  projectTitle: { it: "Mediazione abitativa - {house}", en: "Housing mediation - {house}" },
  projectGoal: { it: "Mediazione culturale per la convivenza nella casa condivisa", en: "Cultural mediation for living together in the shared house" },
  cancelled: { it: "Mediazione spostata o annullata dal tutor abitativo", en: "Session moved or called off by the housing tutor" },
} as const satisfies Record<string, Record<Lang, string>>;
