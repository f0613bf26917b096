-- Work: projects, kinds of work, time entries and each member's yearly commitment.
-- Rates and patronage weights of kinds of work, leave taken and pay come later.

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    client     TEXT,
    billable   INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE work_categories (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE time_entries (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    date        TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes >= 0 AND minutes <= 1440),
    project_id  INTEGER REFERENCES projects (id),
    category_id INTEGER REFERENCES work_categories (id),
    note        TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    created_at  TEXT NOT NULL
);
CREATE INDEX time_entries_by_member_date ON time_entries (member_id, date);
CREATE INDEX time_entries_by_date ON time_entries (date);

CREATE TABLE commitments (
    member_id        INTEGER NOT NULL REFERENCES members (id),
    year             INTEGER NOT NULL,
    declared_minutes INTEGER NOT NULL CHECK (declared_minutes >= 0),
    leave_weeks      INTEGER NOT NULL CHECK (leave_weeks >= 0 AND leave_weeks <= 6),
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (member_id, year)
);
