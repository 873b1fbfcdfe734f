-- Reference data: the default gesture limits (DEFAULT_GESTURE_LIMITS in
-- app/gestures/limits.ts). Without rows a role may give no gesture at all, so
-- a production install (no demo seed) offered none until a supervisor set
-- them; the rehearsal found it. Existing rows (a supervisor's changes) are kept.
INSERT INTO "GestureLimit" ("role", "type", "perCaseLimit", "dailyBudget", "updatedAt") VALUES
  ('volunteer', 'miles', 2000, 10000, CURRENT_TIMESTAMP),
  ('volunteer', 'meal_voucher', 1500, 10000, CURRENT_TIMESTAMP),
  ('volunteer', 'fee_waiver', 1, 5, CURRENT_TIMESTAMP),
  ('agent', 'miles', 10000, 50000, CURRENT_TIMESTAMP),
  ('agent', 'meal_voucher', 3000, 30000, CURRENT_TIMESTAMP),
  ('agent', 'money', 5000, 50000, CURRENT_TIMESTAMP),
  ('agent', 'fee_waiver', 2, 20, CURRENT_TIMESTAMP),
  ('admin', 'miles', 50000, 500000, CURRENT_TIMESTAMP),
  ('admin', 'meal_voucher', 10000, 100000, CURRENT_TIMESTAMP),
  ('admin', 'money', 50000, 500000, CURRENT_TIMESTAMP),
  ('admin', 'fee_waiver', 5, 100, CURRENT_TIMESTAMP)
ON CONFLICT ("role", "type") DO NOTHING;
