// What one request may ask of the service. GraphQL documents are checked before they run (GraphQL
// Armor: depth, aliases, tokens, directives, static cost; no field suggestions that would reveal
// the schema), bodies are capped before they are parsed, batched operations are off (Yoga's
// default), and introspection can be turned off. A request over a limit gets a GraphQL error with
// a stable code and does no work.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";

export interface RequestLimits {
  /** Deepest selection (fields inside fields). */
  maxDepth: number;
  /** Aliases in one document. */
  maxAliases: number;
  /** Tokens in one document (parsing stops beyond it). */
  maxTokens: number;
  /** Static cost (GraphQL Armor's: objects 2, scalars 1, x1.5 per level). */
  maxCost: number;
  /** Directives in one document. */
  maxDirectives: number;
  /** Bytes of a request body. */
  maxBodyBytes: number;
  /** Whether clients may introspect the schema. */
  introspection: boolean;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 50_000,
  maxDirectives: 20,
  maxBodyBytes: 1_000_000,
  introspection: true,
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
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...reject },
    maxDirectives: { n: limits.maxDirectives, ...reject },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
  const plugins: Plugin[] = [armor];
  if (!limits.introspection) {
    const rule: ValidationRule = NoSchemaIntrospectionCustomRule;
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(rule) });
  }
  return plugins;
}
