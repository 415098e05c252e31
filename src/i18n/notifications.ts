// Notification texts in Italian and English. A notification is stored with its kind and
// parameters and rendered in the reader's language when read.
import { DateTime } from "luxon";
import type { Lang } from "./index";

/** Parameters holding an instant (ISO 8601) or a date (YYYY-MM-DD), shown in Rome's time. */
const INSTANTS = new Set(["when", "deadline"]);
const DATES = new Set(["end", "week", "from", "to"]);

function formatParam(name: string, value: string | number, lang: Lang): string {
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
    en: { title: "New offer: {task}", body: "You are offered {task} on {when} in {place}. Please answer by {deadline}." },
    it: { title: "Nuova proposta: {task}", body: "Ti viene proposto {task} il {when} a {place}. Rispondi entro il {deadline}." },
  },
  OFFER_EXPIRING: {
    en: { title: "Offer about to expire: {task}", body: "Your offer for {task} on {when} expires on {deadline}." },
    it: { title: "Proposta in scadenza: {task}", body: "La proposta per {task} del {when} scade il {deadline}." },
  },
  OFFER_EXPIRED: {
    en: { title: "Offer expired: {task}", body: "The offer for {task} on {when} was not answered in time and has been offered to someone else." },
    it: { title: "Proposta scaduta: {task}", body: "La proposta per {task} del {when} non ha avuto risposta in tempo ed è stata offerta ad altri." },
  },
  COMMITMENT_REMINDER: {
    en: { title: "Tomorrow: {task}", body: "Reminder: {task} on {when} in {place}." },
    it: { title: "Domani: {task}", body: "Promemoria: {task} il {when} a {place}." },
  },
  COMMITMENT_CANCELLED: {
    en: { title: "Cancelled: {task}", body: "{task} on {when} has been cancelled. Reason: {reason}." },
    it: { title: "Annullato: {task}", body: "{task} del {when} è stato annullato. Motivo: {reason}." },
  },
  SEAT_UNFILLED: {
    en: { title: "Seat nobody can fill: {task}", body: "{task} on {when} still has {free} free seat(s) and no eligible citizen is available. {why}" },
    it: { title: "Posto non copribile: {task}", body: "{task} del {when} ha ancora {free} posto/i libero/i e nessun cittadino idoneo è disponibile. {why}" },
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
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === undefined ? "" : formatParam(name, params[name]!, lang)));
  const template = templates[kind][lang];
  return { title: fill(template.title), body: fill(template.body) };
}
