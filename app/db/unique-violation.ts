// Whether a database error is a unique-key violation: two requests creating
// the same thing at once, where the unique index decides who wins. Prisma's
// own queries report it as P2002; a raw query reports PostgreSQL's 23505
// inside P2010.
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: unknown };
  return code === "P2002" || (code === "P2010" && JSON.stringify(meta ?? {}).includes("23505"));
}
