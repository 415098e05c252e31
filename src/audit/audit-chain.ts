// Walks the audit log's hash chain (migration audit_hash_chain): every link must hash its audit
// row as it is now and the link before it, links follow each other without a gap, and every
// audit row has a link. Anything else means the log was changed by other means than its
// triggers. The last link's hash can be recorded elsewhere, so the chain cannot be rebuilt
// unnoticed either.
import type { PrismaClient } from "../generated/prisma/client";

export type ChainProblem =
  | { kind: "ROW_CHANGED"; seq: string; auditId: string }
  | { kind: "ROW_MISSING"; seq: string; auditId: string }
  | { kind: "LINK_BROKEN"; seq: string; auditId: string }
  | { kind: "LINK_MISSING"; seq: string; auditId: string }
  | { kind: "ROW_UNSEALED"; auditId: string };

export interface ChainReport {
  links: number;
  /** The last link's hash (null for an empty log). */
  head: string | null;
  problems: ChainProblem[];
}

/** At most this many problems are listed (the first ones, by chain position). */
const MAX_PROBLEMS = 100;

export async function verifyAuditChain(prisma: PrismaClient): Promise<ChainReport> {
  const links = await prisma.$queryRaw<{ seq: bigint; auditId: bigint; rowMissing: boolean; rowChanged: boolean; linkBroken: boolean; gap: boolean }[]>`
    SELECT * FROM (
      SELECT s."seq", s."auditId",
        (a."id" IS NULL) AS "rowMissing",
        (a."id" IS NOT NULL AND s."hash" <> "legami_audit_link"(s."prevHash", a)) AS "rowChanged",
        (s."prevHash" IS DISTINCT FROM lag(s."hash") OVER (ORDER BY s."seq")) AS "linkBroken",
        (s."seq" <> row_number() OVER (ORDER BY s."seq")) AS "gap"
      FROM "AuditSeal" s LEFT JOIN "AuditLog" a ON a."id" = s."auditId"
    ) walked
    WHERE "rowMissing" OR "rowChanged" OR "linkBroken" OR "gap"
    ORDER BY "seq" LIMIT ${MAX_PROBLEMS}`;
  const unsealed = await prisma.$queryRaw<{ id: bigint }[]>`
    SELECT a."id" FROM "AuditLog" a LEFT JOIN "AuditSeal" s ON s."auditId" = a."id" WHERE s."seq" IS NULL ORDER BY a."id" LIMIT ${MAX_PROBLEMS}`;
  const [summary] = await prisma.$queryRaw<{ links: bigint; head: string | null }[]>`
    SELECT count(*) AS "links", (SELECT "hash" FROM "AuditSeal" ORDER BY "seq" DESC LIMIT 1) AS "head" FROM "AuditSeal"`;
  const problems: ChainProblem[] = [];
  for (const l of links) {
    const at = { seq: String(l.seq), auditId: String(l.auditId) };
    if (l.rowMissing) problems.push({ kind: "ROW_MISSING", ...at });
    else if (l.rowChanged) problems.push({ kind: "ROW_CHANGED", ...at });
    if (l.gap) problems.push({ kind: "LINK_MISSING", ...at });
    else if (l.linkBroken) problems.push({ kind: "LINK_BROKEN", ...at });
  }
  for (const u of unsealed) problems.push({ kind: "ROW_UNSEALED", auditId: String(u.id) });
  return { links: Number(summary!.links), head: summary!.head, problems: problems.slice(0, MAX_PROBLEMS) };
}
