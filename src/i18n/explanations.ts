// Words for matching explanations, in Italian and English.
import type { ReasonCode } from "../eligibility/eligibility.model";
import type { ScoreTerm } from "../matching/compile.model";
import type { BusyReason, GapExplanation } from "../matching/explain.model";
import type { BrokenPins, RunFailure, RunFailureCode } from "../matching/run-failure.model";
import type { Lang } from "./index";

export const TERM_NAMES: Record<ScoreTerm, Record<Lang, string>> = {
  seatFilled: { en: "seat filled", it: "posto coperto" },
  priority: { en: "priority", it: "priorità" },
  skillLevel: { en: "skill level above the minimum", it: "livello di competenza oltre il minimo" },
  languageFluency: { en: "speaks the family's languages", it: "parla le lingue della famiglia" },
  continuity: { en: "continuity with earlier dates", it: "continuità con le date precedenti" },
  shortTravel: { en: "short travel", it: "spostamento breve" },
  preference: { en: "the citizen's preferred activity", it: "attività preferita dal cittadino" },
  stability: { en: "kept from the previous proposal", it: "confermato dalla proposta precedente" },
};

/** "9 lack the skill": how many citizens an occurrence lost to each reason. */
const COUNTED: Record<ReasonCode, Record<Lang, string>> = {
  NO_REGULATION_IN_FORCE: { en: "{n} cannot act: no regulation is in force on the date", it: "{n} non possono agire: nessun regolamento in vigore nella data" },
  NOT_ENROLLED: { en: "{n} not enrolled", it: "{n} non iscritti all'albo" },
  UNDER_MINIMUM_AGE: { en: "{n} under the minimum age", it: "{n} sotto l'età minima" },
  MISSING_SKILL: { en: "{n} lack the skill", it: "{n} senza la competenza" },
  SKILL_LEVEL_TOO_LOW: { en: "{n} with too low a skill level", it: "{n} con livello di competenza insufficiente" },
  MISSING_LANGUAGE: { en: "{n} do not speak the language", it: "{n} non parlano la lingua" },
  NO_ACTIVE_PACT: { en: "{n} have no active pact", it: "{n} senza patto attivo" },
  PACT_ACTIVITY_NOT_COVERED: { en: "{n} have no pact covering the activity", it: "{n} senza patto che copra l'attività" },
  PACT_MUNICIPALITY_NOT_COVERED: { en: "{n} have no pact covering the municipality", it: "{n} senza patto che copra il comune" },
  PACT_DATE_NOT_COVERED: { en: "{n} have no pact covering the date", it: "{n} senza patto che copra la data" },
  PACT_BUDGET_EXHAUSTED: { en: "{n} have used up their pact's hours", it: "{n} hanno esaurito le ore del patto" },
  WEEKLY_LIMIT_EXCEEDED: { en: "{n} are at their weekly limit", it: "{n} al proprio limite settimanale" },
  REGULATION_WEEKLY_LIMIT_EXCEEDED: { en: "{n} are at the regulation's weekly limit", it: "{n} al limite settimanale del regolamento" },
  TRAINING_MISSING: { en: "{n} lack required training", it: "{n} senza la formazione richiesta" },
  TRAINING_EXPIRED: { en: "{n} have expired training", it: "{n} con formazione scaduta" },
  CRIMINAL_RECORD_CHECK_MISSING: { en: "{n} have no criminal-record check", it: "{n} senza certificato del casellario" },
  CRIMINAL_RECORD_CHECK_EXPIRED: { en: "{n} have an expired criminal-record check", it: "{n} con certificato del casellario scaduto" },
  INSURANCE_NOT_VALID: { en: "{n} are not insured on the date", it: "{n} senza copertura assicurativa nella data" },
  NOT_AVAILABLE: { en: "{n} are not available then", it: "{n} non disponibili in quell'orario" },
  TOO_FAR: { en: "{n} live too far", it: "{n} abitano troppo lontano" },
  BUSY_WITH_COMMITMENT: { en: "{n} are already committed then", it: "{n} hanno già un impegno in quell'orario" },
  BUSY_WITH_OFFER: { en: "{n} hold an offer then, awaiting an answer", it: "{n} con una proposta in attesa in quell'orario" },
  ALREADY_ASKED: { en: "{n} were already asked", it: "{n} hanno già ricevuto la proposta" },
};

const BUSY: Record<BusyReason, Record<Lang, string>> = {
  OVERLAPS_ASSIGNMENT: { en: "busy at the same time with {where}", it: "ha un altro impegno nello stesso orario ({where})" },
  NO_HOURS_LEFT: { en: "no hours left this week after {where}", it: "nessuna ora disponibile questa settimana dopo {where}" },
  EXCLUDED_BY_COORDINATOR: { en: "excluded by the coordinator", it: "esclusione decisa dal coordinatore" },
  BETTER_USED_ELSEWHERE: { en: "more useful elsewhere ({where})", it: "più utile altrove ({where})" },
};

/** One sentence for an empty seat: the counts per reason, or where the eligible citizens went. */
export function gapMessage(gap: GapExplanation, lang: Lang, nameOf: (id: string) => string = (id) => id): string {
  if (gap.kind === "NO_ELIGIBLE_CITIZEN") {
    const counts = Object.entries(gap.reasonCounts)
      .filter(([, n]) => (n ?? 0) > 0)
      .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
      .map(([code, n]) => COUNTED[code as ReasonCode][lang].replace("{n}", String(n)));
    return lang === "it" ? `Nessun cittadino idoneo: ${counts.join("; ")}.` : `No eligible citizen: ${counts.join("; ")}.`;
  }
  const parts = gap.eligible.map((e) => `${nameOf(e.citizen)}: ${BUSY[e.reason][lang].replace("{where}", e.assignedTo.map(nameOf).join(", ") || "-")}`);
  return lang === "it" ? `I cittadini idonei sono impegnati altrove: ${parts.join("; ")}.` : `The eligible citizens are used elsewhere: ${parts.join("; ")}.`;
}

const RUN_FAILURES: Record<RunFailureCode, Record<Lang, string>> = {
  PINS_CANNOT_ALL_BE_KEPT: {
    en: "The pinned assignments cannot all be kept together: {pins}. Remove or change one of these pins, then start the run again.",
    it: "Le assegnazioni fissate non si possono rispettare tutte insieme: {pins}. Togliere o cambiare una di queste assegnazioni, poi avviare di nuovo l'elaborazione.",
  },
  NO_REGULATION: {
    en: "No regulation is in force on {date}: a week can be matched only under a regulation.",
    it: "Il {date} non è in vigore alcun regolamento: una settimana si può abbinare solo sotto un regolamento.",
  },
  INVALID_WEEK: {
    en: "The week's data could not be turned into a matching problem. Start the run again; if it fails again, tell an administrator.",
    it: "Non è stato possibile trasformare i dati della settimana in un problema di abbinamento. Avviare di nuovo l'elaborazione; se non riesce, avvisare un amministratore.",
  },
  INTERNAL: {
    en: "The run stopped because of an internal error. Start it again; if it fails again, tell an administrator.",
    it: "L'elaborazione si è interrotta per un errore interno. Avviarla di nuovo; se non riesce, avvisare un amministratore.",
  },
  WORKER_LOST: {
    en: "The run was interrupted several times without finishing: the process working on it stopped each time. Start it again; if it happens again, tell an administrator.",
    it: "L'elaborazione si è interrotta più volte senza terminare: ogni volta si è fermato il processo che la eseguiva. Avviarla di nuovo; se succede ancora, avvisare un amministratore.",
  },
  NOT_STARTED: {
    en: "No process took the run within {minutes} minutes: the service that runs the matching may be stopped. Tell an administrator, then start the run again.",
    it: "Nessun processo ha preso in carico l'elaborazione entro {minutes} minuti: il servizio che esegue gli abbinamenti potrebbe essere fermo. Avvisare un amministratore, poi avviare di nuovo l'elaborazione.",
  },
  TIMED_OUT: {
    en: "The run did not finish within {minutes} minutes and was stopped. Start it again; if it happens again, tell an administrator.",
    it: "L'elaborazione non è terminata entro {minutes} minuti ed è stata fermata. Avviarla di nuovo; se succede ancora, avvisare un amministratore.",
  },
};

const PIN_RULES: Record<BrokenPins["rule"], Record<Lang, string>> = {
  SEATS: {
    en: "{occurrences} has fewer seats than the citizens pinned on it ({citizens})",
    it: "{occurrences} ha meno posti dei cittadini fissati ({citizens})",
  },
  HOURS: {
    en: "{citizens} does not have hours left for all of {occurrences}",
    it: "{citizens} non ha ore sufficienti per tutte queste attività: {occurrences}",
  },
  OVERLAP: {
    en: "{citizens} cannot be at all of these at the same time: {occurrences}",
    it: "{citizens} non può partecipare nello stesso momento a tutte queste attività: {occurrences}",
  },
};

/** A failed run's reason in words; names and dates are looked up when shown. */
export function runFailureMessage(failure: RunFailure, lang: Lang, nameOf: (id: string) => string, whenOf: (occurrenceId: string) => string): string {
  const and = lang === "it" ? " e " : " and ";
  const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")}${and}${items[items.length - 1]}`);
  const pins = (failure.details.pins ?? []).map((group) => {
    const citizens = list([...new Set(group.pairs.map((p) => nameOf(p.citizen)))]);
    const occurrences = list([...new Set(group.pairs.map((p) => p.occurrence))].map((o) => `${nameOf(o)} (${whenOf(o)})`));
    return PIN_RULES[group.rule][lang].replace("{citizens}", citizens).replace("{occurrences}", occurrences);
  });
  return RUN_FAILURES[failure.code][lang]
    .replace("{pins}", pins.join("; "))
    .replace("{date}", failure.details.date ?? "")
    .replace("{minutes}", String(failure.details.minutes ?? ""));
}
