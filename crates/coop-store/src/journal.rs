//! The append-only journal, its seals, and their verification.

use crate::{Result, StoreError};
use coop_core::journal::{canonical_json, content_hash, entry_hash, ChainVerifier, EntryFields, StoredEntry, GENESIS_HASH};
use serde::Serialize;
use serde_json::Value;
use sqlx::AnyConnection;

/// The journal action that seals a legal record.
pub const SEAL_ACTION: &str = "record.seal";

/// One journal entry as shown to people.
#[derive(Clone, Debug, Serialize)]
pub struct JournalEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
}

type EntryRow = (i64, String, String, String, String, String, String, String);

const ENTRY_COLUMNS: &str = "seq, at, actor, action, subject, payload, prev_hash, hash";

fn stored(row: EntryRow) -> StoredEntry {
    let (seq, at, actor, action, subject, payload, prev_hash, hash) = row;
    StoredEntry { seq, at, actor, action, subject, payload, prev_hash, hash }
}

fn shown(e: StoredEntry) -> JournalEntry {
    JournalEntry {
        payload: serde_json::from_str(&e.payload).unwrap_or(Value::String(e.payload.clone())),
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}

/// The last entry's sequence and hash; `(0, GENESIS_HASH)` for an empty journal.
pub async fn head(c: &mut AnyConnection) -> Result<(i64, String)> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetch_optional(c).await?;
    Ok(row.unwrap_or((0, GENESIS_HASH.to_string())))
}

/// Appends an entry. Call it inside the write transaction that makes the change it records.
pub async fn append(c: &mut AnyConnection, at: &str, actor: &str, action: &str, subject: &str, payload: &Value) -> Result<JournalEntry> {
    let (last_seq, prev_hash) = head(c).await?;
    let payload_text = canonical_json(payload);
    let seq = last_seq + 1;
    let hash = entry_hash(&EntryFields { seq, at, actor, action, subject, payload: &payload_text, prev_hash: &prev_hash });
    sqlx::query("INSERT INTO journal (seq, at, actor, action, subject, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(seq)
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(&payload_text)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(c)
        .await?;
    Ok(JournalEntry {
        seq,
        at: at.to_string(),
        actor: actor.to_string(),
        action: action.to_string(),
        subject: subject.to_string(),
        payload: payload.clone(),
        prev_hash,
        hash,
    })
}

/// Seals a legal record: its content hash goes into the journal (the authority) and into
/// the `seals` index. Returns the content hash.
pub async fn seal(c: &mut AnyConnection, at: &str, actor: &str, kind: &str, id: &str, content: &Value) -> Result<String> {
    let hash = content_hash(content);
    let payload = serde_json::json!({"kind": kind, "id": id, "content_hash": hash});
    let entry = append(&mut *c, at, actor, SEAL_ACTION, &format!("{kind}:{id}"), &payload).await?;
    sqlx::query("INSERT INTO seals (journal_seq, record_kind, record_id, content_hash) VALUES ($1, $2, $3, $4)")
        .bind(entry.seq)
        .bind(kind)
        .bind(id)
        .bind(&hash)
        .execute(c)
        .await?;
    Ok(hash)
}

/// The latest seal's content hash for a record, if it is sealed.
pub async fn sealed_hash(c: &mut AnyConnection, kind: &str, id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT content_hash FROM seals WHERE record_kind = $1 AND record_id = $2 ORDER BY id DESC LIMIT 1")
        .bind(kind)
        .bind(id)
        .fetch_optional(c)
        .await?;
    Ok(row.map(|r| r.0))
}

/// The canonical content of a sealed record as it is stored now, or `None` if the record is
/// gone. Each kind of legal record registers here how to read it back; the same function
/// builds the content when the record is sealed, so the two can never drift apart.
pub async fn sealed_content(c: &mut AnyConnection, kind: &str, id: &str) -> Result<Option<Value>> {
    match kind {
        crate::members::STATE_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::members::state_change_content(c, id).await
        }
        crate::decisions::PROPOSAL_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::decisions::proposal_content(c, id).await
        }
        crate::elections::ELECTION_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::elections::content(c, id).await
        }
        crate::pay::PAY_RUN_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::pay::pay_run_content(c, id).await
        }
        crate::surplus::ALLOCATION_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::surplus::allocation_content(c, id).await
        }
        crate::meetings::MINUTES_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::meetings::minutes_content(c, id).await
        }
        crate::meetings::ERRATUM_RECORD_KIND => {
            let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("seal of {kind} with id {id:?}")))?;
            crate::meetings::erratum_content(c, id).await
        }
        other => Err(StoreError::Corrupt(format!("a seal names an unknown kind of record {other:?}"))),
    }
}

/// Filters for the journal page.
#[derive(Clone, Debug, Default)]
pub struct JournalFilter {
    pub action_prefix: Option<String>,
    pub actor: Option<String>,
    /// Exactly this subject, e.g. `member:3`.
    pub subject: Option<String>,
    /// Only entries with a sequence below this (for paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// Entries newest first, filtered.
pub async fn list(c: &mut AnyConnection, f: &JournalFilter) -> Result<Vec<JournalEntry>> {
    let like = |s: &Option<String>| s.as_ref().filter(|s| !s.is_empty()).map(|s| format!("{}%", s.replace('%', "").replace('_', "\\_")));
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM journal \
         WHERE ($1 IS NULL OR action LIKE $1 ESCAPE '\\') \
           AND ($2 IS NULL OR actor = $2) \
           AND ($3 IS NULL OR subject = $3) \
           AND ($4 IS NULL OR seq < $4) \
         ORDER BY seq DESC LIMIT $5"
    );
    let rows: Vec<EntryRow> = sqlx::query_as(&sql)
        .bind(like(&f.action_prefix))
        .bind(f.actor.clone().filter(|s| !s.is_empty()))
        .bind(f.subject.clone().filter(|s| !s.is_empty()))
        .bind(f.before_seq)
        .bind(f.limit.clamp(1, 1000))
        .fetch_all(c)
        .await?;
    Ok(rows.into_iter().map(|r| shown(stored(r))).collect())
}

/// The outcome of verifying the journal.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: i64,
    pub seals: i64,
    pub head: String,
    /// The first problem found, naming the entry or seal; `None` when everything matches.
    pub fault: Option<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.fault.is_none()
    }
}

const VERIFY_PAGE: i64 = 5000;

/// Recomputes the whole chain, then every seal against the record it seals, and stops at
/// the first mismatch, naming it.
pub async fn verify(c: &mut AnyConnection) -> Result<VerifyReport> {
    let mut chain = ChainVerifier::default();
    let mut seals: Vec<(i64, String, String, String)> = Vec::new();
    let mut after = 0i64;
    loop {
        let rows: Vec<EntryRow> = sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2"))
            .bind(after)
            .bind(VERIFY_PAGE)
            .fetch_all(&mut *c)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let e = stored(row);
            after = e.seq;
            if let Err(fault) = chain.check(&e) {
                return Ok(VerifyReport {
                    entries: chain.count(),
                    seals: 0,
                    head: chain.head().to_string(),
                    fault: Some(format!("journal entry {} ({} {}): {fault}", e.seq, e.action, e.subject)),
                });
            }
            if e.action == SEAL_ACTION {
                let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
                let field = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                seals.push((e.seq, field("kind"), field("id"), field("content_hash")));
            }
        }
    }
    let report = |fault: Option<String>, seals: i64| VerifyReport { entries: chain.count(), seals, head: chain.head().to_string(), fault };

    // The seals index must say exactly what the journal says.
    let index: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT journal_seq, record_kind, record_id, content_hash FROM seals ORDER BY journal_seq").fetch_all(&mut *c).await?;
    if index != seals {
        let first = index.iter().zip(seals.iter()).position(|(a, b)| a != b).unwrap_or(index.len().min(seals.len()));
        let seq = seals.get(first).or(index.get(first)).map(|s| s.0).unwrap_or(0);
        return Ok(report(Some(format!("seal index: the seal recorded by journal entry {seq} does not match the journal")), 0));
    }
    for (n, (seq, kind, id, hash)) in seals.iter().enumerate() {
        let now = match sealed_content(c, kind, id).await? {
            Some(content) => content_hash(&content),
            None => return Ok(report(Some(format!("seal in journal entry {seq}: the sealed {kind} {id} is missing")), n as i64)),
        };
        if &now != hash {
            return Ok(report(
                Some(format!("seal in journal entry {seq}: the sealed {kind} {id} was changed (content hash {now} differs from sealed {hash})")),
                n as i64,
            ));
        }
    }
    Ok(report(None, seals.len() as i64))
}
