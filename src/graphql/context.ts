import type { Lang } from "../i18n";
import type { ServiceContext } from "../service-context";

export interface Context extends ServiceContext {
  /** Language of the words in the response (Accept-Language, else the user's, else the default). */
  lang: Lang;
  requestId: string;
  /** Aborted when the client goes away: long-running subscriptions stop polling then. */
  signal?: AbortSignal;
}
