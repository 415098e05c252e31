// The operators' queue dashboard (@bull-board) at /admin/queues, for administrators only.
// A browser cannot send a bearer header to a page, so an administrator opens
// /admin/queues?token=<their token> once: the token moves into an HttpOnly cookie scoped to the
// dashboard and the address is cleaned of it. API clients may send the header instead.
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Express, NextFunction, Request, Response } from "express";
import type { TokenService } from "../auth/tokens";
import { resolveViewer } from "../auth/viewer";
import type { PrismaClient } from "../generated/prisma/client";

export const QUEUE_BOARD_PATH = "/admin/queues";
const COOKIE = "legami_queue_board";

export interface QueueBoardOptions {
  prisma: PrismaClient;
  tokens: TokenService;
  /** The queues to show; without any (jobs run in process), the path answers 404 and says why. */
  queues: readonly Queue[] | undefined;
  /** Whether the cookie is marked Secure (behind HTTPS in production). */
  secureCookie: boolean;
  /** How long the cookie lives (the token's own expiry still applies). */
  cookieSeconds: number;
}

function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

export function queueBoardRoutes(app: Express, options: QueueBoardOptions): void {
  if (!options.queues || options.queues.length === 0) {
    app.use(QUEUE_BOARD_PATH, (_request, response) => {
      response.status(404).json({ error: "NO_QUEUES", message: "Jobs run inside the API process (no REDIS_URL): there are no queues to show." });
    });
    return;
  }
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter, options: { uiConfig: { boardTitle: "Legami" } } });

  const onlyAdministrators = async (request: Request, response: Response, next: NextFunction) => {
    const given = typeof request.query.token === "string" ? request.query.token : undefined;
    const authorization = request.get("authorization") ?? ((given ?? cookieOf(request, COOKIE)) ? `Bearer ${given ?? cookieOf(request, COOKIE)}` : null);
    const viewer = await resolveViewer(options.prisma, options.tokens, authorization);
    response.set("cache-control", "private, no-store");
    if (!viewer) {
      response.status(401).json({ error: "UNAUTHENTICATED", message: "Sign in as an administrator: open this page with ?token=<your token>." });
      return;
    }
    if (viewer.role !== "ADMIN") {
      response.status(403).json({ error: "FORBIDDEN", message: "The queue dashboard is for administrators." });
      return;
    }
    if (given) {
      // The token leaves the address (history, logs, referrers) for a cookie only this path sees.
      response.cookie(COOKIE, given, {
        httpOnly: true,
        sameSite: "strict",
        secure: options.secureCookie,
        path: QUEUE_BOARD_PATH,
        maxAge: options.cookieSeconds * 1000,
      });
      response.redirect(303, `${QUEUE_BOARD_PATH}/`);
      return;
    }
    next();
  };
  app.use(QUEUE_BOARD_PATH, (request, response, next) => void onlyAdministrators(request, response, next).catch(next), adapter.getRouter());
}
