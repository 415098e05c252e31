// The citizen's iCalendar feed, read back with a real parser (ical.js): times right on both sides
// of the March 2027 daylight-saving change, updates and cancellations through SEQUENCE and
// STATUS, a secret and revocable URL.
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { activityName } from "../src/i18n/activities";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let token: string;
let citizenId: string;
let activity: string;
const before = { start: "2027-03-26T16:00:00+01:00", end: "2027-03-26T17:30:00+01:00" }; // CET
const after = { start: "2027-03-29T16:00:00+02:00", end: "2027-03-29T17:30:00+02:00" }; // CEST
const commitmentIds: string[] = [];

const CREATE = `mutation { createCalendarFeed { __typename ... on CalendarFeedLink { path } ... on Error { code } } }`;

async function readFeed(path: string) {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // The feed's own VTIMEZONE is what converts its local times.
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents("vevent").map((e) => {
    const event = new ICAL.Event(e);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      start: event.startDate,
      end: event.endDate,
      sequence: event.sequence,
      status: e.getFirstPropertyValue("status"),
    };
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.database.prisma;
  const membership = await prisma.pactCitizen.findFirstOrThrow({ include: { citizen: { include: { user: true } } }, orderBy: { citizenId: "asc" } });
  citizenId = membership.citizenId;
  token = await server.login(membership.citizen.user!.email, DEMO_PASSWORD);
  const task = await prisma.task.findFirstOrThrow({ where: { remote: false }, orderBy: { id: "asc" } });
  // Staff-written title and description name the family: they must never reach the feed. The
  // address, with its comma and semicolon, checks the escaping.
  await prisma.task.update({
    where: { id: task.id },
    data: { title: "Famiglia Haddad: compiti, matematica", description: "Il figlio Karim ha bisogno di aiuto", address: "Via Roma, 3; scala B" },
  });
  activity = activityName(task.activityKind, membership.citizen.user!.locale === "EN" ? "en" : "it");
  for (const [i, slot] of [before, after].entries()) {
    const occurrence = await prisma.taskOccurrence.create({
      data: { taskId: task.id, startsAt: new Date(slot.start), endsAt: new Date(slot.end), localDate: new Date(`${slot.start.slice(0, 10)}T00:00:00Z`) },
    });
    const commitment = await prisma.commitment.create({
      data: {
        citizenId,
        occurrenceId: occurrence.id,
        pactId: membership.pactId,
        plannedMinutes: 90,
        createdById: membership.citizen.userId!,
        createdAt: new Date(Date.UTC(2026, 10, 20, 9, i)),
      },
    });
    commitmentIds.push(commitment.id);
  }
});

afterAll(async () => {
  await server?.close();
});

describe("calendar feed", () => {
  let path: string;

  it("serves the citizen's commitments with Europe/Rome times that stay right across the DST change", async () => {
    const created = (await server.gql(CREATE, {}, { token })).data.createCalendarFeed;
    expect(created.__typename).toBe("CalendarFeedLink");
    path = created.path;
    expect(path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await readFeed(path);
    expect(feed.status).toBe(200);
    expect(feed.type).toMatch(/^text\/calendar/);
    expect(feed.text).toMatch(/\r\n/);
    const events = parse(feed.text).filter((e) => commitmentIds.some((id) => e.uid === `commitment-${id}@legami`));
    expect(events).toHaveLength(2);
    expect(feed.text).not.toMatch(/Haddad|Karim/);
    for (const [i, slot] of [before, after].entries()) {
      const event = events.find((e) => e.uid === `commitment-${commitmentIds[i]}@legami`)!;
      // Same wall-clock hour in Rome, different UTC instants (+01:00, then +02:00).
      expect(event.start.toJSDate().toISOString()).toBe(new Date(slot.start).toISOString());
      expect(event.end.toJSDate().toISOString()).toBe(new Date(slot.end).toISOString());
      expect([event.start.hour, event.start.minute]).toEqual([16, 0]);
      expect(event.start.zone.tzid).toBe("Europe/Rome");
      expect(event.summary).toBe(activity);
      expect(event.location).toMatch(/^Via Roma, 3; scala B, /);
      expect(event.status).toBe("CONFIRMED");
      expect(event.sequence).toBe(0);
    }
  });

  it("shows a withdrawal as the same event, cancelled, with a higher SEQUENCE", async () => {
    const withdrawn = await server.gql(`mutation($id: ID!) { withdrawCommitment(commitmentId: $id) { __typename } }`, { id: commitmentIds[1] }, { token });
    expect(withdrawn.data.withdrawCommitment.__typename).toBe("Commitment");
    const event = parse((await readFeed(path)).text).find((e) => e.uid === `commitment-${commitmentIds[1]}@legami`)!;
    expect(event.status).toBe("CANCELLED");
    expect(event.sequence).toBe(1);
  });

  it("keeps the link secret and revocable: a new link replaces the old, revoking stops it, staff cannot make one", async () => {
    const second = (await server.gql(CREATE, {}, { token })).data.createCalendarFeed.path;
    expect((await readFeed(path)).status).toBe(404);
    expect((await readFeed(second)).status).toBe(200);
    expect(
      (await server.gql(`mutation { revokeCalendarFeeds { ... on RevokeCalendarFeedsSuccess { data } } }`, {}, { token })).data.revokeCalendarFeeds,
    ).toEqual({ data: 1 });
    expect((await readFeed(second)).status).toBe(404);
    expect((await readFeed("/calendar/not-a-token-but-long-enough-0123456789.ics")).status).toBe(404);
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    expect((await server.gql(CREATE, {}, { token: coordinator })).errors?.length).toBeGreaterThan(0);
  });
});
