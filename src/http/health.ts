// The operational endpoints every process serves the same way: /health (the process is up),
// /ready (the database answers, and Redis when jobs go through it), /metrics (Prometheus, behind a token when one is configured;
// closed without one in production).
import type { Express } from "express";
import type { Database } from "../db/database";
import type { Metrics } from "../observability/metrics";

export function healthRoutes(
  app: Express,
  database: Pick<Database, "ping">,
  metrics: Metrics,
  metricsToken: string | undefined,
  redis?: { ping(): Promise<void> },
  openWithoutToken = true,
): void {
  app.get("/health", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/ready", async (_request, response) => {
    const [db, queue] = await Promise.all([
      database.ping().then(
        () => "ok" as const,
        () => "unreachable" as const,
      ),
      redis
        ? redis.ping().then(
            () => "ok" as const,
            () => "unreachable" as const,
          )
        : undefined,
    ]);
    const ready = db === "ok" && queue !== "unreachable";
    response.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", database: db, ...(queue ? { redis: queue } : {}) });
  });
  app.get("/metrics", async (request, response) => {
    // In production /metrics needs a token: without one configured it stays closed.
    if ((metricsToken && request.get("authorization") !== `Bearer ${metricsToken}`) || (!metricsToken && !openWithoutToken)) {
      response.status(401).type("text/plain").send("Unauthorized");
      return;
    }
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
