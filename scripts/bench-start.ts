// Start-up benchmark: `npm run bench:start [-- --runs 3]`. Times `npm start` on the embedded
// default until /ready answers, as a newcomer runs it:
//   first: as after a clone and npm ci: the Prisma client and Pothos types generated, dist/ built,
//     a new data directory created, migrated, the demo loaded;
//   cold: the same with the generated client kept;
//   restart: dist/ and the data directory kept from the cold run.
// Wall seconds to /ready, and the CPU seconds (user + system) the whole process tree had used by
// then (npm, the build and generate steps it waited for, the service and its threads), read from
// /proc where the machine has it. Writes bench-results/start.md and prints it. The target
// (issue 18): under 10 s on an idle machine.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { sparePort } from "./lib/private-services";

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1] ?? 3) || 3;
const root = join(import.meta.dirname, "..");
const PROC = existsSync("/proc/self/stat");
/** Clock ticks a second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds of the processes of group `group`: each one's own (utime, stime) and that of its
 * children it has waited for (cutime, cstime), so steps that already ended count once.
 */
function groupCpuSeconds(group: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) cutime(13) cstime(14).
    if (Number(fields[2]) !== group) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / TICKS;
}

interface Sample {
  wall: number;
  cpu: number | null;
}

async function startOnce(dataDir: string): Promise<Sample> {
  const port = await sparePort();
  // A process group of its own: its CPU is read by group, and SIGTERM reaches every member.
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "", JWT_SECRET: "", REDIS_URL: "", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  const began = performance.now();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const wall = (performance.now() - began) / 1000;
  const cpu = PROC ? groupCpuSeconds(child.pid!) : null;
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  return { wall, cpu };
}

async function main() {
  const rows: { scenario: string; samples: Sample[] }[] = [
    { scenario: "first start after npm ci: client generated, dist/ built, data directory created, migrated, demo loaded", samples: [] },
    { scenario: "cold: dist/ built, a new data directory created, migrated, the demo loaded", samples: [] },
    { scenario: "restart: dist/ and the data directory kept", samples: [] },
  ];
  for (let run = 0; run < RUNS; run += 1) {
    const work = mkdtempSync(join(tmpdir(), "legami-start-"));
    const dataDir = join(work, "data");
    try {
      // The generator's stamp gone: npm start generates the client again (scripts/generate.ts).
      rmSync(join(root, "src", "generated", ".schema-hash"), { force: true });
      rmSync(join(root, "dist"), { recursive: true, force: true });
      rows[0]!.samples.push(await startOnce(join(work, "first")));
      rmSync(join(root, "dist"), { recursive: true, force: true });
      rows[1]!.samples.push(await startOnce(dataDir));
      rows[2]!.samples.push(await startOnce(dataDir));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    console.log(`run ${run + 1}: ${rows.map((r) => `${r.scenario.split(":")[0]} ${r.samples.at(-1)!.wall.toFixed(1)} s`).join(", ")}`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cell = (samples: Sample[], key: keyof Sample) => {
    const values = samples.map((s) => s[key]).filter((v): v is number => v !== null);
    return values.length ? `${median(values).toFixed(1)} (${values.map((v) => v.toFixed(1)).join(", ")})` : "n/a";
  };
  const table = [
    `Start-up benchmark (\`npm run bench:start\`), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, ${RUNS} runs; \`npm start\` on the embedded default with the demo, until /ready answers. CPU: user + system seconds of the whole process tree by the time /ready answered${PROC ? "" : " (not measured: no /proc)"}.`,
    "",
    "| scenario | wall s to /ready, median (runs) | CPU s, median (runs) |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.scenario} | ${cell(r.samples, "wall")} | ${cell(r.samples, "cpu")} |`),
    "",
    "Target: a start on the embedded default with the demo under 10 s on an idle machine (issue 18).",
  ].join("\n");
  mkdirSync(join(root, "bench-results"), { recursive: true });
  writeFileSync(join(root, "bench-results", "start.md"), `${table}\n`);
  console.log(`\n${table}`);
}

await main();
