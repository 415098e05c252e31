// Benchmark of the matching optimiser (npm run bench:matching), written to bench-results/matching.md:
//
//   --sizes S,M,L,XL       seeded synthetic weeks (default S,M,L,XL)
//   --seeds 1-5            seeds, as a range or a list (default 1-5)
//   --methods engine,proof,greedy,highs-whole
//                          engine: the default budget; proof: a budget large enough to prove the
//                          optimum (work 400,000, 120 s); greedy; highs-whole: HiGHS on the whole,
//                          undecomposed problem (120 s)
//   --busy N               N processes spinning on the cores during every measurement
//   --determinism N        also run the engine at the largest size with N busy processes and
//                          compare its output byte for byte with the idle run (default 2; 0 skips)
//   --public DIR           a folder of generalised assignment instances (OR-Library format, with
//                          bounds.txt of known optima), solved in their maximisation and
//                          minimisation readings; kept outside the repository
//   --budget               hostile inputs through the CLI: wall time against limit x 1.1 + 1 s,
//                          peak memory
//
// Each measurement runs in a fresh process, so peak memory is its own; CPU seconds
// (process.cpuUsage, every thread) stand beside wall seconds, as a shared machine slows the wall
// clock more than the CPU. Times are of the solve with HiGHS loaded and compiled, as in a
// running worker; the budget table times the CLI from reading to printing.
import { createHash } from "node:crypto";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../src/random";
import { warmUpHighs } from "../src/solver/highs-backend";
import { generateInstance, SIZES, type SizeName } from "../src/solver/instances";
import type { MatchingProblem, SolveOptions } from "../src/solver/problem";
import { solveMatching } from "../src/solver/solve";

const METHODS: Record<string, SolveOptions> = {
  engine: {},
  proof: { workLimit: 400_000, timeLimitSeconds: 120 },
  greedy: { backend: "greedy" },
  "highs-whole": { backend: "highs", decompose: false, workLimit: 10_000_000, timeLimitSeconds: 120 },
};

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const tsx = join(import.meta.dirname, "..", "node_modules", ".bin", "tsx");
const results = join(import.meta.dirname, "..", "bench-results");

interface Measurement {
  label: string;
  pairs: number;
  wall: number;
  cpu: number;
  peakMB: number;
  objective: number;
  bound: number;
  gap: number;
  status: string;
  stoppedBy: string;
  work: number;
  components: number;
  hash: string;
}

async function measure(label: string, problem: MatchingProblem, options: SolveOptions): Promise<Measurement> {
  await warmUpHighs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const solution = await solveMatching({ ...problem, options: { ...problem.options, ...options } });
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    label,
    pairs: problem.pairs.length,
    wall,
    cpu: (used.user + used.system) / 1e6,
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    objective: solution.objective,
    bound: solution.bound,
    gap: solution.gap,
    status: solution.status,
    stoppedBy: solution.stoppedBy,
    work: solution.work,
    components: solution.components.length,
    hash: createHash("sha256").update(JSON.stringify(solution)).digest("hex").slice(0, 16),
  };
}

if (args[0] === "--one") {
  // Child: one measurement, one JSON line. Either a seeded size or a file.
  const [, source, method, seedText] = args;
  const problem = source!.endsWith(".json")
    ? (JSON.parse(readFileSync(source!, "utf8")) as MatchingProblem)
    : generateInstance(source as SizeName, Number(seedText));
  console.log(JSON.stringify(await measure(`${source} ${method}`, problem, METHODS[method!] ?? JSON.parse(method!))));
  process.exit(0);
}

/** Runs `work` while `n` processes spin on the cores. */
async function withBusy<T>(n: number, work: () => T | Promise<T>): Promise<T> {
  const spinners: ChildProcess[] = Array.from({ length: n }, () => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  try {
    return await work();
  } finally {
    for (const s of spinners) s.kill("SIGKILL");
  }
}

function child(source: string, method: string, seed = 1): Measurement {
  const out = execFileSync(tsx, [import.meta.filename, "--one", source, method, String(seed)], { encoding: "utf8", maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split("\n").pop()!) as Measurement;
}

const seedsOf = (text: string) =>
  text.includes("-")
    ? Array.from({ length: Number(text.split("-")[1]) - Number(text.split("-")[0]) + 1 }, (_, i) => Number(text.split("-")[0]) + i)
    : text.split(",").map(Number);
const sizes = (flag("--sizes") ?? "S,M,L,XL").split(",") as SizeName[];
const seeds = seedsOf(flag("--seeds") ?? "1-5");
const methods = (flag("--methods") ?? Object.keys(METHODS).join(",")).split(",");
const busy = Number(flag("--busy") ?? 0);
const determinism = Number(flag("--determinism") ?? 2);
for (const method of methods) if (!(method in METHODS)) throw new Error(`unknown method ${method}`);
for (const size of sizes) if (!(size in SIZES)) throw new Error(`unknown size ${size}`);

const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${(x * 100).toFixed(4)} %`;
const sections: string[] = [
  `# Matching benchmark`,
  "",
  `${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}${busy ? `, ${busy} busy processes throughout` : ""}. CPU s counts every thread of the process (HiGHS, the garbage collector); "below best" is the distance from the best objective of the methods run here.`,
  "",
];

if (methods.length > 0 && sizes.length > 0) {
  const rows: string[] = [];
  for (const size of sizes) {
    for (const seed of seeds) {
      const byMethod: Record<string, Measurement> = {};
      await withBusy(busy, () => {
        for (const method of methods) {
          byMethod[method] = child(size, method, seed);
          process.stderr.write(`${size} seed ${seed} ${method}: ${f2(byMethod[method]!.cpu)} CPU s, ${byMethod[method]!.stoppedBy}\n`);
        }
      });
      const best = Math.max(...Object.values(byMethod).map((r) => r.objective));
      for (const method of methods) {
        const r = byMethod[method]!;
        rows.push(
          `| ${size} | ${seed} | ${method} | ${r.pairs} | ${f2(r.cpu)} | ${f2(r.wall)} | ${r.peakMB} | ${r.objective.toFixed(2)} | ${r.bound.toFixed(2)} | ${pct(r.gap)} | ${pct((best - r.objective) / best)} | ${r.status} (${r.stoppedBy}) | ${r.work} |`,
        );
      }
    }
  }
  sections.push(
    "## Seeded weeks",
    "",
    "| size | seed | method | pairs | CPU s | wall s | peak MB | objective | bound | gap | below best | status (stopped by) | work |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  );
}

if (determinism > 0 && sizes.length > 0) {
  const size = sizes[sizes.length - 1]!;
  const rows: string[] = [];
  for (const seed of seeds) {
    const idle = child(size, "engine", seed);
    const loaded = await withBusy(determinism, () => child(size, "engine", seed));
    rows.push(
      `| ${size} | ${seed} | ${f2(idle.cpu)} / ${f2(idle.wall)} | ${f2(loaded.cpu)} / ${f2(loaded.wall)} | ${idle.hash} | ${loaded.hash} | ${idle.hash === loaded.hash ? "yes" : "**no**"} |`,
    );
    process.stderr.write(`determinism ${size} seed ${seed}: ${idle.hash === loaded.hash ? "same" : "DIFFERENT"}\n`);
  }
  sections.push(
    `## The same answer on a busy machine`,
    "",
    `The engine's whole output (sha256 of the solution JSON) idle and with ${determinism} processes spinning on the cores.`,
    "",
    "| size | seed | idle CPU / wall s | busy CPU / wall s | idle hash | busy hash | same bytes |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  );
}

const publicDir = flag("--public");
if (publicDir) sections.push(...publicTable(publicDir));
if (args.includes("--budget")) sections.push(...(await budgetTable()));

mkdirSync(results, { recursive: true });
writeFileSync(join(results, "matching.md"), sections.join("\n"));
console.log(sections.join("\n"));

/**
 * Generalised assignment instances (OR-Library / Chu and Beasley format: m agents, n jobs, the
 * m x n profits or costs, the m x n resources, the m capacities) as matching problems: agents are
 * citizens with their capacity, jobs are occurrences with one seat, every pair is eligible with
 * its resource as load. Every job must be assigned in a GAP; here seats may stay empty, so each
 * score carries a constant M larger than any sum of profits, which makes assigning every job
 * worth more than anything else: the maximisation reading scores M + profit, the minimisation
 * reading M - cost, and the GAP value is the objective less (or M n less) the objective.
 */
function publicTable(dir: string): string[] {
  const known = new Map<string, [number, number]>();
  const boundsFile = join(dir, "bounds.txt");
  if (existsSync(boundsFile)) {
    for (const line of readFileSync(boundsFile, "utf8").split("\n")) {
      const [name, lb, ub] = line.trim().split(/\s+/);
      if (name && lb && ub) known.set(name, [Number(lb), Number(ub)]);
    }
  }
  const work = mkdtempSync(join(tmpdir(), "legami-gap-"));
  const rows: string[] = [];
  let claims = 0;
  let falseClaims = 0;
  const files = readdirSync(dir)
    .filter((f) => !f.includes(".") && !f.startsWith("bounds"))
    .sort();
  for (const file of files) {
    const numbers = readFileSync(join(dir, file), "utf8").trim().split(/\s+/).map(Number);
    // Either one instance (m n ...) or, in the original gap1-12 files, a count first.
    const many = numbers.length !== 2 + 2 * numbers[0]! * numbers[1]! + numbers[0]!;
    let at = many ? 1 : 0;
    const count = many ? numbers[0]! : 1;
    for (let k = 0; k < count; k++) {
      const m = numbers[at++]!;
      const n = numbers[at++]!;
      const values = numbers.slice(at, (at += m * n));
      const resources = numbers.slice(at, (at += m * n));
      const capacities = numbers.slice(at, (at += m));
      const name = count > 1 ? `${file}-${k + 1}` : file;
      for (const reading of ["Max", "Min"] as const) {
        const worst = Array.from({ length: n }, (_, j) => Math.max(...Array.from({ length: m }, (_, i) => values[i * n + j]!)));
        const M = worst.reduce((a, b) => a + b, 0) + 1;
        const problem: MatchingProblem = {
          citizens: capacities.map((capacity, i) => ({ id: `agent${i}`, capacityMinutes: capacity })),
          occurrences: Array.from({ length: n }, (_, j) => ({ id: `job${j}`, headcount: 1 })),
          pairs: values.map((v, q) => ({
            citizen: `agent${Math.floor(q / n)}`,
            occurrence: `job${q % n}`,
            score: reading === "Max" ? M + v : M - v,
            loadMinutes: resources[q]!,
          })),
        };
        const path = join(work, `${name}-${reading}.json`);
        writeFileSync(path, JSON.stringify(problem));
        const r = child(path, "engine");
        const value = (x: number) => (reading === "Max" ? x - M * n : M * n - x);
        const [lb, ub] = known.get(`${name.replace(/_/g, "")}_${reading}`) ?? known.get(`${file}_${reading}`) ?? [Number.NaN, Number.NaN];
        const optimum = lb === ub ? lb : Number.NaN;
        const found = value(r.objective);
        const allAssigned = r.objective >= M * n - (reading === "Max" ? 0 : M - 1);
        let verdict = "";
        if (r.status === "OPTIMAL") {
          claims++;
          if (Number.isFinite(optimum) && found !== optimum) {
            falseClaims++;
            verdict = "**OPTIMAL claimed, known optimum differs**";
          } else verdict = Number.isFinite(optimum) ? "optimal, as known" : "optimal";
        } else verdict = Number.isFinite(optimum) ? `${((Math.abs(found - optimum) / optimum) * 100).toFixed(3)} % from the known optimum` : "";
        const boundText = reading === "Max" ? `<= ${f2(value(r.bound))}` : `>= ${f2(value(r.bound))}`;
        rows.push(
          `| ${name} | ${reading} | ${m} x ${n} | ${Number.isFinite(optimum) ? optimum : `${lb}-${ub}`} | ${found}${allAssigned ? "" : " (jobs left)"} | ${boundText} | ${r.status} (${r.stoppedBy}) | ${f2(r.cpu)} | ${f2(r.wall)} | ${verdict} |`,
        );
        process.stderr.write(`public ${name} ${reading}: ${found} (${r.status}) against ${optimum}\n`);
      }
    }
  }
  return [
    "## Public instances with known optima",
    "",
    `Generalised assignment instances from ${dir} (OR-Library, Chu and Beasley types A-E; known optima from their bounds file), engine with the default budget. ${claims} answers claimed OPTIMAL, ${falseClaims} of them at a value other than the known optimum.`,
    "",
    "| instance | reading | agents x jobs | known optimum | found | bound | status (stopped by) | CPU s | wall s | verdict |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}

/** Hostile inputs through the CLI (reading to printing timed by the CLI itself, and the whole process from outside). */
async function budgetTable(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "legami-budget-"));
  const random = seededRandom(42);
  const cases: { name: string; problem: () => MatchingProblem; limit: number; extra?: string[] }[] = [
    { name: "XXL week, 615,000 pairs", problem: () => generateInstance("XXL", 1), limit: 10 },
    { name: "XL week, 1 s", problem: () => generateInstance("XL", 1), limit: 1 },
    { name: "S week", problem: () => generateInstance("S", 1), limit: 10 },
    {
      name: "100 citizens, one conflict group of 2,000 occurrences each",
      limit: 10,
      problem: () => {
        const occurrences = Array.from({ length: 2000 }, (_, o) => ({ id: `o${o}`, headcount: 1 }));
        const citizens = Array.from({ length: 100 }, (_, c) => ({ id: `c${c}`, capacityMinutes: 600 }));
        return {
          citizens,
          occurrences,
          pairs: citizens.flatMap((c) => occurrences.map((o) => ({ citizen: c.id, occurrence: o.id, score: 1000 + random.int(0, 60), loadMinutes: 60 }))),
          conflicts: citizens.map((c) => ({ citizen: c.id, occurrences: occurrences.map((o) => o.id) })),
        };
      },
    },
    {
      name: "20,000 small components",
      limit: 10,
      problem: () => {
        const problem: MatchingProblem = { citizens: [], occurrences: [], pairs: [], conflicts: [] };
        for (let k = 0; k < 20_000; k++) {
          problem.citizens.push({ id: `a${k}`, capacityMinutes: 120 }, { id: `b${k}`, capacityMinutes: 120 });
          problem.occurrences.push({ id: `x${k}`, headcount: 1 }, { id: `y${k}`, headcount: 1 }, { id: `z${k}`, headcount: 1 });
          for (const c of ["a", "b"])
            for (const o of ["x", "y", "z"])
              problem.pairs.push({ citizen: `${c}${k}`, occurrence: `${o}${k}`, score: 100 + random.int(0, 12), loadMinutes: 60 });
          problem.conflicts!.push({ citizen: `a${k}`, occurrences: [`x${k}`, `y${k}`] });
        }
        return problem;
      },
    },
    {
      name: "one citizen, 3,000 pairs taking no minutes, overlapping groups",
      limit: 5,
      problem: () => {
        const occurrences = Array.from({ length: 3000 }, (_, o) => ({ id: `o${o}`, headcount: 1 }));
        return {
          citizens: [{ id: "c", capacityMinutes: 0 }],
          occurrences,
          pairs: occurrences.map((o) => ({ citizen: "c", occurrence: o.id, score: random.int(1, 1000), loadMinutes: 0 })),
          conflicts: Array.from({ length: 3000 }, (_, g) => ({ citizen: "c", occurrences: [`o${g}`, `o${(g * 7 + 1) % 3000}`, `o${(g * 13 + 5) % 3000}`] })),
        };
      },
    },
    {
      name: "javascript-lp-solver on a hard 120-pair component",
      limit: 5,
      extra: ["--backend", "lp-solver"],
      // Correlated like Chu and Beasley's type D: a pair worth more takes more minutes, and the
      // capacities are tight.
      problem: () => {
        const loads = Array.from({ length: 120 }, () => random.int(1, 100));
        const citizens = Array.from({ length: 6 }, (_, c) => ({
          id: `c${c}`,
          capacityMinutes: Math.round((0.8 * loads.slice(c * 20, c * 20 + 20).reduce((a, b) => a + b, 0)) / 6),
        }));
        const occurrences = Array.from({ length: 20 }, (_, o) => ({ id: `o${o}`, headcount: 1 }));
        return {
          citizens,
          occurrences,
          pairs: loads.map((load, q) => ({
            citizen: `c${Math.floor(q / 20)}`,
            occurrence: `o${q % 20}`,
            score: 1000 + load + random.int(-10, 10),
            loadMinutes: load,
          })),
        };
      },
    },
  ];
  const cli = join(import.meta.dirname, "solve.ts");
  const rows: string[] = [];
  for (const c of cases) {
    const path = join(dir, `${c.name.replace(/[^a-z0-9]+/gi, "-")}.json`);
    writeFileSync(path, JSON.stringify(c.problem()));
    const started = performance.now();
    const run = spawnSync("/usr/bin/time", ["-f", "%M", tsx, cli, path, "--timing", "--check", "--time-limit", String(c.limit), ...(c.extra ?? [])], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const processSeconds = (performance.now() - started) / 1000;
    const lines = run.stderr.trim().split("\n");
    const peakMB = Math.round(Number(lines[lines.length - 1]) / 1024);
    const summary = lines.find((l) => l.includes(" wall ")) ?? lines[0] ?? "";
    const wall = Number(/wall ([\d.]+) s/.exec(summary)?.[1] ?? Number.NaN);
    const cpu = Number(/CPU ([\d.]+) s/.exec(summary)?.[1] ?? Number.NaN);
    const status = /^(\w+ \(\w+\))/.exec(summary)?.[1] ?? `exit ${run.status}`;
    const checked = run.stderr.includes("check passed") ? "passed" : "**failed**";
    const allowed = c.limit * 1.1 + 1;
    rows.push(
      `| ${c.name} | ${c.limit} | ${f2(wall)} | ${f2(cpu)} | ${f2(processSeconds)} | ${wall <= allowed ? "yes" : "**no**"} | ${peakMB} | ${status} | ${checked} |`,
    );
    process.stderr.write(`budget ${c.name}: ${f2(wall)} s of ${c.limit}, ${peakMB} MB\n`);
  }
  return [
    "## Budget: hostile inputs through the CLI",
    "",
    "Wall s is the CLI's own time from reading the problem to printing the answer (the limit covers it); process s adds starting Node and tsx. Within means wall <= limit x 1.1 + 1 s.",
    "",
    "| input | limit s | wall s | CPU s | process s | within | peak MB | status (stopped by) | check |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}
