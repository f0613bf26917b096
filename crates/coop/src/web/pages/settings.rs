//! The co-op's settings (admins).

use super::forms::FormData;
use super::{FieldErrors, Flash, PageResult, Shell, SignedIn};
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use coop_app::{policy, AppError};
use coop_core::CoopSettings;
use minijinja::context;
use std::collections::BTreeMap;

async fn settings_page(s: &Shell, status: StatusCode, values: BTreeMap<String, String>, errors: FieldErrors) -> Response {
    let ctx =
        context! { active => "settings", values => values, errors => errors, language_options => s.options(&coop_core::settings::LANGUAGES, "language-") };
    s.render(status, "settings.html", ctx).await
}

pub async fn form(SignedIn(s): SignedIn) -> Response {
    let result: PageResult = async {
        policy::change_settings(s.actor()?)?;
        let c = s.app().settings().await?;
        let values = BTreeMap::from([
            ("name".to_string(), c.name),
            ("currency".to_string(), c.currency),
            ("timezone".to_string(), c.timezone),
            ("fiscal_year_start".to_string(), c.fiscal_year_start),
            ("language".to_string(), c.language),
            ("candidacy_months".to_string(), c.candidacy_months.to_string()),
        ]);
        Ok(settings_page(&s, StatusCode::OK, values, FieldErrors::new()).await)
    }
    .await;
    s.finish(result).await
}

pub async fn save(SignedIn(s): SignedIn, body: Bytes) -> Response {
    let result: PageResult = async {
        let form = FormData::parse(&body);
        s.check_csrf(&form)?;
        let actor = s.actor()?;
        policy::change_settings(actor)?;
        let mut errors = FieldErrors::new();
        let months = match form.get("candidacy_months").trim().parse::<i32>() {
            Ok(m) => m,
            Err(_) => {
                errors.insert("candidacy_months".into(), s.msg("form-invalid-number"));
                return Ok(settings_page(&s, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await);
            }
        };
        let parsed =
            CoopSettings::new(form.get("name"), form.get("currency"), form.get("timezone"), form.get("fiscal_year_start"), form.get("language"), months)
                .map_err(|e| AppError::invalid(e.field, e.message));
        match async { s.app().update_settings(actor, &parsed?).await }.await {
            Ok(()) => Ok(s.redirect("/settings", Some(Flash::ok("settings-saved")))),
            Err(e) => {
                let status = s.form_failure(e, &mut errors)?;
                Ok(settings_page(&s, status, form.values(), errors).await)
            }
        }
    }
    .await;
    s.finish(result).await
}
