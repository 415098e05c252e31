// A citizen's commitments as an iCalendar feed (RFC 5545). Pure: rows in, text out.
//
// Times are written in Europe/Rome wall-clock time with a TZID and the zone's VTIMEZONE (CET/
// CEST with the EU rules: last Sunday of March 02:00 -> 03:00, last Sunday of October 03:00 ->
// 02:00), so calendar apps show the right hour on both sides of a daylight-saving change. Each
// commitment is one event whose UID never changes; SEQUENCE grows with each change, and a
// withdrawn or cancelled commitment stays in the feed with STATUS:CANCELLED so subscribers
// remove it.
import { DateTime } from "luxon";

export interface CalendarEntry {
  id: string;
  /** What the id names, so UIDs never collide across kinds (default "commitment"). */
  uidPrefix?: string;
  status: "ACTIVE" | "WITHDRAWN" | "CANCELLED";
  sequence: number;
  updatedAt: Date;
  startsAt: Date;
  endsAt: Date;
  title: string;
  place: string;
  description?: string;
}

const ZONE = "Europe/Rome";

const VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Rome",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/** TEXT values escape backslashes, semicolons, commas and newlines (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets are folded: CRLF and a space (RFC 5545 3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const utc = (at: Date) => DateTime.fromJSDate(at, { zone: "utc" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const local = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE }).toFormat("yyyyMMdd'T'HHmmss");

export function calendarFeed(name: string, entries: CalendarEntry[], host = "legami"): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Legami//Commitments//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(name)}`,
    `X-WR-TIMEZONE:${ZONE}`,
    ...VTIMEZONE,
  ];
  for (const entry of entries) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${entry.uidPrefix ?? "commitment"}-${entry.id}@${host}`,
      `DTSTAMP:${utc(entry.updatedAt)}`,
      `LAST-MODIFIED:${utc(entry.updatedAt)}`,
      `SEQUENCE:${entry.sequence}`,
      `DTSTART;TZID=${ZONE}:${local(entry.startsAt)}`,
      `DTEND;TZID=${ZONE}:${local(entry.endsAt)}`,
      `SUMMARY:${escapeText(entry.title)}`,
      `LOCATION:${escapeText(entry.place)}`,
      ...(entry.description ? [`DESCRIPTION:${escapeText(entry.description)}`] : []),
      `STATUS:${entry.status === "ACTIVE" ? "CONFIRMED" : "CANCELLED"}`,
      "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
