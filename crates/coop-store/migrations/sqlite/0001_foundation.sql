-- The foundation: settings, members and their state history, accounts, the journal and its seals.
-- Instants are RFC 3339 UTC text with six fractional digits; dates are YYYY-MM-DD text.

CREATE TABLE coop_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT NOT NULL,
    currency          TEXT NOT NULL,
    timezone          TEXT NOT NULL,
    fiscal_year_start TEXT NOT NULL,
    language          TEXT NOT NULL,
    candidacy_months  INTEGER NOT NULL,
    created_at        TEXT NOT NULL
);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    language      TEXT,
    password_hash TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX members_name ON members (name);

CREATE TABLE member_roles (
    member_id INTEGER NOT NULL REFERENCES members (id),
    role      TEXT NOT NULL CHECK (role IN ('admin', 'secretary')),
    PRIMARY KEY (member_id, role)
);

-- Append-only: a change of state is a new row, never an update. Each row is sealed.
CREATE TABLE member_states (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    state       TEXT NOT NULL CHECK (state IN ('applicant', 'candidate', 'member', 'on_leave', 'departed')),
    since       TEXT NOT NULL,
    planned_end TEXT,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX member_states_by_member ON member_states (member_id, since, id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (member_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    label      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX journal_by_action ON journal (action, seq);
CREATE INDEX journal_by_actor ON journal (actor, seq);

-- An index of the seals that the journal holds: the journal entry is the authority.
CREATE TABLE seals (
    id           INTEGER PRIMARY KEY,
    journal_seq  INTEGER NOT NULL REFERENCES journal (seq),
    record_kind  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX seals_by_record ON seals (record_kind, record_id);
