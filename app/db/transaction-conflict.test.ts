import { describe, expect, it } from "vitest";
import { isConnectionWaitTimeout, isTransactionConflict } from "./transaction-conflict";

describe("isTransactionConflict", () => {
  it("knows Prisma's, the adapter's and PostgreSQL's own shapes", () => {
    expect(isTransactionConflict({ code: "P2034" })).toBe(true);
    expect(isTransactionConflict({ cause: { kind: "TransactionWriteConflict" } })).toBe(true);
    expect(isTransactionConflict({ code: "40P01" })).toBe(true);
    expect(isTransactionConflict({ code: "P2028", meta: { code: "40001" } })).toBe(true);
  });

  it("finds a serialisation failure of a raw query inside P2010 (the rehearsal's gesture 500)", () => {
    const rawQueryFailure = {
      code: "P2010",
      message: "Raw query failed. Code: `40001`.",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "40001", kind: "postgres", message: "could not serialize access" } } },
    };
    expect(isTransactionConflict(rawQueryFailure)).toBe(true);
  });

  it("leaves other errors alone", () => {
    expect(isTransactionConflict({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } })).toBe(false);
    expect(isTransactionConflict(new Error("boom"))).toBe(false);
    expect(isTransactionConflict(null)).toBe(false);
  });
});

describe("isConnectionWaitTimeout", () => {
  it("knows Prisma's timeout waiting for a connection to start a transaction, and nothing else", () => {
    expect(isConnectionWaitTimeout({ code: "P2028", message: "Transaction API error: Unable to start a transaction in the given time." })).toBe(true);
    // An expired transaction is the request's own doing (it ran too long), and a conflict is a conflict.
    expect(isConnectionWaitTimeout({ code: "P2028", message: "Transaction API error: Transaction already closed: the timeout for this transaction was 5000 ms" })).toBe(false);
    expect(isConnectionWaitTimeout({ code: "P2034", message: "Unable to start a transaction" })).toBe(false);
    expect(isConnectionWaitTimeout(null)).toBe(false);
  });
});
