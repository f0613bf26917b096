-- Decisions: the co-op's decision classes (versioned), proposals and their votes, secret
-- ballots, elections, and the minimum of meetings that a show of hands needs.

CREATE TABLE decision_classes (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    governs_rules      INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL
);

-- Append-only: a change of a class is a new version; proposals keep the version they ran under.
CREATE TABLE decision_class_versions (
    id                 INTEGER PRIMARY KEY,
    class_id           INTEGER NOT NULL REFERENCES decision_classes (id),
    version            INTEGER NOT NULL,
    rule_json          TEXT NOT NULL,
    eligible_states    TEXT NOT NULL,
    results_visibility TEXT NOT NULL CHECK (results_visibility IN ('live', 'after_vote', 'after_close')),
    adopted_by         INTEGER,
    created_at         TEXT NOT NULL,
    UNIQUE (class_id, version)
);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('general', 'production', 'board', 'committee')),
    starts_at    TEXT NOT NULL,
    minutes_long INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'approved')),
    created_at   TEXT NOT NULL
);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    attendance TEXT NOT NULL CHECK (attendance IN ('present', 'remote', 'absent', 'excused')),
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE proposals (
    id               INTEGER PRIMARY KEY,
    class_version_id INTEGER NOT NULL REFERENCES decision_class_versions (id),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    author_id        INTEGER REFERENCES members (id),
    opens_at         TEXT NOT NULL,
    closes_at        TEXT NOT NULL,
    secret           INTEGER NOT NULL,
    meeting_id       INTEGER REFERENCES meetings (id),
    status           TEXT NOT NULL CHECK (status IN ('open', 'passed', 'failed', 'no_quorum', 'blocked')),
    round            INTEGER NOT NULL,
    -- A show of hands at a meeting: the counts entered by the secretary, as tally JSON.
    hand_count_json  TEXT,
    -- The class change this proposal adopts if it passes (null for an ordinary proposal).
    amendment_json   TEXT,
    outcome_json     TEXT,
    decided_at       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX proposals_by_status ON proposals (status, closes_at);

-- Who could vote, fixed when voting opened (state on the opening date).
CREATE TABLE proposal_eligible (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (proposal_id, member_id)
);

-- Open ballots: one row per member and round; a later vote replaces the earlier one.
CREATE TABLE votes (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    round       INTEGER NOT NULL,
    choice      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    cast_at     TEXT NOT NULL,
    PRIMARY KEY (proposal_id, member_id, round)
);

-- Secret ballots: no member, no time, no insertion order (the key is random and there is
-- no rowid). Only the hash of the voter's receipt code is kept.
CREATE TABLE secret_ballots (
    id           TEXT PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    round        INTEGER NOT NULL,
    choice       TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

-- Who has voted in a secret ballot, kept apart from the ballots and without a time.
CREATE TABLE turnout (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    round       INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, member_id, round)
) WITHOUT ROWID;

CREATE TABLE proposal_comments (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    member_id   INTEGER REFERENCES members (id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE elections (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    seats           INTEGER NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('plurality', 'approval', 'irv', 'stv')),
    candidates_json TEXT NOT NULL,
    eligible_states TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('nominating', 'open', 'closed')),
    opens_at        TEXT,
    closes_at       TEXT,
    result_json     TEXT,
    created_at      TEXT NOT NULL,
    closed_at       TEXT
);

CREATE TABLE election_eligible (
    election_id INTEGER NOT NULL REFERENCES elections (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (election_id, member_id)
);

-- Election ballots are always secret: the same shape as secret_ballots.
CREATE TABLE election_ballots (
    id           TEXT PRIMARY KEY,
    election_id  INTEGER NOT NULL REFERENCES elections (id),
    ballot       TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

CREATE TABLE election_turnout (
    election_id INTEGER NOT NULL REFERENCES elections (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (election_id, member_id)
) WITHOUT ROWID;
