// The managed skill catalogue.
import { ConflictError, InputError } from "../errors";
import type { ActivityKind } from "../generated/prisma/enums";
import type { ServiceContext } from "../service-context";
import { Prisma } from "../generated/prisma/client";

export interface SkillDefinition {
  code: string;
  nameIt: string;
  nameEn: string;
  activityKinds: ActivityKind[];
}

function checkName(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 120) throw new InputError("INVALID_INPUT", [field]);
  return trimmed;
}

export async function createSkill(context: ServiceContext, input: SkillDefinition) {
  const code = input.code.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9_]{1,49}$/.test(code)) throw new InputError("INVALID_INPUT", ["code"]);
  const data = { code, nameIt: checkName(input.nameIt, "nameIt"), nameEn: checkName(input.nameEn, "nameEn"), activityKinds: [...new Set(input.activityKinds)] };
  try {
    return await context.prisma.skill.create({ data });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new ConflictError("SKILL_CODE_TAKEN", { value: code });
    throw error;
  }
}

/** Retires a skill (citizens keep it, nobody can declare it anew) or offers it again. */
export async function setSkillActive(context: ServiceContext, code: string, active: boolean) {
  const skill = await context.prisma.skill.findUnique({ where: { code } });
  if (!skill) throw new InputError("UNKNOWN_SKILL", ["code"], { value: code });
  return context.prisma.skill.update({ where: { code }, data: { active } });
}
