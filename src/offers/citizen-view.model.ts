// What a citizen sees of an occurrence before accepting it: the one projection that myOffers
// (the OccurrenceView type), notifications, calendar feeds and mail are built from. Kind of
// activity, time, town, what it needs; never the task's title or description (staff write them,
// and they may name the family), never the address. Pure.

/** The occurrence and task fields the projection reads; a town and skill loaded with the task are carried along. */
export interface OccurrenceRow<Town = { name: string }, Skill = unknown> {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  task: {
    activityKind: string;
    remote: boolean;
    municipalityId: string | null;
    municipality?: Town | null;
    involvesMinors: boolean;
    requiredLanguages: string[];
    preferredLanguages: string[];
    minSkillLevel: number;
    requiredSkillId: string;
    requiredSkill?: Skill;
    headcount: number;
  };
}

/** Everything a citizen may read of an occurrence they have not accepted yet. */
export interface CitizenOccurrence<Town = { name: string }, Skill = unknown> {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  activityKind: string;
  remote: boolean;
  /** The town; null when remote. */
  municipalityId: string | null;
  /** The town as loaded with the task: undefined when it was not loaded, null when remote. */
  municipality: Town | null | undefined;
  involvesMinors: boolean;
  requiredLanguages: string[];
  preferredLanguages: string[];
  minSkillLevel: number;
  requiredSkillId: string;
  requiredSkill: Skill | undefined;
  headcount: number;
}

/** The projection: picks field by field, so a staff-only field added to the task cannot pass through. */
export function citizenOccurrence<Town = never, Skill = never>(row: OccurrenceRow<Town, Skill>): CitizenOccurrence<Town, Skill> {
  const { task } = row;
  return {
    id: row.id,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    activityKind: task.activityKind,
    remote: task.remote,
    municipalityId: task.remote ? null : task.municipalityId,
    municipality: task.remote ? null : task.municipality,
    involvesMinors: task.involvesMinors,
    requiredLanguages: task.requiredLanguages,
    preferredLanguages: task.preferredLanguages,
    minSkillLevel: task.minSkillLevel,
    requiredSkillId: task.requiredSkillId,
    requiredSkill: task.requiredSkill,
    headcount: task.headcount,
  };
}

/** Where an occurrence is, as a citizen reads it: "remote", the town, or "-". */
export const placeOf = (task: { remote: boolean; municipality?: { name: string } | null }) => (task.remote ? "remote" : (task.municipality?.name ?? "-"));

/** A notification's parameters about an occurrence: the kind of activity (words chosen in the reader's language), when and where. */
export function occurrenceParams(row: { startsAt: Date; task: { activityKind: string; remote: boolean; municipality?: { name: string } | null } }): {
  activity: string;
  when: string;
  place: string;
} {
  return { activity: row.task.activityKind, when: row.startsAt.toISOString(), place: placeOf(row.task) };
}
