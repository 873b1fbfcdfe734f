// The identity check (taught by the identity-checks module): before a reply
// that discloses booking details, the agent confirms the customer gave the
// booking reference and a passenger's family name, unless the channel itself
// authenticates the customer.

export interface IdentityCheckFacts {
  channelAuthenticatesCustomer: boolean;
  identityCheckedAt: Date | string | null;
}

export function identityCheckDone(facts: IdentityCheckFacts): boolean {
  return facts.channelAuthenticatesCustomer || facts.identityCheckedAt !== null;
}

/** Whether this reply must wait for the identity check. */
export function identityCheckBlocksReply(facts: IdentityCheckFacts, disclosesBooking: boolean): boolean {
  return disclosesBooking && !identityCheckDone(facts);
}

export const IDENTITY_CHECK_MESSAGE =
  "This reply discloses booking details. First check the customer's identity: the booking reference and the family name of a passenger on it.";
