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

export type NotificationKind =
  | "OFFER_RECEIVED"
  | "OFFER_EXPIRING"
  | "OFFER_EXPIRED"
  | "COMMITMENT_REMINDER"
  | "COMMITMENT_CANCELLED"
  | "SEAT_UNFILLED"
  | "PACT_EXPIRING"
  | "DRAFT_RUN_READY"
  | "HOUSE_PLAN_PUBLISHED";

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
    en: { title: "Seat nobody can fill: {activity}", body: "{activity}, {when}, {place}: {free} free seat(s) left and no eligible citizen is available. {why}" },
    it: { title: "Posto non copribile: {activity}", body: "{activity}, {when}, {place}: posti ancora liberi {free}, e nessun cittadino idoneo è disponibile. {why}" },
  },
  PACT_EXPIRING: {
    en: { title: "Pact ending: {pact}", body: "The collaboration pact {pact} ends on {end}. Renew it if the collaboration goes on." },
    it: { title: "Patto in scadenza: {pact}", body: "Il patto di collaborazione {pact} termina il {end}. Rinnovalo se la collaborazione continua." },
  },
  DRAFT_RUN_READY: {
    en: { title: "Draft matching for the week of {week}", body: "A draft matching for the week of {week} has been prepared for review." },
    it: { title: "Bozza di abbinamento per la settimana del {week}", body: "È stata preparata una bozza di abbinamento per la settimana del {week}, da rivedere." },
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
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => (given[name] === undefined ? "" : formatParam(name, given[name]!, lang))).replace(/ {2,}/g, " ").replace(/: $/, "");
  const template = templates[kind][lang];
  return { title: fill(template.title), body: fill(template.body) };
}
