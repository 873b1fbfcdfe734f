import { Link, useLocation } from "@remix-run/react";
import { pageCount } from "./pagination";

export function Pagination({ page, total, pageSize, label }: { page: number; total: number; pageSize: number; label: string }) {
  const location = useLocation();
  const pages = pageCount(total, pageSize);
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(target));
    return `?${params.toString()}`;
  };
  return (
    <nav className="pagination" aria-label={`${label} pages`}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>Previous page</Link> : null}
      <span aria-current="page">
        Page {page} of {pages} ({total} in all)
      </span>
      {page < pages ? <Link to={hrefFor(page + 1)}>Next page</Link> : null}
    </nav>
  );
}
