// User-facing words in Italian and English. Errors carry codes and parameters; this module
// turns them into sentences in the caller's language.
import type { AppError, ErrorCode, ErrorParams } from "../errors";
import { housingReasonList } from "./housing";

export type Lang = "it" | "en";

type Template = Record<Lang, string>;

const errorTemplates: Record<ErrorCode, Template> = {
  INVALID_INPUT: { en: "The value of {field} is not valid.", it: "Il valore di {field} non è valido." },
  INVALID_EMAIL: { en: "The email address is not valid.", it: "L'indirizzo email non è valido." },
  INVALID_PASSWORD: {
    en: "The password must be {min} to {max} characters long: a few words together are easy to remember.",
    it: "La password deve avere da {min} a {max} caratteri: alcune parole insieme si ricordano facilmente.",
  },
  PASSWORD_TOO_COMMON: {
    en: "This password is too common or too easy to guess: choose a few words of your own.",
    it: "Questa password è troppo comune o facile da indovinare: scegli alcune parole tue.",
  },
  UNDER_MINIMUM_AGE: {
    en: "Under the regulation, active citizens must be at least {minimumAge} years old.",
    it: "Per il regolamento, i cittadini attivi devono avere almeno {minimumAge} anni.",
  },
  INVALID_TIME: { en: "The time {value} is not valid: use HH:mm from 00:00 to 24:00.", it: "L'orario {value} non è valido: usare HH:mm da 00:00 a 24:00." },
  INVALID_DATE: { en: "The date {value} is not valid: use YYYY-MM-DD.", it: "La data {value} non è valida: usare AAAA-MM-GG." },
  INVALID_LANGUAGE: { en: "The language code {value} is not an ISO 639 code.", it: "Il codice lingua {value} non è un codice ISO 639." },
  INVALID_RANGE: { en: "The value of {field} is out of range.", it: "Il valore di {field} è fuori dall'intervallo ammesso." },
  INVERTED_WINDOW: { en: "The end time must come after the start time.", it: "L'orario di fine deve seguire quello di inizio." },
  OVERLAPPING_WINDOWS: { en: "Two availability windows on the same day overlap.", it: "Due fasce di disponibilità nello stesso giorno si sovrappongono." },
  INVERTED_DATES: { en: "The end date must not come before the start date.", it: "La data di fine non può precedere quella di inizio." },
  NONEXISTENT_LOCAL_TIME: {
    en: "That time does not exist on {date} in Europe/Rome (clocks move forward from 02:00 to 03:00).",
    it: "Quell'orario non esiste il {date} in Europe/Rome (gli orologi passano dalle 02:00 alle 03:00).",
  },
  RECURRENCE_EMPTY: { en: "The schedule yields no occurrence.", it: "La programmazione non produce alcuna occorrenza." },
  TIMES_REQUIRED: { en: "Give both a start and an end time.", it: "Indicare sia l'orario di inizio sia quello di fine." },
  DUPLICATE_ENTRY: { en: "{field} is listed twice.", it: "{field} compare due volte." },
  UNKNOWN_SKILL: { en: "Unknown skill: {value}.", it: "Competenza sconosciuta: {value}." },
  UNKNOWN_MUNICIPALITY: { en: "Unknown municipality: {value}.", it: "Comune sconosciuto: {value}." },
  UNKNOWN_TRAINING_COURSE: { en: "Unknown training course: {value}.", it: "Corso di formazione sconosciuto: {value}." },
  UNKNOWN_TERRITORY: { en: "Unknown territory: {value}.", it: "Territorio sconosciuto: {value}." },
  UNKNOWN_FAMILY: { en: "Unknown family: {value}.", it: "Nucleo familiare sconosciuto: {value}." },
  UNKNOWN_HOUSEHOLD: { en: "Unknown household of this house: {value}.", it: "Nucleo sconosciuto in questa casa: {value}." },
  UNKNOWN_SPACE: { en: "Unknown common space of this house: {value}.", it: "Spazio comune sconosciuto in questa casa: {value}." },
  UNKNOWN_USER: { en: "Unknown user, or not of the right role: {value}.", it: "Utente sconosciuto o senza il ruolo adatto: {value}." },
  PERIOD_IN_PAST: { en: "A plan starts today or later.", it: "Un calendario inizia oggi o più avanti." },
  PERIOD_TOO_LONG: { en: "A plan covers at most {maxDays} days.", it: "Un calendario copre al massimo {maxDays} giorni." },
  TOO_MANY_ITEMS: { en: "{field} has too many items: at most {max}.", it: "{field} ha troppi elementi: al massimo {max}." },
  INVALID_TEXT: {
    en: "{field} holds characters that are not allowed (control characters).",
    it: "{field} contiene caratteri non ammessi (caratteri di controllo).",
  },
  TOO_LONG: { en: "{field} is too long: at most {max} characters.", it: "{field} è troppo lungo: al massimo {max} caratteri." },
  MOVE_NOT_ALLOWED: { en: "The activity cannot go there: {reasons}.", it: "L'attività non può andare lì: {reasons}." },
  PLAN_NOT_DRAFT: {
    en: "Only a draft plan can be changed this way; this one is {status}.",
    it: "Solo un calendario in bozza si può modificare così; questo è {status}.",
  },
  OCCURRENCE_NOT_STARTED: {
    en: "An activity is recorded as held only once it has started.",
    it: "Un'attività si registra come svolta solo dopo il suo inizio.",
  },
  ALREADY_IN_A_HOUSE: {
    en: "This family already lives in a shared house over these dates.",
    it: "Questo nucleo abita già in una casa condivisa in queste date.",
  },
  PLANNER_STOPPED: {
    en: "The planner stopped before finishing this plan and nothing was saved: try again, or plan a shorter period.",
    it: "Il pianificatore si è fermato prima di finire questo calendario e non è stato salvato nulla: riprova, oppure pianifica un periodo più breve.",
  },
  NOT_PLANNED: {
    en: "Only a planned activity of a published plan can be changed; this one is {status}.",
    it: "Si può modificare solo un'attività prevista di un calendario pubblicato; questa è {status}.",
  },
  NOT_FOUND: { en: "{entity} not found.", it: "{entity} non trovato." },
  FORBIDDEN: { en: "You are not allowed to do this.", it: "Non hai il permesso di farlo." },
  INVALID_CREDENTIALS: { en: "Wrong email or password.", it: "Email o password errate." },
  TOO_MANY_ATTEMPTS: { en: "Too many attempts: try again in {seconds} seconds.", it: "Troppi tentativi: riprova tra {seconds} secondi." },
  EMAIL_TAKEN: { en: "This email address is already registered.", it: "Questo indirizzo email è già registrato." },
  SKILL_CODE_TAKEN: { en: "A skill with code {value} already exists.", it: "Esiste già una competenza con codice {value}." },
  ILLEGAL_TRANSITION: { en: "A citizen cannot go from {from} to {to}.", it: "Un cittadino non può passare da {from} a {to}." },
  PACT_OVERLAP: { en: "A citizen of this pact already has a pact over these dates.", it: "Un cittadino di questo patto ha già un patto in queste date." },
  ALREADY_RENEWED: { en: "This pact has already been renewed.", it: "Questo patto è già stato rinnovato." },
  ALREADY_ERASED: { en: "This person or family has already been erased.", it: "Questa persona o famiglia è già stata cancellata." },
  CITIZENS_NOT_ENROLLED: {
    en: "Every citizen of the pact must be enrolled to sign it; not enrolled: {citizens}.",
    it: "Per firmare il patto tutti i cittadini devono essere iscritti all'albo; non iscritti: {citizens}.",
  },
  NOT_ELIGIBLE: { en: "The citizen is not eligible for this occurrence: {reasons}.", it: "Il cittadino non è idoneo per questa attività: {reasons}." },
  HEADCOUNT_REACHED: { en: "This occurrence already has all the people it needs.", it: "Questa attività ha già tutte le persone necessarie." },
  OVERLAPPING_COMMITMENT: {
    en: "The citizen is already committed at that time (travel included).",
    it: "Il cittadino ha già un impegno in quell'orario (spostamenti compresi).",
  },
  ALREADY_COMMITTED: { en: "The citizen is already committed to this occurrence.", it: "Questa persona ha già un impegno in questa attività." },
  OCCURRENCE_NOT_ENDED: { en: "Hours can be logged only after the activity has ended.", it: "Le ore si registrano solo dopo la fine dell'attività." },
  NOTHING_TO_CONFIRM: { en: "There are no logged hours waiting for confirmation.", it: "Non ci sono ore registrate da confermare." },
  OFFER_CLOSED: {
    en: "This offer is no longer open (answered, expired or withdrawn).",
    it: "Questa offerta non è più aperta (già risposta, scaduta o ritirata).",
  },
  STALE_RUN: { en: "A newer run exists for this week: publish that one.", it: "Per questa settimana esiste un'elaborazione più recente: pubblicare quella." },
  NO_REGULATION: { en: "No regulation is in force on {date}.", it: "Nessun regolamento è in vigore il {date}." },
  ENROLMENT_REQUIREMENTS_MISSING: {
    en: "Enrolment needs valid training and insurance; missing: {missing}.",
    it: "L'iscrizione richiede formazione e assicurazione valide; mancano: {missing}.",
  },
};

function fill(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? key));
}

export function errorMessage(error: AppError, lang: Lang): string {
  const template = errorTemplates[error.code];
  const field = "field" in error && Array.isArray(error.field) ? (error.field as string[]).join(".") : "";
  const params = error.code === "MOVE_NOT_ALLOWED" ? { ...error.params, reasons: housingReasonList(String(error.params.reasons ?? ""), lang) } : error.params;
  return fill(template[lang], { field, ...params });
}

const troubleTemplates: Record<"busy" | "unavailable", Template> = {
  busy: {
    en: "The service is busy right now: try again in {seconds} seconds.",
    it: "Il servizio è occupato in questo momento: riprova tra {seconds} secondi.",
  },
  unavailable: {
    en: "The service is unavailable for a moment: try again in {seconds} seconds.",
    it: "Il servizio non è disponibile per qualche istante: riprova tra {seconds} secondi.",
  },
};

/** What a client reads when the database could not serve its request (src/db/availability.ts). */
/** The answer to a field a viewer may not reach: signed in without the right, or not signed in. */
export function accessMessage(signedIn: boolean, lang: Lang): string {
  return (signedIn ? errorTemplates.FORBIDDEN : AUTHENTICATION_REQUIRED)[lang];
}

const AUTHENTICATION_REQUIRED: Template = { en: "Authentication required.", it: "Accesso richiesto." };

export function troubleMessage(trouble: "busy" | "unavailable", seconds: number, lang: Lang): string {
  return fill(troubleTemplates[trouble][lang], { seconds });
}

/** Every code has words in both languages: the type of errorTemplates makes it so. */
export function knownErrorCodes(): ErrorCode[] {
  return Object.keys(errorTemplates) as ErrorCode[];
}

/** Picks Italian or English from an Accept-Language header, honouring q-values. */
export function negotiateLang(acceptLanguage: string | null | undefined, fallback: Lang): Lang {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...attributes] = part.trim().split(";");
      const q = attributes.map((a) => a.trim()).find((a) => a.startsWith("q="));
      return { primary: tag.toLowerCase().split("-")[0]!, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    if (entry.primary === "it" || entry.primary === "en") return entry.primary;
  }
  return fallback;
}
