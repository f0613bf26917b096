-- Meetings and minutes: where and how a meeting happens, its series, the agenda, roles,
-- notes, actions, the minutes' way to approval and sealing, errata, and calendar tokens.

ALTER TABLE meetings ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN link TEXT NOT NULL DEFAULT '';
-- The first meeting of the series this one belongs to (itself for the first), and how it repeats.
ALTER TABLE meetings ADD COLUMN series_id INTEGER;
ALTER TABLE meetings ADD COLUMN repeat_rule TEXT;
ALTER TABLE meetings ADD COLUMN agenda_published_at TEXT;
-- draft -> circulated -> approved (coop_core::meeting::MinutesStatus).
ALTER TABLE meetings ADD COLUMN minutes_status TEXT NOT NULL DEFAULT 'draft' CHECK (minutes_status IN ('draft', 'circulated', 'approved'));
ALTER TABLE meetings ADD COLUMN approved_at TEXT;
-- Who approved: 'record' (the secretary) or 'proposal:N' (a decision).
ALTER TABLE meetings ADD COLUMN approved_by TEXT;
-- The journal head just before the minutes were sealed.
ALTER TABLE meetings ADD COLUMN approval_head TEXT;

CREATE TABLE meeting_items (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    presenter_id INTEGER REFERENCES members (id),
    minutes_box  INTEGER,
    notes        TEXT NOT NULL DEFAULT '',
    proposal_id  INTEGER REFERENCES proposals (id),
    -- 'agenda' items are on the agenda; 'suggested' ones wait for the record keeper.
    state        TEXT NOT NULL CHECK (state IN ('agenda', 'suggested')),
    suggested_by INTEGER REFERENCES members (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX meeting_items_by_meeting ON meeting_items (meeting_id, position);

CREATE TABLE meeting_roles (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    role       TEXT NOT NULL CHECK (role IN ('facilitator', 'note_taker', 'timekeeper')),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (meeting_id, role)
);

CREATE TABLE meeting_actions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    item_id    INTEGER REFERENCES meeting_items (id),
    title      TEXT NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES members (id),
    due_date   TEXT NOT NULL,
    done_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_actions_by_owner ON meeting_actions (owner_id, done_at, due_date);

-- Corrections to approved minutes: appended, each sealed; the original stays as it was.
CREATE TABLE minutes_errata (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    body       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A member's private calendar feed: only the hash of the token in its URL is kept.
CREATE TABLE calendar_tokens (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
