-- The audit log as a hash chain: every audit row gets a link in "AuditSeal", in commit order,
-- carrying the hash of the link before it and its own, over the row's contents. Changing,
-- removing or inserting an audit row by any means other than the triggers breaks the chain,
-- which `npm run audit:verify` walks. Function bodies are E-strings with semicolons written as
-- \073 (the driver adapter splits migration scripts on semicolons).
CREATE TABLE "AuditSeal" (
    "seq" BIGINT NOT NULL,
    "auditId" BIGINT NOT NULL,
    "prevHash" TEXT,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditSeal_pkey" PRIMARY KEY ("seq")
);

CREATE UNIQUE INDEX "AuditSeal_auditId_key" ON "AuditSeal"("auditId");

-- What a link hashes: every column of the audit row, in a fixed text form.
CREATE FUNCTION "legami_audit_row_text"(row_ "AuditLog") RETURNS text LANGUAGE sql IMMUTABLE AS E'
  SELECT concat_ws(''|'', row_."id"::text, to_char(row_."at", ''YYYY-MM-DD"T"HH24:MI:SS.US''), coalesce(row_."actorId", ''''),
    row_."actorRole", coalesce(row_."requestId", ''''), row_."tableName", coalesce(row_."rowId", ''''), row_."action", row_."changes"::text)';

CREATE FUNCTION "legami_audit_link"(prev text, row_ "AuditLog") RETURNS text LANGUAGE sql IMMUTABLE AS E'
  SELECT encode(sha256(convert_to(coalesce(prev, '''') || ''|'' || "legami_audit_row_text"(row_), ''UTF8'')), ''hex'')';

-- Links are made when the transaction commits (a deferred trigger), one transaction at a time
-- (an advisory lock held only from then to the commit), so the chain follows commit order.
CREATE FUNCTION "legami_audit_seal"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS E'
DECLARE
  last_seq bigint\073
  last_hash text\073
BEGIN
  PERFORM pg_advisory_xact_lock(7411001)\073
  SELECT "seq", "hash" INTO last_seq, last_hash FROM "AuditSeal" ORDER BY "seq" DESC LIMIT 1\073
  INSERT INTO "AuditSeal" ("seq", "auditId", "prevHash", "hash")
  VALUES (coalesce(last_seq, 0) + 1, NEW."id", last_hash, "legami_audit_link"(last_hash, NEW))\073
  RETURN NULL\073
END';

ALTER FUNCTION "legami_audit_seal"() SET search_path FROM CURRENT;

CREATE CONSTRAINT TRIGGER "AuditLog_seal" AFTER INSERT ON "AuditLog" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "legami_audit_seal"();

-- The seals are append-only too.
CREATE TRIGGER "AuditSeal_append_only" BEFORE UPDATE OR DELETE ON "AuditSeal" FOR EACH ROW EXECUTE FUNCTION "legami_audit_append_only"();
CREATE TRIGGER "AuditSeal_no_truncate" BEFORE TRUNCATE ON "AuditSeal" FOR EACH STATEMENT EXECUTE FUNCTION "legami_audit_append_only"();

-- The audit trigger writes as the owner of the tables: the application's own role needs (and
-- gets, src/db/roles.ts) no privilege on the audit log but reading it.
ALTER FUNCTION "legami_audit"() SECURITY DEFINER;
ALTER FUNCTION "legami_audit"() SET search_path FROM CURRENT;

-- The rows written so far are chained in id order.
DO E'
DECLARE
  r "AuditLog"\073
  prev text := NULL\073
  n bigint := 0\073
BEGIN
  FOR r IN SELECT * FROM "AuditLog" ORDER BY "id" LOOP
    n := n + 1\073
    INSERT INTO "AuditSeal" ("seq", "auditId", "prevHash", "hash") VALUES (n, r."id", prev, "legami_audit_link"(prev, r))\073
    prev := "legami_audit_link"(prev, r)\073
  END LOOP\073
END';
