// What every service call receives: the database, who is calling, and the clock.
import type { PrismaClient } from "./generated/prisma/client";
import type { TokenService } from "./auth/tokens";
import type { Viewer } from "./auth/viewer";
import type { Jobs } from "./jobs/outbox";
import type { Plan, PlannerInput } from "./housing/planner.model";
import type { Lang } from "./i18n";

export interface ServiceContext {
  prisma: PrismaClient;
  tokens: TokenService;
  viewer: Viewer | null;
  now: () => Date;
  /** Where jobs go: staged in a transaction (jobs/outbox.ts), handed over after its commit. */
  jobs: Jobs;
  /** Plans a shared house (default: on the calling thread; main.ts passes a solver pool's). */
  planner?: (input: PlannerInput) => Promise<Plan>;
  /** The caller's language, for the few words a service puts in what it returns (an erased name). */
  lang?: Lang;
}
