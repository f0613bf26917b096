//! Sessions, API tokens and password-reset links. Only hashes of the secrets are stored,
//! so a copy of the database does not let anyone log in.

use crate::Result;
use sqlx::AnyConnection;

pub async fn insert_session(c: &mut AnyConnection, token_hash: &str, member_id: i64, csrf: &str, at: &str, expires_at: &str) -> Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, member_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(member_id)
        .bind(csrf)
        .bind(at)
        .bind(expires_at)
        .execute(c)
        .await?;
    Ok(())
}

/// `(member_id, csrf_token)` of a session that has not expired at `now`.
pub async fn live_session(c: &mut AnyConnection, token_hash: &str, now: &str) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as("SELECT member_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(c)
        .await?)
}

pub async fn delete_session(c: &mut AnyConnection, token_hash: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await?.rows_affected())
}

/// Ends every session of a member except, optionally, one (after a password change).
pub async fn delete_sessions_of(c: &mut AnyConnection, member_id: i64, except_hash: Option<&str>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
        .bind(member_id)
        .bind(except_hash)
        .execute(c)
        .await?
        .rows_affected())
}

pub async fn delete_expired_sessions(c: &mut AnyConnection, now: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(c).await?.rows_affected())
}

pub async fn insert_token(c: &mut AnyConnection, member_id: i64, label: &str, token_hash: &str, at: &str, expires_at: Option<&str>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (member_id, label, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(member_id)
    .bind(label)
    .bind(token_hash)
    .bind(at)
    .bind(expires_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The member of a token that is neither revoked nor expired at `now`.
pub async fn live_token(c: &mut AnyConnection, token_hash: &str, now: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT member_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A member's tokens: `(id, label, created_at, expires_at, revoked_at)`.
pub async fn tokens_of(c: &mut AnyConnection, member_id: i64) -> Result<Vec<(i64, String, String, Option<String>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, label, created_at, expires_at, revoked_at FROM api_tokens WHERE member_id = $1 ORDER BY id")
        .bind(member_id)
        .fetch_all(c)
        .await?)
}

pub async fn revoke_token(c: &mut AnyConnection, member_id: i64, token_id: i64, at: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND member_id = $3 AND revoked_at IS NULL")
        .bind(at)
        .bind(token_id)
        .bind(member_id)
        .execute(c)
        .await?
        .rows_affected())
}

pub async fn insert_reset(c: &mut AnyConnection, token_hash: &str, member_id: i64, at: &str, expires_at: &str) -> Result<()> {
    sqlx::query("INSERT INTO password_resets (token_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(member_id)
        .bind(at)
        .bind(expires_at)
        .execute(c)
        .await?;
    Ok(())
}

/// Marks an unused, unexpired reset link as used and returns its member; `None` if the
/// link is unknown, used or expired. One statement, so a link can be used only once.
pub async fn consume_reset(c: &mut AnyConnection, token_hash: &str, now: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING member_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Whether a reset link is still usable (for showing the form).
pub async fn reset_usable(c: &mut AnyConnection, token_hash: &str, now: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT member_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}
