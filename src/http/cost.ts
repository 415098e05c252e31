// The cost of a GraphQL document counting list sizes: every field costs 1, an object field also
// what its selection costs, and a list multiplies that by its size (src/graphql/list-sizes.ts; a
// page by the `first` or `last` asked, at most PAGE_MAX, and PAGE_MAX when it comes from a
// variable). Nested lists multiply: territories { municipalities { territory { municipalities
// } } } costs 50 x 100 x 100 per field, not a few units. A document over the limit is refused
// before anything runs, with the code QUERY_TOO_COMPLEX.
import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationRule,
} from "graphql";
import { LIST_SIZES, PAGE_MAX } from "../graphql/list-sizes";

const isList = (type: GraphQLOutputType): boolean => (isNonNullType(type) ? isList(type.ofType) : isListType(type));

/** The size a page argument asks for: a literal (capped), else the largest page. */
function pageOf(field: FieldNode): number | null {
  const arg = field.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
  if (!arg) return null;
  if (arg.value.kind === Kind.INT) return Math.min(PAGE_MAX, Math.max(0, Number(arg.value.value)));
  return PAGE_MAX;
}

/** The worst-case cost of a selection set on `parent`. */
export function selectionCost(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
  schemaType: (name: string) => GraphQLCompositeType | undefined,
  inheritedPage: number | null = null,
  seen: Set<string> = new Set(),
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const field = fields[selection.name.value];
      if (!field) continue;
      const named = getNamedType(field.type);
      const page = pageOf(selection);
      let size = 1;
      if (isList(field.type)) {
        const key = `${parent.name}.${field.name}`;
        size = parent.name.endsWith("Connection") && field.name === "edges" ? (inheritedPage ?? PAGE_MAX) : (page ?? LIST_SIZES[key] ?? PAGE_MAX);
        if (!isCompositeType(named)) size = 1;
      }
      const inner = selection.selectionSet && isCompositeType(named) ? selectionCost(selection.selectionSet, named, fragments, schemaType, page, seen) : 0;
      total += size * (1 + inner);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? (schemaType(selection.typeCondition.name.value) ?? parent) : parent;
      total += selectionCost(selection.selectionSet, on, fragments, schemaType, inheritedPage, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      const on = schemaType(fragment.typeCondition.name.value) ?? parent;
      total += selectionCost(fragment.selectionSet, on, fragments, schemaType, inheritedPage, new Set([...seen, fragment.name.value]));
    }
  }
  return total;
}

/** A validation rule refusing documents whose operations cost more than `maxCost`. */
export function listCostRule(maxCost: number): ValidationRule {
  return (context) => {
    const document = context.getDocument();
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const schema = context.getSchema();
    const schemaType = (name: string) => {
      const type = schema.getType(name);
      return type && isCompositeType(type) ? type : undefined;
    };
    return {
      OperationDefinition(operation) {
        const root =
          operation.operation === "mutation"
            ? schema.getMutationType()
            : operation.operation === "subscription"
              ? schema.getSubscriptionType()
              : schema.getQueryType();
        if (!root) return;
        const cost = selectionCost(operation.selectionSet, root, fragments, schemaType);
        if (cost > maxCost)
          context.reportError(
            new GraphQLError(`Query cost ${Math.round(cost)} is over the limit of ${maxCost} (lists count with their sizes).`, {
              nodes: [operation],
              extensions: { code: "QUERY_TOO_COMPLEX", cost, maxCost },
            }),
          );
      },
    };
  };
}
