import { builder } from "../graphql/builder";
import { ActivityKindEnum } from "../graphql/enums";
import { writeErrors } from "../graphql/errors";
import * as catalogue from "./catalogue.service";
import { reread } from "../graphql/payload";

builder.mutationFields((t) => ({
  createSkill: t.prismaField({
    type: "Skill",
    description: "Adds a skill to the catalogue (administrators and coordinators).",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      code: t.arg.string({ required: true, description: "Stable code: capital letters, digits and underscores." }),
      nameIt: t.arg.string({ required: true, description: "Name in Italian." }),
      nameEn: t.arg.string({ required: true, description: "Name in English." }),
      activityKinds: t.arg({ type: [ActivityKindEnum], required: true, description: "Kinds of activity the skill serves." }),
    },
    resolve: async (query, _root, args, context) => reread(query, context, "Skill", await catalogue.createSkill(context, args)),
  }),
  setSkillActive: t.prismaField({
    type: "Skill",
    description: "Retires a skill from the catalogue or offers it again (administrators and coordinators).",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      code: t.arg.string({ required: true, description: "Code of the skill." }),
      active: t.arg.boolean({ required: true, description: "Whether citizens can declare it." }),
    },
    resolve: async (query, _root, { code, active }, context) => reread(query, context, "Skill", await catalogue.setSkillActive(context, code, active)),
  }),
}));
