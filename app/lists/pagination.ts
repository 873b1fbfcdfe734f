export const DEFAULT_PAGE_SIZE = 50;

/** Page number from ?page=; anything that is not a positive integer is page 1. */
export function pageFrom(searchParams: URLSearchParams): number {
  const raw = searchParams.get("page");
  const page = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(1, page);
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
