-- Work, part two: effective-dated rates and patronage weights of kinds of work, leave taken,
-- pay systems adopted by decision, monthly pay runs, and corrections to locked periods.

-- A kind of work's hourly rate (NULL: paid at the system's general rate) and patronage weight
-- (hundredths: 100 = 1.00), each version in force from its date until the next one.
CREATE TABLE category_rates (
    category_id       INTEGER NOT NULL REFERENCES work_categories (id),
    effective_from    TEXT NOT NULL,
    rate_cents        INTEGER CHECK (rate_cents IS NULL OR rate_cents >= 0),
    weight_hundredths INTEGER NOT NULL DEFAULT 100 CHECK (weight_hundredths >= 0),
    created_at        TEXT NOT NULL,
    PRIMARY KEY (category_id, effective_from)
);

-- Paid leave taken: one row per working day of leave, each worth one working day of the
-- member's declared hours (coop_core::hours::leave_value).
CREATE TABLE leave_taken (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    date       TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (member_id, date)
);

-- Versions of the pay system (JSON of coop_core::pay::PaySystem), in force from the first day of
-- a month once the decision that adopts it has passed.
CREATE TABLE pay_systems (
    version        INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    system         TEXT NOT NULL,
    proposal_id    INTEGER NOT NULL REFERENCES proposals (id),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'adopted', 'rejected')),
    created_at     TEXT NOT NULL
);
CREATE INDEX pay_systems_by_proposal ON pay_systems (proposal_id);

-- One pay run per month: a draft is recomputed on demand; approval freezes it, seals it and
-- locks the month's time entries and leave.
CREATE TABLE pay_runs (
    id                 INTEGER PRIMARY KEY,
    month              TEXT NOT NULL UNIQUE,
    pay_system_version INTEGER NOT NULL REFERENCES pay_systems (version),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    total_cents        INTEGER NOT NULL,
    result             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    approved_at        TEXT,
    approved_by        TEXT
);

-- Changes to time entries of a locked month: the entry takes the new minutes, the trail keeps
-- the old, and the next pay run settles the difference.
CREATE TABLE time_corrections (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES time_entries (id),
    old_minutes INTEGER NOT NULL CHECK (old_minutes >= 0),
    new_minutes INTEGER NOT NULL CHECK (new_minutes >= 0 AND new_minutes <= 1440),
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    settled_in  INTEGER REFERENCES pay_runs (id)
);
CREATE INDEX time_corrections_by_entry ON time_corrections (entry_id);

-- The yearly report reads only this index.
CREATE INDEX time_entries_report ON time_entries (date, member_id, category_id, project_id, minutes);
