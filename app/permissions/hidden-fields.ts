// Case columns a volunteer never receives: the customer's account id and the
// thread key built from it (the way into their earlier contacts, which are
// older than this case) and payment state. Pure, so the browser bundle may
// import it with the ability.
export const CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS = ["customerId", "threadKey", "paymentLinkUnpaid"] as const;

export type HiddenCaseField = (typeof CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS)[number];
