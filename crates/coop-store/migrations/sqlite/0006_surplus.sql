-- Surplus and capital: fiscal years, allocation policies adopted by decision, each year's
-- committed allocation, the internal capital accounts (one ledger per member and the collective
-- reserve), scheduled cash payments, buy-in plans and departure repayment schedules.
-- Money is integer cents throughout.

-- A fiscal year, named by the calendar year it starts in. Its net surplus (negative: a loss)
-- is entered or imported; the year is closed when its allocation is committed.
CREATE TABLE fiscal_years (
    year          INTEGER PRIMARY KEY,
    starts        TEXT NOT NULL,
    ends          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    surplus_cents INTEGER,
    opened_at     TEXT NOT NULL,
    closed_at     TEXT
);

-- Versions of the allocation policy (JSON of coop_app::surplus::SurplusPolicy), in force from
-- the first day of a fiscal year once the decision that adopts it has passed.
CREATE TABLE allocation_policies (
    version        INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    policy         TEXT NOT NULL,
    proposal_id    INTEGER NOT NULL REFERENCES proposals (id),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'adopted', 'rejected')),
    created_at     TEXT NOT NULL,
    adopted_at     TEXT
);
CREATE INDEX allocation_policies_by_proposal ON allocation_policies (proposal_id);

-- A year's committed allocation: one per year, sealed in the journal.
CREATE TABLE allocations (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL UNIQUE REFERENCES fiscal_years (year),
    policy_version INTEGER REFERENCES allocation_policies (version),
    policy         TEXT NOT NULL,
    result         TEXT NOT NULL,
    surplus_cents  INTEGER NOT NULL,
    reserve_cents  INTEGER NOT NULL,
    pool_cents     INTEGER NOT NULL,
    notice         TEXT NOT NULL CHECK (notice IN ('qualified', 'non_qualified')),
    committed_at   TEXT NOT NULL,
    committed_by   TEXT NOT NULL
);

-- The capital accounts: one row per movement. member_id NULL is the collective reserve.
-- fiscal_year names the allocation a movement belongs to (the revolving fund redeems by it).
CREATE TABLE capital_entries (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER REFERENCES members (id),
    date         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('buy_in', 'allocation', 'loss', 'interest', 'redemption', 'departure', 'reserve')),
    amount_cents INTEGER NOT NULL,
    fiscal_year  INTEGER,
    ref          TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX capital_entries_by_member ON capital_entries (member_id, date, id);
CREATE INDEX capital_entries_by_ref ON capital_entries (ref);

-- Cash the co-op owes a member on a date: allocation instalments and departure repayments.
CREATE TABLE cash_payments (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    due             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('allocation_cash', 'repayment')),
    principal_cents INTEGER NOT NULL,
    interest_cents  INTEGER NOT NULL,
    ref             TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX cash_payments_by_member ON cash_payments (member_id, due);
CREATE INDEX cash_payments_by_ref ON cash_payments (ref);

-- A member's buy-in: the total owed, paid in instalments (e.g. 3,000.00 at 50.00 a pay period).
CREATE TABLE buy_in_plans (
    member_id         INTEGER PRIMARY KEY REFERENCES members (id),
    total_cents       INTEGER NOT NULL CHECK (total_cents > 0),
    instalment_cents  INTEGER NOT NULL CHECK (instalment_cents > 0),
    starts            TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
