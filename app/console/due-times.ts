// Due times: each priority tier has a first-response and a resolution target
// (ServiceTarget, edited by supervisors). A case is due at arrival plus the
// target of its tier; a due time that passes unmet is a breach.

export interface ServiceTargetMinutes {
  tier: number;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

const MINUTE = 60_000;

export function dueTimesFor(receivedAt: Date, target: ServiceTargetMinutes | undefined) {
  if (!target) return { firstResponseDueAt: null, resolutionDueAt: null };
  return {
    firstResponseDueAt: new Date(receivedAt.getTime() + target.firstResponseMinutes * MINUTE),
    resolutionDueAt: new Date(receivedAt.getTime() + target.resolutionMinutes * MINUTE),
  };
}

export interface DueState {
  firstResponseDueAt: Date | string | null;
  resolutionDueAt: Date | string | null;
  firstRespondedAt: Date | string | null;
  resolvedAt: Date | string | null;
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/** Whether a due time passed unmet: met late also counts (the breach is recorded once). */
export function breaches(state: DueState, now: Date): { firstResponse: boolean; resolution: boolean } {
  const at = now.getTime();
  const late = (due: Date | string | null, done: Date | string | null) => {
    const dueAt = time(due);
    if (dueAt === null) return false;
    const doneAt = time(done);
    return doneAt === null ? at > dueAt : doneAt > dueAt;
  };
  return { firstResponse: late(state.firstResponseDueAt, state.firstRespondedAt), resolution: late(state.resolutionDueAt, state.resolvedAt) };
}

/** The next due time still open for this case: the first reply, then the resolution. */
export function nextDue(state: DueState): { kind: "first response" | "resolution"; at: Date } | null {
  if (state.firstRespondedAt === null && state.firstResponseDueAt !== null) return { kind: "first response", at: new Date(state.firstResponseDueAt) };
  if (state.resolvedAt === null && state.resolutionDueAt !== null) return { kind: "resolution", at: new Date(state.resolutionDueAt) };
  return null;
}

/** "12 min left", "3 h 5 min left", "overdue by 4 min". */
export function timeLeftLabel(due: Date, now: Date): string {
  const minutes = Math.round((due.getTime() - now.getTime()) / MINUTE);
  const span = (total: number) => {
    const hours = Math.floor(total / 60);
    const rest = total % 60;
    return hours > 0 ? `${hours} h${rest ? ` ${rest} min` : ""}` : `${rest} min`;
  };
  if (minutes < 0) return `overdue by ${span(-minutes)}`;
  if (minutes === 0) return "due now";
  return `${span(minutes)} left`;
}
