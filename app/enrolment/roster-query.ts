// The roster's filters and sort orders, read from the query string. Unknown
// values are ignored (a stale bookmark still works), never an error.
import type { VolunteerOrigin, VolunteerStatus } from "@prisma/client";
import { isAirportCode } from "~/reference/airports";
import { isChannelId, type ChannelId } from "~/reference/channels";
import { isLanguageCode } from "~/reference/languages";
import { VOLUNTEER_ORIGINS } from "./volunteer-schema";

export const VOLUNTEER_STATUSES: VolunteerStatus[] = ["invited", "training", "certified", "active", "paused", "released"];

/** Statuses a planner sets by hand; "released" only through release, which also locks the account. */
export const SETTABLE_STATUSES: VolunteerStatus[] = ["invited", "training", "certified", "active", "paused"];

export const ROSTER_SORTS = {
  name: "Name",
  status: "Status",
  origin: "Origin",
  base: "Home base",
  training: "Training progress (most modules passed first)",
  newest: "Newest enrolled first",
} as const;
export type RosterSort = keyof typeof ROSTER_SORTS;

/** Training progress filter: none passed yet, or at least N modules passed. */
export const TRAINING_FILTERS = {
  none: "No module passed yet",
  "1": "At least 1 module passed",
  "2": "At least 2 modules passed",
  "3": "At least 3 modules passed",
  "5": "At least 5 modules passed",
} as const;
export type TrainingFilter = keyof typeof TRAINING_FILTERS;

export interface RosterFilters {
  status?: VolunteerStatus;
  language?: string;
  channel?: ChannelId;
  origin?: VolunteerOrigin;
  base?: string;
  training?: TrainingFilter;
  /** Name, email or employee number contains this. */
  q?: string;
}

export interface RosterQuery {
  filters: RosterFilters;
  sort: RosterSort;
}

export function rosterQueryFrom(params: URLSearchParams): RosterQuery {
  const filters: RosterFilters = {};
  const status = params.get("status");
  if (status && (VOLUNTEER_STATUSES as string[]).includes(status)) filters.status = status as VolunteerStatus;
  const language = params.get("language")?.trim().toLowerCase();
  if (language && isLanguageCode(language)) filters.language = language;
  const channel = params.get("channel");
  if (channel && isChannelId(channel)) filters.channel = channel;
  const origin = params.get("origin");
  if (origin && (VOLUNTEER_ORIGINS as readonly string[]).includes(origin)) filters.origin = origin as VolunteerOrigin;
  const base = params.get("base")?.trim().toUpperCase();
  if (base && isAirportCode(base)) filters.base = base;
  const training = params.get("training");
  if (training && Object.hasOwn(TRAINING_FILTERS, training)) filters.training = training as TrainingFilter;
  const q = params.get("q")?.trim();
  if (q) filters.q = q.slice(0, 100);
  const sortParam = params.get("sort");
  const sort = sortParam && Object.hasOwn(ROSTER_SORTS, sortParam) ? (sortParam as RosterSort) : "name";
  return { filters, sort };
}

/** The query string for a roster query, for links and the export. */
export function rosterSearch(query: RosterQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query.filters)) if (value) params.set(key, String(value));
  if (query.sort !== "name") params.set("sort", query.sort);
  return params.toString();
}
