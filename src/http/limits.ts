// What one request may ask of the service. GraphQL documents are checked before they run (GraphQL
// Armor: depth, aliases, tokens, directives; no field suggestions that would reveal the schema;
// and the cost with lists at their sizes, src/http/cost.ts), bodies are capped before they are parsed, batched operations are off (Yoga's
// default), and introspection can be turned off. A request over a limit gets a GraphQL error with
// a stable code and does no work.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, type DocumentNode, type OperationDefinitionNode, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { listCostRule } from "./cost";

export interface RequestLimits {
  /** Deepest selection (fields inside fields). */
  maxDepth: number;
  /** Aliases in one document. */
  maxAliases: number;
  /** Tokens in one document (parsing stops beyond it). */
  maxTokens: number;
  /** Cost of a document with lists counted at their sizes (src/http/cost.ts). */
  maxCost: number;
  /** Directives in one document. */
  maxDirectives: number;
  /** Bytes of a request body. */
  maxBodyBytes: number;
  /** Whether clients may introspect the schema. */
  introspection: boolean;
  /** How long a query may run before its remaining fields answer OPERATION_TIMEOUT. */
  operationTimeoutMs: number;
  /** Subscriptions one user may hold at once, and the whole process. */
  maxSubscriptionsPerUser: number;
  maxSubscriptionsPerProcess: number;
  /** Mutations of one kind running at once in a process; the rest wait their turn (src/http/admission.ts). */
  mutationsAtOnce: number;
  /** How long a mutation waits for its turn before answering SERVICE_BUSY: less than a person waits. */
  mutationPatienceMs: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 1_000_000,
  maxDirectives: 20,
  maxBodyBytes: 1_000_000,
  introspection: true,
  operationTimeoutMs: 5_000,
  maxSubscriptionsPerUser: 5,
  maxSubscriptionsPerProcess: 200,
  mutationsAtOnce: 4,
  mutationPatienceMs: 10_000,
};

/** Armor's rejections carry the code QUERY_TOO_COMPLEX, so clients can tell them apart. */
const tagged = (_context: unknown, error: GraphQLError) => {
  (error.extensions as Record<string, unknown>).code = "QUERY_TOO_COMPLEX";
};

/** The Yoga plugins that enforce the document limits. */
export function limitPlugins(limits: RequestLimits): Plugin[] {
  const reject = { onReject: [tagged], propagateOnRejection: true, exposeLimits: true };
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reject },
    maxAliases: { n: limits.maxAliases, ...reject },
    maxTokens: { n: limits.maxTokens, ...reject },
    costLimit: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...reject },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
  const cost = listCostRule(limits.maxCost);
  const plugins: Plugin[] = [armor, { onValidate: ({ addValidationRule }) => addValidationRule(cost) }];
  if (!limits.introspection) {
    const rule: ValidationRule = NoSchemaIntrospectionCustomRule;
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(rule) }, noSuggestions());
  }
  plugins.push(rawListCap(), queryDeadline(limits.operationTimeoutMs), subscriptionCap(limits), codedInputErrors());
  return plugins;
}

/**
 * With introspection off the schema is not for browsing: validation errors lose their "Did you
 * mean ...?" hints (field, type, argument and enum names alike), which would otherwise spell it out.
 */
function noSuggestions(): Plugin {
  const plain = (error: GraphQLError) =>
    /Did you mean/.test(error.message)
      ? new GraphQLError(error.message.replace(/\s*Did you mean .*$/s, ""), {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        })
      : error;
  return {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map((error) => (error instanceof GraphQLError ? plain(error) : error)));
      },
    // Variables are coerced when the operation executes: their errors suggest names too.
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if ("errors" in result && Array.isArray(result.errors)) setResult({ ...result, errors: (result.errors as GraphQLError[]).map(plain) });
      },
    }),
  };
}

/**
 * Errors of the request itself (a variable of the wrong type, an Int over 32 bits) carry
 * BAD_USER_INPUT, like the schema's scalars' own: every error a client can cause has a code.
 */
function codedInputErrors(): Plugin {
  const tag = (errors: readonly GraphQLError[]) => {
    for (const error of errors) {
      const extensions = error.extensions as Record<string, unknown>;
      if (!extensions.code && error.path === undefined) extensions.code = "BAD_USER_INPUT";
    }
  };
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if ("errors" in result && Array.isArray(result.errors)) tag(result.errors as GraphQLError[]);
        },
      };
    },
  };
}

/** No list in any argument may be longer than this, checked on the raw variables before they are coerced. */
export const RAW_LIST_MAX = 500;

/**
 * Lists in the variables over RAW_LIST_MAX items are refused before GraphQL coerces them (a
 * thousand availability exceptions cost 22 ms of coercion before their field could refuse them).
 * The field's own, smaller maximum is checked after (src/graphql/guards.ts).
 */
function rawListCap(): Plugin {
  const tooLong = (value: unknown, depth = 0): boolean => {
    if (depth > 10 || value === null || typeof value !== "object") return false;
    if (Array.isArray(value)) return value.length > RAW_LIST_MAX || value.some((v) => tooLong(v, depth + 1));
    return Object.values(value).some((v) => tooLong(v, depth + 1));
  };
  return {
    onParams({ params, setResult, request }) {
      if (!tooLong(params.variables)) return;
      const it = request.headers.get("accept-language")?.toLowerCase().startsWith("it");
      setResult({
        errors: [
          new GraphQLError(it ? `Una lista ha troppi elementi: al massimo ${RAW_LIST_MAX}.` : `A list has too many items: at most ${RAW_LIST_MAX}.`, {
            extensions: { code: "TOO_MANY_ITEMS", max: RAW_LIST_MAX },
          }),
        ],
      });
    },
  };
}

/** Queries get a deadline (src/graphql/guards.ts stops their fields past it); mutations run to the end of their transaction. */
function queryDeadline(ms: number): Plugin {
  return {
    onExecute({ args }) {
      const operation = (args.document as DocumentNode).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
      );
      if (operation?.operation === "query") (args.contextValue as { deadline?: number }).deadline = performance.now() + ms;
    },
  };
}

/**
 * At most `maxSubscriptionsPerUser` subscriptions per user and `maxSubscriptionsPerProcess` in
 * all: each polls the database, and a hundred from one user tripled everyone's latency. One over
 * the cap answers TOO_MANY_SUBSCRIPTIONS and starts nothing; a subscription that ends frees its place.
 */
function subscriptionCap(limits: Pick<RequestLimits, "maxSubscriptionsPerUser" | "maxSubscriptionsPerProcess">): Plugin {
  const byUser = new Map<string, number>();
  let total = 0;
  return {
    onSubscribe({ args, setSubscribeFn, subscribeFn }) {
      const context = args.contextValue as { viewer?: { userId: string } | null; lang?: string };
      const user = context.viewer?.userId ?? "anonymous";
      if ((byUser.get(user) ?? 0) >= limits.maxSubscriptionsPerUser || total >= limits.maxSubscriptionsPerProcess) {
        const message =
          context.lang === "it" ? "Troppi aggiornamenti in corso: chiuderne qualcuno e riprovare." : "Too many live updates open: close some and try again.";
        setSubscribeFn(async () => ({ errors: [new GraphQLError(message, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })] }));
        return;
      }
      byUser.set(user, (byUser.get(user) ?? 0) + 1);
      total += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byUser.get(user) ?? 1) - 1;
        if (left <= 0) byUser.delete(user);
        else byUser.set(user, left);
      };
      setSubscribeFn(async (subscribeArgs) => {
        const result = await subscribeFn(subscribeArgs);
        if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") {
          release();
          return result;
        }
        const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncIterator<unknown> & {
          return?: (value?: unknown) => Promise<IteratorResult<unknown>>;
        };
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          async next() {
            const step = await iterator.next();
            if (step.done) release();
            return step;
          },
          async return(value?: unknown) {
            release();
            return iterator.return ? iterator.return(value) : { done: true, value };
          },
          async throw(error?: unknown) {
            release();
            if (iterator.throw) return iterator.throw(error);
            throw error;
          },
        } as AsyncIterableIterator<unknown>;
      });
    },
  };
}
