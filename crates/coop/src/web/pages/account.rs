//! My account: password, language and API tokens.

use super::forms::FormData;
use super::{FieldErrors, Flash, PageResult, Problem, Shell, SignedIn};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::members::MemberEdit;
use coop_app::AppError;
use minijinja::{context, Value};

/// Which form on the page a set of errors belongs to.
#[derive(Default)]
struct Errors {
    password: FieldErrors,
    token: FieldErrors,
    language: FieldErrors,
    label: String,
}

async fn account_page(s: &Shell, status: StatusCode, e: Errors) -> PageResult {
    let actor = s.actor()?;
    let tokens = s.app().list_api_tokens(actor).await?;
    let language = s.auth()?.member().and_then(|m| m.language.clone()).unwrap_or_default();
    let ctx = context! {
        active => "account",
        tokens => Value::from_serialize(&tokens),
        language => language,
        language_options => s.language_options(),
        password_errors => e.password,
        token_errors => e.token,
        language_errors => e.language,
        label => e.label,
    };
    Ok(s.render(status, "account.html", ctx).await)
}

fn own_id(s: &Shell) -> Result<i64, Problem> {
    s.actor()?.member_id().ok_or(Problem::App(AppError::Forbidden("the command line has no account".into())))
}

pub async fn show(SignedIn(s): SignedIn) -> Response {
    let result = account_page(&s, StatusCode::OK, Errors::default()).await;
    s.finish(result).await
}

pub async fn change_password(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let keep = s.auth()?.session_token.clone();
        match s.app().change_password(s.actor()?, form.get("current_password"), form.get("new_password"), keep.as_deref()).await {
            Ok(()) => Ok(s.redirect("/account", Some(Flash::ok("account-password-changed")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                // The use case names the new password `password`; the form calls it `new_password`.
                if let Some(m) = errors.remove("password") {
                    errors.insert("new_password".into(), m);
                }
                account_page(&s, status, Errors { password: errors, ..Errors::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn change_language(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let edit = MemberEdit { language: Some(form.opt("language").map(str::to_string)), ..MemberEdit::default() };
        match s.app().update_member(s.actor()?, own_id(&s)?, edit).await {
            Ok(_) => Ok(s.redirect("/account", Some(Flash::ok("account-language-saved")))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                account_page(&s, status, Errors { language: errors, ..Errors::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn create_token(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        match s.app().create_api_token(s.actor()?, form.get("label")).await {
            Ok(token) => Ok(s.redirect("/account", Some(Flash::ok("account-token-created").arg("token", token)))),
            Err(e) => {
                let mut errors = FieldErrors::new();
                let status = s.form_failure(e, &mut errors)?;
                account_page(&s, status, Errors { token: errors, label: form.get("label").to_string(), ..Errors::default() }).await
            }
        }
    }
    .await;
    s.finish(result).await
}

pub async fn revoke_token(SignedIn(s): SignedIn, Path(id): Path<i64>, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        s.app().revoke_api_token(s.actor()?, id).await?;
        Ok(s.redirect("/account", Some(Flash::ok("account-token-revoked"))))
    }
    .await;
    s.finish(result).await
}
