// What a newcomer sees first: the demo's accounts (read back from the database, so a second
// start shows them too) and GraphiQL's opening document, a two-step tour that works on the demo
// (sign in as a citizen, then read their offers).
import type { PrismaClient } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import { DEMO_PASSWORD } from "./seed";

export interface DemoAccount {
  role: Role;
  email: string;
}

/** The demo's staff, one resident and three citizens; empty when the database is not the demo. */
export async function demoAccountsIn(prisma: PrismaClient): Promise<DemoAccount[]> {
  if (!(await prisma.user.findUnique({ where: { email: "admin@legami.demo" }, select: { id: true } }))) return [];
  const pick = { role: true, email: true } as const;
  const staff = await prisma.user.findMany({
    where: { role: { in: ["ADMIN", "COORDINATOR", "TUTOR"] }, email: { endsWith: "@legami.demo" } },
    select: pick,
    orderBy: { createdAt: "asc" },
  });
  const residents = await prisma.user.findMany({
    where: { role: "RESIDENT", email: { endsWith: "@legami.demo" } },
    select: pick,
    orderBy: { createdAt: "asc" },
    take: 1,
  });
  const citizens = await prisma.user.findMany({ where: { role: "CITIZEN", erasedAt: null }, select: pick, orderBy: { createdAt: "asc" }, take: 3 });
  return [...staff, ...residents, ...citizens];
}

/** GraphiQL's opening document: the accounts in its comment, then sign in and read the offers. */
export function graphiqlTour(accounts: DemoAccount[]): string {
  const citizen = accounts.find((a) => a.role === "CITIZEN")?.email ?? "you@example.org";
  const lines = accounts.length
    ? [`# Demo accounts (the password of every one: ${DEMO_PASSWORD}):`, ...accounts.map((a) => `#   ${a.role.padEnd(11)} ${a.email}`)]
    : ["# Sign in with an account of yours (there is no demo in this database)."];
  return [
    "# Welcome to Legami's GraphQL API.",
    ...lines,
    "#",
    "# 1. Run SignIn (the play button). Copy the token into Headers, below:",
    '#      { "Authorization": "Bearer <token>" }',
    "# 2. Run MyOffers: the citizen's offers, the open ones first.",
    "",
    `mutation SignIn {\n  login(email: "${citizen}", password: "${accounts.length ? DEMO_PASSWORD : "your password"}") {\n    __typename\n    ... on Session { token }\n    ... on Error { code message }\n  }\n}`,
    "",
    "query MyOffers {\n  myOffers {\n    id status deadline\n    occurrence { startsAt endsAt activityKind municipality { name } }\n  }\n}",
    "",
  ].join("\n");
}
