// An open-loop load generator: requests leave at a fixed rate, evenly spaced, whether or not
// earlier ones have been answered, and each latency is counted from the moment its request was
// due, so a slow server cannot hide its queue by slowing the sender (coordinated omission).
//
// Why beside autocannon: autocannon's `overallRate` gives each connection a budget per second,
// reset by a one-second timer, and each connection spends it back to back as soon as the second
// starts. At 200 req/s on 20 connections the server therefore receives 20 concurrent requests at
// the start of every second and idles for the rest of it: the latency it reports is the latency
// of a 20-deep burst, not of 200 requests a second arriving as independent clients send them.
import http from "node:http";

export interface PacedRequest {
  body: string;
  headers?: Record<string, string>;
}

export interface PacedResult {
  /** Latency of each request in ms, from when it was due to the end of its response, in the order answered. */
  latencies: number[];
  /** Requests answered with a status other than 200, or that `check` refused, or that failed. */
  errors: number;
  /** Wall time from the first request due to the last answer, in s. */
  seconds: number;
}

/**
 * Sends `rate` requests a second for `seconds` to `url` (POST), request i due at i / rate s, over at
 * most `connections` kept-alive connections (a request waits for a free one, and that wait counts).
 */
export async function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => PacedRequest;
  check?: (status: number, body: string) => boolean;
  /** GET sends no body (default POST). */
  method?: "GET" | "POST";
}): Promise<PacedResult> {
  const { rate, connections } = options;
  const total = Math.round(rate * options.seconds);
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let answered = 0;
  const start = performance.now() + 20;
  const dueAt = (i: number) => start + (i * 1000) / rate;

  return new Promise<PacedResult>((resolve) => {
    const settle = (due: number, ok: boolean) => {
      latencies.push(performance.now() - due);
      if (!ok) errors += 1;
      answered += 1;
      if (answered === total) {
        agent.destroy();
        resolve({ latencies, errors, seconds: (performance.now() - start) / 1000 });
      }
    };
    const send = (due: number) => {
      const { body, headers } = options.next();
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: options.method ?? "POST",
          agent,
          headers:
            options.method === "GET" ? { ...headers } : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            settle(due, response.statusCode === 200 && (options.check ? options.check(response.statusCode, text) : true));
          });
          response.on("error", () => settle(due, false));
        },
      );
      request.on("error", () => settle(due, false));
      request.end(options.method === "GET" ? undefined : body);
    };
    let sent = 0;
    // Timers fire late under load; every request whose time has come is sent on each tick, and
    // its latency still counts from when it was due.
    const tick = () => {
      const now = performance.now();
      while (sent < total && dueAt(sent) <= now) send(dueAt(sent++));
      if (sent < total) setTimeout(tick, Math.max(0, dueAt(sent) - performance.now()));
    };
    if (total === 0) resolve({ latencies, errors, seconds: 0 });
    else setTimeout(tick, Math.max(0, start - performance.now()));
  });
}

/** The q-quantile (0 < q <= 1) of `values` by the nearest-rank method. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
