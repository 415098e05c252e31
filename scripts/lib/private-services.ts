// PostgreSQL and Redis instances of a drill's own, on spare ports under a temporary folder, so
// a drill can stop and start them anywhere (CI included) without touching the machine's. Needs
// PostgreSQL's server binaries (initdb, pg_ctl) and redis-server; as root, PostgreSQL runs as
// the `postgres` user (initdb refuses root).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** A port nobody listens on now (the kernel's choice). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort().reverse() : [];
  for (const version of versions) {
    const path = `/usr/lib/postgresql/${version}/bin/${name}`;
    if (existsSync(path)) return path;
  }
  throw new Error(`${name} not found: install PostgreSQL's server package`);
}

export interface PrivateService {
  url: string;
  /** Stops it: PostgreSQL with `-m immediate` (as a crash), Redis without saving (it comes back empty). */
  stop(): void;
  start(): void;
  /** Stops it for good and removes its folder. */
  close(): void;
}

export async function privatePostgres(root: string): Promise<PrivateService> {
  const port = await sparePort();
  const dir = join(root, "postgres");
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = userIds("postgres");
    chmodSync(root, 0o755);
    chownSync(dir, uid, gid);
  }
  const run = (bin: string, args: string[]) => {
    const [command, all] = asRoot ? ["runuser", ["-u", "postgres", "--", postgresBin(bin), ...args]] : [postgresBin(bin), args];
    execFileSync(command, all as string[], { stdio: ["ignore", "ignore", "pipe"] });
  };
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const service: PrivateService = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: () => run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]),
    stop: () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    close: () => {
      try {
        service.stop();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  service.start();
  return service;
}

export async function privateRedis(root: string): Promise<PrivateService> {
  const port = await sparePort();
  const dir = join(root, "redis");
  mkdirSync(dir, { recursive: true });
  const service: PrivateService = {
    url: `redis://127.0.0.1:${port}`,
    start: () => {
      execFileSync("redis-server", [
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--pidfile",
        join(dir, "pid"),
        "--logfile",
        join(dir, "log"),
      ]);
      for (let i = 0; i < 100 && spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() !== "PONG"; i += 1)
        spawnSync("sleep", ["0.1"]);
    },
    stop: () => void spawnSync("redis-cli", ["-p", String(port), "shutdown", "nosave"]),
    close: () => {
      service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  service.start();
  return service;
}

function userIds(name: string): { uid: number; gid: number } {
  const [uid, gid] = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim()));
  return { uid: uid!, gid: gid! };
}
