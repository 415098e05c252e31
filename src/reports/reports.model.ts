// The programme's indicators, pure: grouping of ledger hours, rates, medians, and the CSV form.
// Hours come from the ledger's own rule (ledger.model commitmentHours), so a report adds up with
// the ledger by construction; a test cross-checks it.
import { sumHours, type CommitmentHours } from "../ledger/ledger.model";

export interface HoursGroup extends CommitmentHours {
  key: string;
}

/** Sums hours by a key (pact, activity kind, month, municipality), sorted by key. */
export function groupHours<T>(items: T[], keyOf: (item: T) => string, hoursOf: (item: T) => CommitmentHours): HoursGroup[] {
  const groups = new Map<string, CommitmentHours[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(hoursOf(item));
    else groups.set(key, [hoursOf(item)]);
  }
  return [...groups].map(([key, list]) => ({ key, ...sumHours(list) })).sort((a, b) => a.key.localeCompare(b.key));
}

/** The median of some numbers (null for none). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A share, rounded to four decimals; null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** One CSV field (RFC 4180): quoted when needed; cells that a spreadsheet would run as a formula are neutralised. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows of [section, indicator, key, value] as CSV with a header line. */
export function csv(rows: [string, string, string, string | number | null][]): string {
  return `${["section,indicator,key,value", ...rows.map((row) => row.map(csvField).join(","))].join("\r\n")}\r\n`;
}
