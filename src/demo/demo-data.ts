// The demo territory: the 20 municipalities of the WE-ITA district (Amiata Grossetana,
// Colline Metallifere and Grossetana, province of Grosseto), with coordinates and ISTAT codes,
// and the catalogues the register refers to.
import type { ActivityKind } from "../generated/prisma/enums";

export const DEMO_TERRITORY = { code: "WE-ITA", name: "Zona Amiata Grossetana, Colline Metallifere e Grossetana" };

export interface DemoMunicipality {
  istatCode: string;
  name: string;
  area: "Amiata Grossetana" | "Colline Metallifere" | "Grossetana";
  latitude: number;
  longitude: number;
  /** Residents, rounded: citizens are spread in proportion. */
  population: number;
}

export const DEMO_MUNICIPALITIES: DemoMunicipality[] = [
  { istatCode: "053001", name: "Arcidosso", area: "Amiata Grossetana", latitude: 42.8717, longitude: 11.5394, population: 4200 },
  { istatCode: "053004", name: "Castel del Piano", area: "Amiata Grossetana", latitude: 42.8918, longitude: 11.5389, population: 4700 },
  { istatCode: "053005", name: "Castell'Azzara", area: "Amiata Grossetana", latitude: 42.7733, longitude: 11.6981, population: 1400 },
  { istatCode: "053007", name: "Cinigiano", area: "Amiata Grossetana", latitude: 42.8908, longitude: 11.3925, population: 2500 },
  { istatCode: "053020", name: "Roccalbegna", area: "Amiata Grossetana", latitude: 42.7858, longitude: 11.5069, population: 1000 },
  { istatCode: "053022", name: "Santa Fiora", area: "Amiata Grossetana", latitude: 42.8317, longitude: 11.585, population: 2500 },
  { istatCode: "053025", name: "Seggiano", area: "Amiata Grossetana", latitude: 42.93, longitude: 11.5567, population: 900 },
  { istatCode: "053028", name: "Semproniano", area: "Amiata Grossetana", latitude: 42.7294, longitude: 11.5408, population: 1000 },
  { istatCode: "053009", name: "Follonica", area: "Colline Metallifere", latitude: 42.9189, longitude: 10.7614, population: 21000 },
  { istatCode: "053010", name: "Gavorrano", area: "Colline Metallifere", latitude: 42.9253, longitude: 10.9075, population: 8300 },
  { istatCode: "053015", name: "Massa Marittima", area: "Colline Metallifere", latitude: 43.0497, longitude: 10.8886, population: 8200 },
  { istatCode: "053027", name: "Monterotondo Marittimo", area: "Colline Metallifere", latitude: 43.1453, longitude: 10.8558, population: 1300 },
  { istatCode: "053017", name: "Montieri", area: "Colline Metallifere", latitude: 43.1311, longitude: 11.0158, population: 1200 },
  { istatCode: "053024", name: "Scarlino", area: "Colline Metallifere", latitude: 42.9078, longitude: 10.8517, population: 3800 },
  { istatCode: "053011", name: "Grosseto", area: "Grossetana", latitude: 42.7636, longitude: 11.1128, population: 81000 },
  { istatCode: "053002", name: "Campagnatico", area: "Grossetana", latitude: 42.8836, longitude: 11.2733, population: 2400 },
  { istatCode: "053006", name: "Castiglione della Pescaia", area: "Grossetana", latitude: 42.7636, longitude: 10.8814, population: 7100 },
  { istatCode: "053008", name: "Civitella Paganico", area: "Grossetana", latitude: 42.9942, longitude: 11.2817, population: 3100 },
  { istatCode: "053021", name: "Roccastrada", area: "Grossetana", latitude: 43.0092, longitude: 11.1686, population: 9000 },
  { istatCode: "053023", name: "Scansano", area: "Grossetana", latitude: 42.6886, longitude: 11.3306, population: 4400 },
];

export const DEMO_SKILLS: { code: string; nameIt: string; nameEn: string; activityKinds: ActivityKind[] }[] = [
  { code: "HOMEWORK_PRIMARY", nameIt: "Aiuto compiti scuola primaria", nameEn: "Homework help, primary school", activityKinds: ["HOMEWORK_HELP"] },
  { code: "HOMEWORK_SECONDARY", nameIt: "Aiuto compiti scuola secondaria", nameEn: "Homework help, secondary school", activityKinds: ["HOMEWORK_HELP"] },
  {
    code: "ITALIAN_TEACHING",
    nameIt: "Insegnamento dell'italiano L2",
    nameEn: "Teaching Italian as a second language",
    activityKinds: ["LANGUAGE_CONVERSATION"],
  },
  { code: "CONVERSATION", nameIt: "Conversazione in italiano", nameEn: "Italian conversation", activityKinds: ["LANGUAGE_CONVERSATION", "SOCIAL_ACTIVITY"] },
  { code: "DRIVING", nameIt: "Accompagnamento in auto", nameEn: "Driving people", activityKinds: ["TRANSPORT", "ACCOMPANIMENT"] },
  { code: "CHILDCARE", nameIt: "Cura dei bambini", nameEn: "Childcare", activityKinds: ["CHILDCARE"] },
  { code: "CV_WRITING", nameIt: "Scrittura del curriculum", nameEn: "CV writing", activityKinds: ["JOB_SEARCH"] },
  { code: "JOB_ORIENTATION", nameIt: "Orientamento al lavoro", nameEn: "Job orientation", activityKinds: ["JOB_SEARCH"] },
  {
    code: "PUBLIC_OFFICES",
    nameIt: "Pratiche e uffici pubblici",
    nameEn: "Public offices and paperwork",
    activityKinds: ["ADMINISTRATIVE_HELP", "ACCOMPANIMENT"],
  },
  { code: "HEALTH_SERVICES", nameIt: "Orientamento ai servizi sanitari", nameEn: "Finding one's way in health services", activityKinds: ["ACCOMPANIMENT"] },
  { code: "HOUSING_SEARCH", nameIt: "Ricerca della casa", nameEn: "House hunting", activityKinds: ["HOUSING_SUPPORT"] },
  { code: "CULTURAL_MEDIATION", nameIt: "Mediazione culturale", nameEn: "Cultural mediation", activityKinds: ["CULTURAL_MEDIATION"] },
  {
    code: "DIGITAL_SKILLS",
    nameIt: "Competenze digitali (SPID, email, portali)",
    nameEn: "Digital skills (SPID, email, portals)",
    activityKinds: ["ADMINISTRATIVE_HELP", "JOB_SEARCH"],
  },
  { code: "SOCIAL_ANIMATION", nameIt: "Animazione e attività di gruppo", nameEn: "Group and leisure activities", activityKinds: ["SOCIAL_ACTIVITY"] },
];

export const DEMO_TRAINING_COURSES = [
  {
    code: "REGULATION_BASICS",
    nameIt: "Il regolamento dei beni comuni e l'albo",
    nameEn: "The shared-commons regulation and the register",
    validityMonths: null,
    requiredForEnrolment: true,
  },
  { code: "SAFEGUARDING_MINORS", nameIt: "Tutela dei minori", nameEn: "Safeguarding minors", validityMonths: 36, requiredForEnrolment: false },
  { code: "FIRST_AID", nameIt: "Primo soccorso", nameEn: "First aid", validityMonths: 24, requiredForEnrolment: false },
  {
    code: "INTERCULTURAL_COMMUNICATION",
    nameIt: "Comunicazione interculturale",
    nameEn: "Intercultural communication",
    validityMonths: null,
    requiredForEnrolment: false,
  },
];

export const FIRST_NAMES = [
  "Giulia",
  "Marco",
  "Francesca",
  "Luca",
  "Chiara",
  "Alessandro",
  "Sara",
  "Matteo",
  "Elena",
  "Giovanni",
  "Anna",
  "Paolo",
  "Martina",
  "Stefano",
  "Laura",
  "Andrea",
  "Valentina",
  "Roberto",
  "Silvia",
  "Davide",
  "Federica",
  "Simone",
  "Lucia",
  "Fabio",
  "Marta",
  "Riccardo",
  "Ilaria",
  "Lorenzo",
  "Amina",
  "Youssef",
  "Olena",
  "Mamadou",
  "Fatima",
  "Ahmed",
  "Iryna",
  "Aisha",
];

export const LAST_NAMES = [
  "Rossi",
  "Bianchi",
  "Bartolini",
  "Fabbri",
  "Innocenti",
  "Mori",
  "Tognetti",
  "Pieri",
  "Santini",
  "Lorenzini",
  "Barbini",
  "Rosi",
  "Ciampi",
  "Fratini",
  "Neri",
  "Corsini",
  "Galli",
  "Pellegrini",
  "Vichi",
  "Tonini",
  "Marchetti",
  "Sestini",
  "Papi",
  "Bindi",
  "Benocci",
  "El Idrissi",
  "Kovalenko",
  "Diop",
  "Rahman",
  "Bensaid",
];

/** Languages other than Italian, with how often the citizens of the district speak them. */
export const OTHER_LANGUAGES = [
  { code: "en", weight: 10 },
  { code: "fr", weight: 5 },
  { code: "es", weight: 3 },
  { code: "de", weight: 2 },
  { code: "ar", weight: 3 },
  { code: "uk", weight: 2 },
  { code: "ro", weight: 2 },
  { code: "ur", weight: 1 },
  { code: "wo", weight: 1 },
  { code: "sq", weight: 1 },
];
