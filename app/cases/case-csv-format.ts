// The case CSV format: the import reads it (case-import.server.ts), the import page states it.
export const CSV_IMPORT_MAX_ROWS = 20_000;

export const CSV_COLUMNS = [
  "idempotencyKey",
  "channelId",
  "language",
  "customerId",
  "customerName",
  "loyaltyTier",
  "bookingReference",
  "flightNumber",
  "departureAt",
  "subject",
  "body",
  "receivedAt",
  "liveConversation",
  "paymentLinkUnpaid",
  "topics",
] as const;
