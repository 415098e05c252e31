// Benchmark of the matching optimiser:
//   `npm run bench:matching [-- --sizes S,M,L,XL --seed 1 --methods engine,greedy,highs-whole]`.
// For each size it runs, each in a fresh process so peak memory is its own: the engine
// (components, backend by size, 10 s budget), the greedy baseline (best pair first), and HiGHS on
// the whole undecomposed problem (60 s budget). Time is the solve with the solvers loaded, as in
// a running worker; loading them (compiling HiGHS's WebAssembly) is a column of its own. Writes a
// Markdown table to bench-results/matching.md and prints it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { generateInstance, SIZES, type SizeName } from "../src/solver/instances";
import type { MatchingProblem } from "../src/solver/problem";
import { solveMatching } from "../src/solver/solve";
import { warmUpHighs } from "../src/solver/highs-backend";

const METHODS = {
  engine: { backend: "auto", decompose: true, timeLimitSeconds: 10 },
  greedy: { backend: "greedy", decompose: true, timeLimitSeconds: 10 },
  "highs-whole": { backend: "highs", decompose: false, timeLimitSeconds: 60 },
} as const;
type Method = keyof typeof METHODS;

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

if (args[0] === "--one") {
  // Child: generate, solve with one method, print one JSON line.
  const size = args[1] as SizeName;
  const method = args[2] as Method;
  const seed = Number(args[3]);
  const problem: MatchingProblem = generateInstance(size, seed);
  // A worker loads the solvers once; the cold start is measured apart from the solve.
  const coldStarted = performance.now();
  await warmUpHighs();
  const coldMs = performance.now() - coldStarted;
  const started = performance.now();
  const solution = await solveMatching({ ...problem, options: METHODS[method] });
  const timeMs = performance.now() - started;
  console.log(
    JSON.stringify({
      size,
      method,
      pairs: problem.pairs.length,
      timeMs: Math.round(timeMs),
      coldMs: Math.round(coldMs),
      peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
      objective: solution.objective,
      bound: solution.bound,
      gap: solution.gap,
      status: solution.status,
      components: solution.components.length,
      largest: Math.max(0, ...solution.components.map((c) => c.pairs)),
    }),
  );
  process.exit(0);
}

const sizes = (flag("--sizes") ?? "S,M,L,XL").split(",") as SizeName[];
const seed = Number(flag("--seed") ?? 1);
const methods = (flag("--methods") ?? Object.keys(METHODS).join(",")).split(",") as Method[];
for (const method of methods) if (!(method in METHODS)) throw new Error(`unknown method ${method}`);
const rows: string[] = [];
const tsx = join(import.meta.dirname, "..", "node_modules", ".bin", "tsx");
for (const size of sizes) {
  if (!(size in SIZES)) throw new Error(`unknown size ${size}`);
  const results: Record<string, any> = {};
  for (const method of methods) {
    const out = execFileSync(tsx, [import.meta.filename, "--one", size, method, String(seed)], { encoding: "utf8", maxBuffer: 1 << 20 });
    results[method] = JSON.parse(out.trim().split("\n").pop()!);
    process.stderr.write(`${size} ${method}: ${results[method].timeMs} ms\n`);
  }
  const best = Math.max(...Object.values(results).map((r) => r.objective));
  for (const method of methods) {
    const r = results[method];
    rows.push(
      `| ${size} (${SIZES[size].citizens} x ${SIZES[size].occurrences}) | ${method} | ${r.pairs} | ${r.components} / ${r.largest} | ${(r.timeMs / 1000).toFixed(2)} | ${(r.coldMs / 1000).toFixed(2)} | ${r.peakMB} | ${r.objective.toFixed(1)} | ${r.bound.toFixed(1)} | ${(r.gap * 100).toFixed(3)} % | ${(((best - r.objective) / best) * 100).toFixed(3)} % | ${r.status} |`,
    );
  }
}
const table = [
  `Matching benchmark, seed ${seed}, ${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}.`,
  "",
  "| size | method | pairs | components / largest | time (s) | solver load (s) | peak RSS (MB) | objective | bound | gap | below best | status |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows,
  "",
].join("\n");
mkdirSync(join(import.meta.dirname, "..", "bench-results"), { recursive: true });
writeFileSync(join(import.meta.dirname, "..", "bench-results", "matching.md"), table);
console.log(table);
