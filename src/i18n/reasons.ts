// Words for the reasons a citizen is not eligible, in Italian and English.
import type { ReasonCode } from "../eligibility/eligibility.model";
import type { Lang } from "./index";

const templates: Record<ReasonCode, Record<Lang, string>> = {
  NO_REGULATION_IN_FORCE: { en: "no regulation in force on the date", it: "nessun regolamento in vigore nella data" },
  NOT_ENROLLED: { en: "not enrolled in the register (status {status})", it: "iscrizione all'albo mancante (stato {status})" },
  UNDER_MINIMUM_AGE: { en: "under the minimum age of {minimumAge}", it: "sotto l'età minima di {minimumAge} anni" },
  MISSING_SKILL: { en: "lacks the skill {skill}", it: "non ha la competenza {skill}" },
  SKILL_LEVEL_TOO_LOW: { en: "skill level {level}, {minLevel} needed", it: "livello di competenza {level}, serve {minLevel}" },
  MISSING_LANGUAGE: { en: "does not speak {language} at level {minLevel}", it: "non parla {language} al livello {minLevel}" },
  NO_ACTIVE_PACT: { en: "no active collaboration pact", it: "nessun patto di collaborazione attivo" },
  PACT_ACTIVITY_NOT_COVERED: { en: "the pact does not cover {activityKind}", it: "il patto non copre {activityKind}" },
  PACT_MUNICIPALITY_NOT_COVERED: { en: "the pact does not cover {municipality}", it: "il patto non copre il comune di {municipality}" },
  PACT_DATE_NOT_COVERED: { en: "the pact does not cover {date}", it: "il patto non copre il {date}" },
  PACT_BUDGET_EXHAUSTED: {
    en: "the pact has {remainingMinutes} minutes left, {loadMinutes} needed",
    it: "al patto restano {remainingMinutes} minuti, ne servono {loadMinutes}",
  },
  WEEKLY_LIMIT_EXCEEDED: { en: "over the citizen's weekly limit", it: "oltre il limite settimanale del cittadino" },
  REGULATION_WEEKLY_LIMIT_EXCEEDED: { en: "over the regulation's weekly limit", it: "oltre il limite settimanale del regolamento" },
  TRAINING_MISSING: { en: "training missing: {course}", it: "formazione mancante: {course}" },
  TRAINING_EXPIRED: { en: "training expired: {course}", it: "formazione scaduta: {course}" },
  CRIMINAL_RECORD_CHECK_MISSING: { en: "no criminal-record check for work with minors", it: "manca il certificato del casellario per attività con minori" },
  CRIMINAL_RECORD_CHECK_EXPIRED: { en: "criminal-record check expired", it: "certificato del casellario scaduto" },
  INSURANCE_NOT_VALID: { en: "no insurance cover on {date}", it: "nessuna copertura assicurativa il {date}" },
  NOT_AVAILABLE: { en: "not available at that time", it: "non disponibile in quell'orario" },
  BUSY_WITH_COMMITMENT: { en: "already committed at that time", it: "ha già un impegno in quell'orario" },
  BUSY_WITH_OFFER: { en: "already offered something else at that time, awaiting an answer", it: "ha già una proposta in attesa di risposta in quell'orario" },
  ALREADY_ASKED: { en: "already asked for this occurrence", it: "ha già ricevuto una proposta per questo appuntamento" },
  TOO_FAR: {
    en: "too far: {travelMinutes} minutes of travel, at most {maxTravelMinutes}",
    it: "distanza eccessiva: {travelMinutes} minuti di viaggio, al massimo {maxTravelMinutes}",
  },
};

export function reasonMessage(code: ReasonCode, params: Record<string, string | number>, lang: Lang): string {
  return templates[code][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? "?"));
}
