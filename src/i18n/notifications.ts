// Notification texts in Italian and English. A notification is stored with its kind and
// parameters and rendered in the reader's language when read.
import { DateTime } from "luxon";
import { activityName } from "./activities";
import type { Lang } from "./index";

/** Parameters holding an instant (ISO 8601) or a date (YYYY-MM-DD), shown in Rome's time. */
const INSTANTS = new Set(["when", "deadline"]);
const DATES = new Set(["end", "week", "from", "to"]);

function formatParam(name: string, value: string | number, lang: Lang): string {
  // What a citizen reads of a task: the kind of activity in words, the town or "remote" (src/offers/citizen-view.model.ts).
  if (name === "activity") return activityName(String(value), lang);
  if (name === "cause") return releaseCause(String(value), lang);
  if (name === "place" && value === "remote") return lang === "it" ? "a distanza" : "remotely";
  if (typeof value === "string" && INSTANTS.has(name)) {
    const at = DateTime.fromISO(value, { zone: "Europe/Rome" });
    if (at.isValid) return at.setLocale(lang).toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY);
  }
  if (typeof value === "string" && DATES.has(name)) {
    const day = DateTime.fromISO(value, { zone: "Europe/Rome" });
    if (day.isValid) return day.setLocale(lang).toLocaleString(DateTime.DATE_MED);
  }
  return String(value);
}

/** Why work already agreed was released (ledger/release.service), by the reason code of the rule that no longer holds. */
const RELEASE_CAUSES: Record<string, Record<Lang, string>> = {
  NOT_ENROLLED: { en: "your enrolment in the register is not active", it: "la tua iscrizione all'albo non è attiva" },
  UNDER_MINIMUM_AGE: { en: "the regulation's minimum age is not reached", it: "non è raggiunta l'età minima prevista dal regolamento" },
  NO_ACTIVE_PACT: { en: "your collaboration pact is no longer active", it: "il tuo patto di collaborazione non è più attivo" },
  PACT_ACTIVITY_NOT_COVERED: { en: "your collaboration pact no longer covers it", it: "il tuo patto di collaborazione non la copre più" },
  PACT_MUNICIPALITY_NOT_COVERED: { en: "your collaboration pact no longer covers it", it: "il tuo patto di collaborazione non la copre più" },
  PACT_DATE_NOT_COVERED: { en: "your collaboration pact no longer covers it", it: "il tuo patto di collaborazione non la copre più" },
  TRAINING_MISSING: { en: "a required training is missing", it: "manca una formazione richiesta" },
  TRAINING_EXPIRED: { en: "a required training has expired", it: "una formazione richiesta è scaduta" },
  CRIMINAL_RECORD_CHECK_MISSING: { en: "a criminal-record check is needed", it: "serve il certificato del casellario giudiziale" },
  CRIMINAL_RECORD_CHECK_EXPIRED: { en: "the criminal-record check has expired", it: "il certificato del casellario giudiziale è scaduto" },
  INSURANCE_NOT_VALID: { en: "there is no valid insurance cover on that date", it: "non c'è una copertura assicurativa valida in quella data" },
};

function releaseCause(code: string, lang: Lang): string {
  return RELEASE_CAUSES[code]?.[lang] ?? (lang === "it" ? "i requisiti non sono più soddisfatti" : "the requirements are no longer met");
}

export type NotificationKind =
  | "OFFER_RECEIVED"
  | "OFFER_EXPIRING"
  | "OFFER_EXPIRED"
  | "COMMITMENT_REMINDER"
  | "COMMITMENT_CANCELLED"
  | "SEAT_UNFILLED"
  | "PACT_EXPIRING"
  | "DRAFT_RUN_READY"
  | "HOUSE_PLAN_PUBLISHED"
  | "WORK_RELEASED";

type Template = Record<Lang, { title: string; body: string }>;

const templates: Record<NotificationKind, Template> = {
  OFFER_RECEIVED: {
    en: { title: "New offer: {activity}", body: "You are offered: {activity}, {when}, {place}. Please answer by {deadline}." },
    it: { title: "Nuova proposta: {activity}", body: "Ti viene proposto: {activity}, {when}, {place}. Rispondi entro il {deadline}." },
  },
  OFFER_EXPIRING: {
    en: { title: "Offer about to expire: {activity}", body: "Your offer ({activity}, {when}) expires on {deadline}." },
    it: { title: "Proposta in scadenza: {activity}", body: "La proposta ({activity}, {when}) scade il {deadline}." },
  },
  OFFER_EXPIRED: {
    en: { title: "Offer expired: {activity}", body: "The offer ({activity}, {when}) was not answered in time and has been offered to someone else." },
    it: { title: "Proposta scaduta: {activity}", body: "La proposta ({activity}, {when}) non ha avuto risposta in tempo ed è stata offerta ad altri." },
  },
  COMMITMENT_REMINDER: {
    en: { title: "Tomorrow: {activity}", body: "Reminder: {activity}, {when}, {place}." },
    it: { title: "Domani: {activity}", body: "Promemoria: {activity}, {when}, {place}." },
  },
  COMMITMENT_CANCELLED: {
    en: { title: "Cancelled: {activity}", body: "{activity}, {when}, has been cancelled. Reason: {reason}." },
    it: { title: "Annullato: {activity}", body: "L'attività ({activity}, {when}) è stata annullata. Motivo: {reason}." },
  },
  SEAT_UNFILLED: {
    en: {
      title: "Seat nobody can fill: {activity}",
      body: "{activity}, {when}, {place}: {free} free seat(s) left and no eligible citizen is available. {why}",
    },
    it: {
      title: "Posto non copribile: {activity}",
      body: "{activity}, {when}, {place}: posti ancora liberi {free}, e nessun cittadino idoneo è disponibile. {why}",
    },
  },
  PACT_EXPIRING: {
    en: { title: "Pact ending: {pact}", body: "The collaboration pact {pact} ends on {end}. Renew it if the collaboration goes on." },
    it: { title: "Patto in scadenza: {pact}", body: "Il patto di collaborazione {pact} termina il {end}. Rinnovalo se la collaborazione continua." },
  },
  DRAFT_RUN_READY: {
    en: { title: "Draft matching for the week of {week}", body: "A draft matching for the week of {week} has been prepared for review." },
    it: {
      title: "Bozza di abbinamento per la settimana del {week}",
      body: "È stata preparata una bozza di abbinamento per la settimana del {week}, da rivedere.",
    },
  },
  WORK_RELEASED: {
    en: {
      title: "No longer yours: {activity}",
      body: "{activity}, {when}, {place}, is no longer assigned to you: {cause}. The seat will be offered to someone else.",
    },
    it: {
      title: "Non più a tuo carico: {activity}",
      body: "L'attività ({activity}, {when}, {place}) non ti è più assegnata: {cause}. Il posto sarà proposto ad altri.",
    },
  },
  HOUSE_PLAN_PUBLISHED: {
    en: { title: "New plan for {house}", body: "The plan of {house} from {from} to {to} is out, with {count} activities. Rota turns: {duties}." },
    it: { title: "Nuovo calendario per {house}", body: "È uscito il calendario di {house} dal {from} al {to}, con {count} attività. Turni: {duties}." },
  },
};

export function renderNotification(kind: NotificationKind, params: Record<string, string | number>, lang: Lang): { title: string; body: string } {
  // Notifications stored before the citizen's projection carried the task's staff-written title:
  // it is never shown; the activity is said generically.
  const given: Record<string, string | number> = { activity: "", ...params };
  const fill = (text: string) =>
    text
      .replace(/\{(\w+)\}/g, (_, name: string) => (given[name] === undefined ? "" : formatParam(name, given[name]!, lang)))
      .replace(/ {2,}/g, " ")
      .replace(/: $/, "");
  const template = templates[kind][lang];
  return { title: fill(template.title), body: fill(template.body) };
}
