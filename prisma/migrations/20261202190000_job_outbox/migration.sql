-- A transactional outbox for jobs: a job is a row written with what needs it, handed to the
-- runner by a relay and deleted once handed over.
CREATE TABLE "OutboxJob" (
    "seq" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxJob_pkey" PRIMARY KEY ("seq")
);
