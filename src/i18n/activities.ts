// The kinds of activity in plain words (linguaggio semplice), in Italian and English: what a
// citizen reads of a task before accepting it, in notifications, calendars and mail.
import type { Lang } from "./index";

export const ACTIVITY_NAMES: Record<string, Record<Lang, string>> = {
  HOMEWORK_HELP: { it: "Aiuto compiti", en: "Homework help" },
  LANGUAGE_CONVERSATION: { it: "Conversazione in italiano", en: "Italian conversation" },
  ACCOMPANIMENT: { it: "Accompagnamento", en: "Accompanying someone" },
  JOB_SEARCH: { it: "Ricerca di lavoro", en: "Job search" },
  CHILDCARE: { it: "Cura dei bambini", en: "Childcare" },
  TRANSPORT: { it: "Trasporto", en: "Transport" },
  CULTURAL_MEDIATION: { it: "Mediazione culturale", en: "Cultural mediation" },
  HOUSING_SUPPORT: { it: "Aiuto per la casa", en: "Help with housing" },
  ADMINISTRATIVE_HELP: { it: "Aiuto con le pratiche", en: "Help with paperwork" },
  SOCIAL_ACTIVITY: { it: "Attività sociale", en: "Social activity" },
};

export function activityName(kind: string, lang: Lang): string {
  return ACTIVITY_NAMES[kind]?.[lang] ?? (lang === "it" ? "Attività" : "Activity");
}
