// Structured logs (pino, JSON lines): one line per HTTP request with its request id, and the
// service's events. Credentials are redacted wherever they appear in a logged object.
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

export type { Logger };

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "legami" },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: ["authorization", "headers.authorization", "password", "*.password", "token", "*.token", "variables.password"], censor: "[redacted]" },
    },
    options.destination,
  );
}

/** A logger that writes nothing (tests, and apps built without one). */
export const silentLogger = (): Logger => pino({ level: "silent" });
