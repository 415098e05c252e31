// GraphQL for GDPR requests: your own data as JSON; erasure of a citizen or a family by an administrator.
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import * as privacy from "./privacy.service";
import { reread } from "../graphql/payload";

builder.queryFields((t) => ({
  exportMyData: t.string({
    description:
      "Everything stored about the signed-in user (account, inbox; a citizen's profile, records, pacts, commitments, hours, offers; a resident's household), as JSON text.",
    authScopes: { authenticated: true },
    resolve: async (_r, _a, context) => JSON.stringify(await privacy.exportMyData(context), null, 2),
  }),
}));

builder.mutationFields((t) => ({
  eraseCitizen: t.prismaField({
    type: "Citizen",
    description:
      "Administrators erase a withdrawn citizen: personal data anonymised or removed; commitments, hours and history kept without anything that names them. Reports and ledger totals do not change.",
    authScopes: { admin: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      reason: t.arg.string({ required: true, description: "Why (the request's reference), 3 to 500 characters." }),
    },
    resolve: async (query, _root, { citizenId, reason }, context) =>
      reread(query, context, "Citizen", await privacy.eraseCitizen(context, String(citizenId), reason)),
  }),
  eraseFamily: t.prismaField({
    type: "Family",
    description:
      "Administrators erase a family: its name, address and members' names, and the names and addresses in its tasks, anonymised; tasks, hours and history kept. Reports and ledger totals do not change.",
    authScopes: { admin: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      familyId: t.arg.id({ required: true, description: "The family." }),
      reason: t.arg.string({ required: true, description: "Why (the request's reference), 3 to 500 characters." }),
    },
    resolve: async (query, _root, { familyId, reason }, context) =>
      reread(query, context, "Family", await privacy.eraseFamily(context, String(familyId), reason)),
  }),
}));
