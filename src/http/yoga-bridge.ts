// Hands a request whose body express has already read (and capped) to Yoga as a fetch Request.
// Yoga's own Node adapter, given a parsed body, first counts its keys, which for a Buffer means
// one string per byte: a 900 KB body held the process for 120 ms before anything was checked.
import { sendNodeResponse } from "@whatwg-node/server";
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from "express";
import type { YogaServerInstance } from "graphql-yoga";
import type { Logger } from "../observability/log";

// biome-ignore lint/suspicious/noExplicitAny: any Yoga server, whatever the context it builds
export function yogaHandler(yoga: YogaServerInstance<Record<string, unknown>, any>, logger: Logger): RequestHandler {
  const { Request, Headers } = yoga.fetchAPI;
  return (request: ExpressRequest, response: ExpressResponse) => {
    // The client going away (a subscription closed) ends the operation, as with Yoga's adapter.
    const controller = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    const forward = () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
      }
      const body =
        Buffer.isBuffer(request.body) && request.body.length > 0 && request.method !== "GET" && request.method !== "HEAD"
          ? (request.body as Uint8Array<ArrayBuffer>)
          : undefined;
      // The host is not the client's to choose here: only the path and query matter to Yoga.
      return yoga.handleRequest(new Request(`http://localhost${request.originalUrl}`, { method: request.method, headers, body, signal: controller.signal }), {
        req: request,
        res: response,
      });
    };
    Promise.resolve()
      .then(forward)
      .then((answer) => sendNodeResponse(answer, response, request, false))
      .catch((error: unknown) => {
        logger.error({ err: error }, "GraphQL request failed outside the operation");
        if (!response.headersSent) response.status(500).json({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
        else response.end();
      });
  };
}
