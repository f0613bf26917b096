-- A scheduled cash payment (an instalment of a year's patronage cash, a departure repayment) is
-- marked paid on the day the money left the bank: paid_on is that day (YYYY-MM-DD), paid_at when
-- it was recorded. Both NULL: not paid yet. The amount never changes; the journal says who
-- marked it. Not part of an allocation's seal (paying is not changing the allocation).
ALTER TABLE cash_payments ADD COLUMN paid_on TEXT;
ALTER TABLE cash_payments ADD COLUMN paid_at TEXT;
