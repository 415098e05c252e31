// The benchmark's open-loop load generator (scripts/lib/paced.ts): it sends at the rate asked
// whether or not answers came back, and counts each latency from when the request was due.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { pacedLoad, quantile } from "../scripts/lib/paced";

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

describe("pacedLoad", () => {
  it("sends rate x seconds requests and reads every answer", async () => {
    const bodies: string[] = [];
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        bodies.push(body);
        res.end("{}");
      });
    });
    let n = 0;
    const result = await pacedLoad({ url, rate: 100, seconds: 0.3, connections: 4, next: () => ({ body: JSON.stringify({ n: n++ }) }) });
    expect(result.latencies).toHaveLength(30);
    expect(result.errors).toBe(0);
    expect(bodies.map((b) => JSON.parse(b).n).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
  });

  it("counts the time a request waited behind a slow server from when it was due", async () => {
    // One connection and a server that needs 100 ms per answer: 20 requests due over 0.38 s are
    // answered one after the other, the last no sooner than 2 s after the first was sent. A sender
    // that waited for each answer before timing the next would report about 100 ms for every one.
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => setTimeout(() => res.end("{}"), 100));
    });
    const result = await pacedLoad({ url, rate: 50, seconds: 0.4, connections: 1, next: () => ({ body: "{}" }) });
    expect(result.latencies).toHaveLength(20);
    expect(Math.max(...result.latencies)).toBeGreaterThanOrEqual(2000 - 380 - 5);
    expect(result.seconds).toBeGreaterThanOrEqual(1.9);
  });

  it("counts other statuses and answers the check refuses as errors", async () => {
    let k = 0;
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        k += 1;
        if (k % 3 === 0) res.statusCode = 500;
        res.end(k % 3 === 1 ? '{"data":{}}' : '{"errors":[]}');
      });
    });
    const result = await pacedLoad({
      url,
      rate: 200,
      seconds: 0.06,
      connections: 1,
      next: () => ({ body: "{}" }),
      check: (_s, body) => body.includes('"data"'),
    });
    expect(result.latencies).toHaveLength(12);
    // Of every three answers, the first is good, the second refused by the check, the third a 500.
    expect(result.errors).toBe(8);
  });
});

describe("quantile", () => {
  it("takes the nearest rank", () => {
    const values = [...Array(100).keys()].map((i) => 100 - i); // 100 .. 1
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
