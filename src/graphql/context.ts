import type { Lang } from "../i18n";
import type { ServiceContext } from "../service-context";
import type { LoginThrottle } from "../auth/throttle";
import type { InboxWatch } from "../notifications/inbox-watch";

export interface Context extends ServiceContext {
  /** Language of the words in the response (Accept-Language, else the user's, else the default). */
  lang: Lang;
  requestId: string;
  /** Aborted when the client goes away: long-running subscriptions stop polling then. */
  signal?: AbortSignal;
  /** When a query must be done by (performance.now()); unset for mutations and subscriptions (src/graphql/guards.ts). */
  deadline?: number;
  /** The client's address, for throttling sign-ins. */
  clientAddress: string;
  loginThrottle: LoginThrottle;
  /** Live inboxes for subscriptions, one poll for the whole process. */
  inbox: InboxWatch;
}
