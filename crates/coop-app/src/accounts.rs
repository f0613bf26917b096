//! Sign-in, sessions, passwords, reset links and API tokens.
//!
//! Secrets (session tokens, API tokens, reset tokens) are 256-bit random values shown to
//! their owner once; only their SHA-256 is stored. Passwords are hashed with argon2id.

use crate::throttle::Gate;
use crate::{policy, Actor, App, AppError, MemberActor, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use coop_core::journal::sha256_hex;
use coop_core::member::MemberState;
use coop_core::time::instant_text;
use coop_store::members::MemberQuery;
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use std::time::Instant;

/// Shortest password we accept. Length beats composition rules.
pub const MIN_PASSWORD_CHARS: usize = 10;

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

fn check_password_rules(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid("password", format!("a password needs at least {MIN_PASSWORD_CHARS} characters")));
    }
    if n > 1024 {
        return Err(AppError::invalid("password", "a password has at most 1024 characters"));
    }
    Ok(())
}

/// At most this many argon2 computations run at once: each takes 19 MiB and tens of
/// milliseconds on purpose, so a burst of sign-ins queues instead of exhausting memory.
const MAX_CONCURRENT_HASHES: usize = 4;
static HASH_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_HASHES);

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: &str) -> Result<String> {
    check_password_rules(password)?;
    let password = password.to_string();
    let _slot = HASH_SLOTS.acquire().await.map_err(|e| AppError::Conflict(format!("password hashing stopped: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Conflict(format!("password hashing stopped: {e}")))?
    .map_err(|e| AppError::Conflict(format!("password hashing failed: {e}")))
}

/// A hash of a random password: checked when the email is unknown, so that a wrong email
/// takes as long as a wrong password and does not reveal who is a member.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn verify_password(password: &str, hash: Option<String>) -> bool {
    let password = password.to_string();
    let hash = match hash {
        Some(h) => h,
        None => DUMMY_HASH
            .get_or_init(|| {
                let salt = SaltString::generate(&mut rand::rngs::OsRng);
                Argon2::default().hash_password(random_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
            })
            .clone(),
    };
    let Ok(_slot) = HASH_SLOTS.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A new session: the token goes into the cookie, the CSRF token into every form.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub member_id: i64,
    pub expires_at: jiff::Timestamp,
}

/// A one-time password reset link's secret.
#[derive(Clone, Debug, Serialize)]
pub struct ResetLink {
    pub token: String,
    pub expires_at: String,
}

/// An API token as listed (never the secret).
#[derive(Clone, Debug, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked: bool,
}

impl App {
    /// Checks email and password from `address` and opens a session.
    pub async fn login(&self, email: &str, password: &str, address: &str) -> Result<NewSession> {
        let account = email.trim().to_lowercase();
        let gate = self.throttle.gate(&account, address, Instant::now());
        if let Gate::Refuse { retry_after } = gate {
            return Err(AppError::Throttled { retry_after_secs: retry_after.as_secs().max(1) });
        }
        let found = {
            let mut c = self.store.read().await?;
            coop_store::members::login_lookup(&mut c, &account).await?
        };
        let (member_id, hash) = match found {
            Some((id, hash)) => (Some(id), hash),
            None => (None, None),
        };
        let right = verify_password(password, hash).await && member_id.is_some();
        if !right {
            let wait = self.throttle.failed(&account, address, Instant::now());
            return Err(match (gate, wait) {
                (Gate::OnlyIfRight { retry_after }, None) => AppError::Throttled { retry_after_secs: retry_after.as_secs().max(1) },
                (_, Some(w)) => AppError::Throttled { retry_after_secs: w.as_secs().max(1) },
                _ => AppError::Unauthenticated,
            });
        }
        let member_id = member_id.expect("checked above");
        let actor = self.member_actor(member_id).await?;
        if actor.state == Some(MemberState::Departed) {
            return Err(AppError::Forbidden("departed members keep their record but no longer have access".into()));
        }
        self.throttle.succeeded(&account);

        let token = random_token();
        let csrf = random_token();
        let now = self.clock.now();
        let expires_at = now.checked_add(jiff::SignedDuration::try_from(self.config.session_ttl).unwrap_or_default()).unwrap_or(now);
        let mut tx = self.store.begin_write().await?;
        coop_store::accounts::delete_expired_sessions(&mut tx, &instant_text(now)).await?;
        coop_store::accounts::insert_session(&mut tx, &token_hash(&token), member_id, &csrf, &instant_text(now), &instant_text(expires_at)).await?;
        self.journal(&mut tx, &Actor::Member(actor), "session.login", &format!("member:{member_id}"), json!({"expires_at": instant_text(expires_at)})).await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf, member_id, expires_at })
    }

    /// The actor behind a live session cookie and the session's CSRF token.
    pub async fn session(&self, token: &str) -> Result<Option<(Actor, String)>> {
        let now = instant_text(self.clock.now());
        // One connection for the whole lookup: every API call and page comes through here.
        let mut c = self.store.read().await?;
        match coop_store::accounts::live_session(&mut c, &token_hash(token), &now).await? {
            Some((member_id, csrf)) => {
                let actor = self.member_actor_in(&mut c, member_id).await?;
                if actor.state == Some(MemberState::Departed) {
                    return Ok(None);
                }
                Ok(Some((Actor::Member(actor), csrf)))
            }
            None => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let hash = token_hash(token);
        let now = instant_text(self.clock.now());
        if let Some((member_id, _)) = coop_store::accounts::live_session(&mut tx, &hash, &now).await? {
            coop_store::accounts::delete_session(&mut tx, &hash).await?;
            let actor = Actor::Member(MemberActor { id: member_id, name: String::new(), email: String::new(), roles: vec![], state: None, language: None });
            self.journal(&mut tx, &actor, "session.logout", &format!("member:{member_id}"), json!({})).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Changes the actor's own password after checking the current one, and ends their
    /// other sessions.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str, keep_session: Option<&str>) -> Result<()> {
        let member_id = policy::own_account(actor)?;
        // A stolen session must not become a way to guess the password: wrong current
        // passwords count against the account like wrong sign-ins.
        let account = match actor {
            Actor::Member(m) => m.email.clone(),
            Actor::Operator | Actor::System => String::new(),
        };
        if let Gate::Refuse { retry_after } = self.throttle.gate(&account, "", Instant::now()) {
            return Err(AppError::Throttled { retry_after_secs: retry_after.as_secs().max(1) });
        }
        let stored = {
            let mut c = self.store.read().await?;
            coop_store::members::password_hash(&mut c, member_id).await?
        };
        if !verify_password(current, stored).await {
            if let Some(wait) = self.throttle.failed(&account, "", Instant::now()) {
                return Err(AppError::Throttled { retry_after_secs: wait.as_secs().max(1) });
            }
            return Err(AppError::invalid("current_password", "the current password is not right"));
        }
        let hash = hash_password(new).await?;
        let mut tx = self.store.begin_write().await?;
        coop_store::members::set_password_hash(&mut tx, member_id, &hash).await?;
        let keep = keep_session.map(token_hash);
        let ended = coop_store::accounts::delete_sessions_of(&mut tx, member_id, keep.as_deref()).await?;
        self.journal(&mut tx, actor, "account.password", &format!("member:{member_id}"), json!({"other_sessions_ended": ended})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a member's password from the command line (`member add --password-stdin`).
    pub async fn set_password(&self, actor: &Actor, member_id: i64, password: &str) -> Result<()> {
        policy::manage_members(actor)?;
        let hash = hash_password(password).await?;
        let mut tx = self.store.begin_write().await?;
        coop_store::members::set_password_hash(&mut tx, member_id, &hash).await?;
        let ended = coop_store::accounts::delete_sessions_of(&mut tx, member_id, None).await?;
        self.journal(&mut tx, actor, "account.password_set", &format!("member:{member_id}"), json!({"sessions_ended": ended})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues a one-time reset link for a member (an admin hands it over while there is no mail).
    pub async fn issue_reset(&self, actor: &Actor, member_id: i64) -> Result<ResetLink> {
        policy::issue_reset(actor)?;
        let today = self.today().await?.to_string();
        let token = random_token();
        let now = self.clock.now();
        let expires = now.checked_add(jiff::SignedDuration::try_from(self.config.reset_ttl).unwrap_or_default()).unwrap_or(now);
        let mut tx = self.store.begin_write().await?;
        self.member_row_in(&mut tx, &today, member_id).await?;
        coop_store::accounts::insert_reset(&mut tx, &token_hash(&token), member_id, &instant_text(now), &instant_text(expires)).await?;
        self.journal(&mut tx, actor, "account.reset_issued", &format!("member:{member_id}"), json!({"expires_at": instant_text(expires)})).await?;
        tx.commit().await?;
        Ok(ResetLink { token, expires_at: instant_text(expires) })
    }

    /// Whether a reset link can still be used.
    pub async fn reset_usable(&self, token: &str) -> Result<bool> {
        let mut c = self.store.read().await?;
        Ok(coop_store::accounts::reset_usable(&mut c, &token_hash(token), &instant_text(self.clock.now())).await?)
    }

    /// Uses a reset link once to set a new password; ends all of that member's sessions.
    pub async fn reset_password(&self, token: &str, new: &str) -> Result<()> {
        let hash = hash_password(new).await?;
        let now = instant_text(self.clock.now());
        let mut tx = self.store.begin_write().await?;
        let member_id = coop_store::accounts::consume_reset(&mut tx, &token_hash(token), &now)
            .await?
            .ok_or_else(|| AppError::invalid("token", "this reset link is unknown, used or expired; ask an admin for a new one"))?;
        coop_store::members::set_password_hash(&mut tx, member_id, &hash).await?;
        coop_store::accounts::delete_sessions_of(&mut tx, member_id, None).await?;
        let actor = Actor::Member(MemberActor { id: member_id, name: String::new(), email: String::new(), roles: vec![], state: None, language: None });
        self.journal(&mut tx, &actor, "account.reset_used", &format!("member:{member_id}"), json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for the actor; the secret is returned once.
    pub async fn create_api_token(&self, actor: &Actor, label: &str) -> Result<String> {
        let member_id = policy::own_account(actor)?;
        let label = label.trim();
        if label.chars().count() > 100 {
            return Err(AppError::invalid("label", "a label has at most 100 characters"));
        }
        let label = if label.is_empty() { "api" } else { label };
        let token = format!("coop_{}", random_token());
        let mut tx = self.store.begin_write().await?;
        let id = coop_store::accounts::insert_token(&mut tx, member_id, label, &token_hash(&token), &self.now_text(), None).await?;
        self.journal(&mut tx, actor, "account.token_created", &format!("member:{member_id}"), json!({"token_id": id, "label": label})).await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn list_api_tokens(&self, actor: &Actor) -> Result<Vec<TokenInfo>> {
        let member_id = policy::own_account(actor)?;
        let mut c = self.store.read().await?;
        Ok(coop_store::accounts::tokens_of(&mut c, member_id)
            .await?
            .into_iter()
            .map(|(id, label, created_at, expires_at, revoked_at)| TokenInfo { id, label, created_at, expires_at, revoked: revoked_at.is_some() })
            .collect())
    }

    pub async fn revoke_api_token(&self, actor: &Actor, token_id: i64) -> Result<()> {
        let member_id = policy::own_account(actor)?;
        let mut tx = self.store.begin_write().await?;
        if coop_store::accounts::revoke_token(&mut tx, member_id, token_id, &self.now_text()).await? == 0 {
            return Err(AppError::NotFound(format!("token {token_id}")));
        }
        self.journal(&mut tx, actor, "account.token_revoked", &format!("member:{member_id}"), json!({"token_id": token_id})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor behind an `Authorization: Bearer` token.
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>> {
        let now = instant_text(self.clock.now());
        let mut c = self.store.read().await?;
        match coop_store::accounts::live_token(&mut c, &token_hash(token), &now).await? {
            Some(member_id) => {
                let actor = self.member_actor_in(&mut c, member_id).await?;
                Ok((actor.state != Some(MemberState::Departed)).then_some(Actor::Member(actor)))
            }
            None => Ok(None),
        }
    }

    async fn member_actor(&self, member_id: i64) -> Result<MemberActor> {
        let mut c = self.store.read().await?;
        self.member_actor_in(&mut c, member_id).await
    }

    /// The member as an actor, with their state today in the co-op's time zone.
    async fn member_actor_in(&self, c: &mut coop_store::Conn, member_id: i64) -> Result<MemberActor> {
        let tz = coop_store::settings::get(c).await?.map(|s| s.tz()).unwrap_or(jiff::tz::TimeZone::UTC);
        let today = self.clock.now().to_zoned(tz).date().to_string();
        let row = coop_store::members::list(c, &today, &MemberQuery { id: Some(member_id), ..MemberQuery::default() })
            .await?
            .pop()
            .ok_or_else(|| AppError::NotFound(format!("member {member_id}")))?;
        Ok(MemberActor { id: row.id, name: row.name, email: row.email, roles: row.roles, state: row.state, language: row.language })
    }
}
