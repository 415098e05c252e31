// Compiles the service to JavaScript in dist/ (`npm run build`): the API (main.js), the worker
// process (worker.js) and the solver thread (solver-thread.js), bundled by esbuild with the
// packages left in node_modules. Production runs these, not TypeScript through tsx.
// With --if-stale it builds only when dist/ is missing or older than a source file (npm start).
// Plain JavaScript, so that building needs nothing but Node and esbuild.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const outdir = join(root, "dist");
const entryPoints = { main: "src/main.ts", worker: "src/worker.ts", "solver-thread": "src/jobs/solver-thread.ts" };

/** The newest modification time of the files under `dir`, in ms. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function stale() {
  const outputs = Object.keys(entryPoints).map((name) => join(outdir, `${name}.js`));
  if (!outputs.every((file) => existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return newest(join(root, "src")) > built;
}

if (!process.argv.includes("--if-stale") || stale()) {
  const started = performance.now();
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}
