// The operational endpoints every process serves the same way: /health (the process is up),
// /ready (the database answers), /metrics (Prometheus, behind a token when one is configured).
import type { Express } from "express";
import type { Database } from "../db/database";
import type { Metrics } from "../observability/metrics";

export function healthRoutes(app: Express, database: Pick<Database, "ping">, metrics: Metrics, metricsToken: string | undefined): void {
  app.get("/health", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/ready", async (_request, response) => {
    try {
      await database.ping();
      response.json({ status: "ready", database: "ok" });
    } catch {
      response.status(503).json({ status: "not ready", database: "unreachable" });
    }
  });
  app.get("/metrics", async (request, response) => {
    if (metricsToken && request.get("authorization") !== `Bearer ${metricsToken}`) {
      response.status(401).type("text/plain").send("Unauthorized");
      return;
    }
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
