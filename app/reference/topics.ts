// The case topics Surge ships with (Case.topics holds these ids), and the
// skill a volunteer needs for each gated topic. The Topic table starts from
// this list (migration *_reference_data); supervisors edit the mapping on
// /topics afterwards. Topic skills are granted by training modules
// (grantsSkills in content/training/*/<language>.mdx).
export interface ReferenceTopic {
  id: string;
  name: string;
  /** The skill a volunteer needs to be given a case with this topic; null: none. */
  skillId: string | null;
}

export const TOPIC_SKILLS = [
  { id: "topic:refunds", name: "Refund questions" },
  { id: "topic:rebooking", name: "Rebooking questions" },
] as const;

export const TOPICS: readonly ReferenceTopic[] = [
  { id: "refund-status", name: "Refund status", skillId: "topic:refunds" },
  { id: "voucher", name: "Vouchers", skillId: "topic:refunds" },
  { id: "rebooking", name: "Rebooking", skillId: "topic:rebooking" },
  { id: "rebooking-simple", name: "Simple rebooking", skillId: "topic:rebooking" },
  { id: "baggage-status", name: "Baggage status", skillId: null },
  { id: "flight-status", name: "Flight status", skillId: null },
  { id: "check-in", name: "Check-in", skillId: null },
  { id: "seat", name: "Seats", skillId: null },
  { id: "payment", name: "Payment", skillId: null },
  { id: "payment-link", name: "Payment links", skillId: null },
  { id: "upgrade", name: "Upgrades", skillId: null },
  { id: "legal", name: "Legal", skillId: null },
  { id: "medical", name: "Medical", skillId: null },
  { id: "complaint-compensation", name: "Complaints and compensation", skillId: null },
  { id: "group-booking", name: "Group bookings", skillId: null },
  { id: "unaccompanied-minor", name: "Unaccompanied minors", skillId: null },
  { id: "special-assistance", name: "Special assistance", skillId: null },
  { id: "data-privacy", name: "Data privacy", skillId: null },
];
