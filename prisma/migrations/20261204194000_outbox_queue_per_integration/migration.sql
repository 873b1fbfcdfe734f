-- DropIndex
DROP INDEX "OutboundMessage_state_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "OutboundMessage_integrationId_state_nextAttemptAt_idx" ON "OutboundMessage"("integrationId", "state", "nextAttemptAt");

