// The answer to a request the database could not serve (src/db/availability.ts): SERVICE_BUSY or
// SERVICE_UNAVAILABLE, HTTP 503 with Retry-After, in the caller's language. Retrying is safe:
// the request was not carried out, or (a connection lost at the very moment of a commit) it was, and a retry meets the state it left.
import { GraphQLError } from "graphql";
import { databaseTrouble, RETRY_AFTER_SECONDS, type DatabaseTrouble } from "../db/availability";
import { troubleMessage, type Lang } from "../i18n";

export const TROUBLE_CODE: Record<DatabaseTrouble, "SERVICE_BUSY" | "SERVICE_UNAVAILABLE"> = { busy: "SERVICE_BUSY", unavailable: "SERVICE_UNAVAILABLE" };

export function troubleError(trouble: DatabaseTrouble, lang: Lang): GraphQLError {
  const seconds = RETRY_AFTER_SECONDS[trouble];
  return new GraphQLError(troubleMessage(trouble, seconds, lang), {
    extensions: { code: TROUBLE_CODE[trouble], retryAfterSeconds: seconds, http: { status: 503, headers: { "retry-after": String(seconds) } } },
  });
}

/** The error itself, or the typed answer when it says the database could not serve the request. */
export function asTrouble(error: unknown, lang: Lang): unknown {
  const trouble = databaseTrouble(error);
  return trouble ? troubleError(trouble, lang) : error;
}
