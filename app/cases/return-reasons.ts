// Why a case went back to the queue (the `why` of a returned_to_queue event), in words.

export type ReturnReason = "offline" | "returned" | "presence_lapsed" | "push_timeout" | "signed_out" | "session_expired";

const RETURN_REASONS: Record<ReturnReason, string> = {
  offline: "the agent went offline before starting it",
  returned: "returned to the queue",
  presence_lapsed: "the agent's console went silent (presence lapsed) before they started it",
  push_timeout: "the agent did not open it in time (push time-out)",
  signed_out: "the agent signed out before starting it",
  session_expired: "the agent's session expired before they started it",
};

export function returnReasonText(why: unknown): string | null {
  return typeof why === "string" && why in RETURN_REASONS ? RETURN_REASONS[why as ReturnReason] : null;
}
