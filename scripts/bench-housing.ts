// Benchmark of the shared-housing planner: `npm run bench:housing [-- --sizes 4,8,12,16 --seed 1 --slot 30]`.
// For each house size (households) it plans one month (31 days, 30-minute grid unless --slot)
// of a house shaped like the demo's: a fortnightly house meeting, shared meals and a chore rota
// (two rotas), Italian conversation for half the households that stay all month, a welcome, a mediation session and
// a weekly open activity, with households busy on varied work and school hours, one moving in and
// one moving out half-way. Each size runs in a fresh process so its peak memory is its own; time
// is the plan with HiGHS loaded, as on a solver thread. Writes bench-results/housing.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { planHouse, type Activity, type Household, type PlannerInput } from "../src/housing/planner.model";
import { warmUpHighs } from "../src/solver/highs-backend";
import { seededRandom } from "../src/random";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function house(size: number, seed: number, slotMinutes: number): PlannerInput {
  const random = seededRandom(seed * 1000 + size);
  const days = (weekdays: number[], start: number, end: number) => weekdays.map((weekday) => ({ weekday, startMinute: start * 60, endMinute: end * 60 }));
  const patterns = [
    days([1, 2, 3, 4, 5], 7, 16),
    days([1, 2, 3, 4, 5], 6, 14),
    [...days([1, 2, 3, 4, 5], 9, 13), ...days([2, 4], 14, 17)],
    days([1, 2, 3, 4, 5, 6], 14, 20),
    days([1, 2, 3, 4, 5], 8, 12),
    [],
  ];
  const households: Household[] = Array.from({ length: size }, (_, i) => ({
    id: `h${i + 1}`,
    moveIn: i === size - 1 ? "2027-12-16" : null,
    moveOut: i === size - 2 ? "2027-12-18" : null,
    busy: { windows: patterns[random.int(0, patterns.length - 1)]!, exceptions: [] },
  }));
  const ids = households.map((h) => h.id);
  const rotaSize = Math.max(1, Math.round(size / 4));
  const activities: Activity[] = [
    {
      id: "meeting",
      spaceId: "living",
      durationMinutes: 90,
      attendance: "ALL",
      frequency: { kind: "WEEKLY", everyWeeks: 2 },
      preferred: { weekdays: [7], startMinute: 17 * 60, endMinute: 20 * 60 },
    },
    {
      id: "meal",
      spaceId: "kitchen",
      durationMinutes: 120,
      attendance: "ROTA",
      householdsPerTurn: 2 * rotaSize,
      frequency: { kind: "TIMES", times: 8 },
      preferred: { startMinute: 18 * 60 + 30, endMinute: 21 * 60 + 30 },
      minSpacingHours: 48,
    },
    {
      id: "chores",
      spaceId: null,
      durationMinutes: 60,
      attendance: "ROTA",
      householdsPerTurn: rotaSize,
      frequency: { kind: "WEEKLY", everyWeeks: 1 },
      preferred: { weekdays: [6, 7], startMinute: 9 * 60, endMinute: 13 * 60 },
      minSpacingHours: 96,
    },
    {
      id: "italian",
      spaceId: "living",
      durationMinutes: 60,
      attendance: ids.filter((_, i) => i % 2 === 0 && i < size - 2),
      frequency: { kind: "WEEKLY", everyWeeks: 1 },
      preferred: { weekdays: [2, 4], startMinute: 18 * 60, endMinute: 20 * 60 },
    },
    { id: "welcome", spaceId: "living", durationMinutes: 90, attendance: [ids[size - 1]!], frequency: { kind: "TIMES", times: 1 } },
    {
      id: "mediation",
      spaceId: "living",
      durationMinutes: 90,
      attendance: ids.slice(0, 2),
      frequency: { kind: "TIMES", times: 1 },
      preferred: { weekdays: [1, 2, 3, 4, 5], startMinute: 17 * 60, endMinute: 20 * 60 },
    },
    {
      id: "garden",
      spaceId: "garden",
      durationMinutes: 120,
      attendance: [],
      frequency: { kind: "WEEKLY", everyWeeks: 1 },
      preferred: { weekdays: [6], startMinute: 9 * 60, endMinute: 12 * 60 },
    },
  ];
  const everyDay = (start: number, end: number) => days([1, 2, 3, 4, 5, 6, 7], start, end);
  return {
    from: "2027-12-01",
    to: "2028-01-01",
    slotMinutes,
    quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 },
    spaces: [
      { id: "kitchen", opening: everyDay(7, 22) },
      { id: "living", opening: everyDay(9, 22) },
      { id: "garden", opening: everyDay(8, 20) },
    ],
    households,
    activities,
    timeLimitSeconds: 20,
  };
}

if (args[0] === "--one") {
  const [size, seed, slot] = args.slice(1).map(Number) as [number, number, number];
  await warmUpHighs();
  const input = house(size, seed, slot);
  const started = performance.now();
  const plan = await planHouse(input);
  const ms = performance.now() - started;
  const spread = Math.max(0, ...plan.rotaBalance.map((b) => Math.abs(b.duties - b.share)));
  console.log(
    JSON.stringify({
      size,
      ms,
      occurrences: plan.occurrences.length,
      unplaced: plan.unplaced.length,
      optimal: plan.optimal,
      spread,
      repeated: Object.values(plan.repeatedDuties).reduce((s, n) => s + n, 0),
      rssMb: process.resourceUsage().maxRSS / 1024,
      unplacedDetail: plan.unplaced.map((u) => ({
        activity: u.activityId,
        window: `${u.windowFrom}..${u.windowTo}`,
        ruledOut: u.reasonCounts,
        clashing: u.clashing,
      })),
      balance: plan.rotaBalance.filter((b) => Math.abs(b.duties - b.share) >= 1),
    }),
  );
  process.exit(0);
}

const sizes = (flag("--sizes") ?? "4,8,12,16").split(",").map(Number);
const seed = Number(flag("--seed") ?? 1);
const slot = Number(flag("--slot") ?? 30);
const rows: string[] = [];
for (const size of sizes) {
  const out = execFileSync(process.execPath, ["--import", "tsx", import.meta.filename, "--one", String(size), String(seed), String(slot)], {
    encoding: "utf8",
  });
  const r = JSON.parse(out.trim().split("\n").at(-1)!);
  rows.push(
    `| ${r.size} | ${(r.ms / 1000).toFixed(2)} s | ${r.occurrences} | ${r.unplaced} | ${r.optimal ? "yes" : "no"} | ${r.spread.toFixed(2)} | ${r.repeated} | ${Math.round(r.rssMb)} MB |`,
  );
  console.log(rows.at(-1));
}
const table = [
  `Shared-housing planner, one month (31 days, ${slot}-minute grid), seed ${seed}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}.`,
  "",
  "| households | plan time | occurrences | unplaced | optimal | max abs(turns - share) | repeated turns | peak RSS |",
  "|---:|---:|---:|---:|:---:|---:|---:|---:|",
  ...rows,
  "",
].join("\n");
mkdirSync(join(import.meta.dirname, "..", "bench-results"), { recursive: true });
writeFileSync(join(import.meta.dirname, "..", "bench-results", "housing.md"), table);
console.log(`\n${table}`);
