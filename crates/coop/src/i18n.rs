//! The translation layer of the web shell: Fluent messages, language negotiation and the
//! hand-made formatting of dates, instants, money and hours.
//!
//! Why this shape:
//! - Every user-facing string goes through [`I18n::t`] (design.md), so a page in Arabic never
//!   shows an English word by accident; the unit tests check that both `.ftl` files hold the same
//!   keys, in the same order.
//! - The `.ftl` files are compiled into the binary with `include_str!`: one file to deploy, and a
//!   syntax error in a translation fails at start-up (and in the tests), never on a page.
//! - Formatting is done by hand rather than with an ICU crate: the app shows few shapes (a date, a
//!   time, an amount, hours) and a few dozen lines are cheaper than a large data dependency.
//! - Numbers use Western digits (0-9) in both languages. They are the common choice in Arabic web
//!   interfaces of the Maghreb and the Gulf, they line up in tables, and they copy into
//!   spreadsheets and the CLI unchanged. Arabic month names are the CLDR "ar" ones (يناير...).
//! - Money is formatted from integer cents with two decimals for every currency (the project
//!   stores every currency in hundredths); English puts the symbol or code first ("$1,234.56",
//!   "GBP 1,234.56"), Arabic puts the code after the amount ("1,234.56 USD").

use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State};
use unic_langid::{langid, LanguageIdentifier};

/// A language the web shell is translated into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ar,
}

impl Lang {
    /// Every supported language, in the order a language picker shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ar];

    /// The BCP 47 code for `<html lang>` and for storage ("en", "ar").
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// The writing direction for `<html dir>`; the stylesheet mirrors itself from it.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Ar => "rtl",
        }
    }

    /// The language's name in itself, for a language picker that anyone can read.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ar => "العربية",
        }
    }

    /// Parses a language tag by its primary subtag, so "en", "en-US", "EN_gb", "ar" and "ar-EG"
    /// all work; a region never changes the messages we have. Unknown tags give `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("ar") {
            Some(Lang::Ar)
        } else {
            None
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Ar => langid!("ar"),
        }
    }
}

/// The compiled messages of every language. Built once at start-up and shared (`Arc`) by all
/// request handlers, hence the concurrent bundle, which is `Send + Sync`.
pub struct I18n {
    en: FluentBundle<FluentResource>,
    ar: FluentBundle<FluentResource>,
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    /// Builds the bundles from the `.ftl` files compiled into the binary.
    ///
    /// Panics if a file does not parse or defines a key twice: that is a build error of the
    /// translations, caught by the unit tests before any release.
    pub fn new() -> I18n {
        I18n {
            en: bundle(Lang::En, include_str!("../locales/en.ftl")),
            ar: bundle(Lang::Ar, include_str!("../locales/ar.ftl")),
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }

    /// Chooses the language of a response: the member's own setting wins; otherwise the
    /// supported language with the highest q-value in the `Accept-Language` header (ties go to
    /// the one listed first, `q=0` means "not this one", `*` means our default); otherwise English.
    pub fn negotiate(&self, member_pref: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = member_pref.and_then(Lang::parse) {
            return lang;
        }
        accept_language.and_then(best_accepted).unwrap_or(Lang::En)
    }

    /// Looks up and formats a message. A key missing in the requested language falls back to
    /// English, and a key missing everywhere comes back as the key itself, so a gap shows up as
    /// a visible word on the page instead of an error (the tests keep both files complete).
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, FluentValue)]) -> String {
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fa = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                fa.set(*name, value.clone());
            }
            fa
        });
        for bundle in [self.bundle(lang), &self.en] {
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, fluent_args.as_ref(), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    key,
                    lang = lang.code(),
                    ?errors,
                    "message formatted with errors"
                );
            }
            return text.into_owned();
        }
        tracing::warn!(key, lang = lang.code(), "missing message");
        key.to_string()
    }
}

fn bundle(lang: Lang, source: &'static str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(_, errors)| {
        panic!("locales/{}.ftl does not parse: {errors:?}", lang.code())
    });
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // No U+2068/U+2069 isolation marks around arguments: the HTML sets `dir` itself, and the
    // marks would make the strings differ from what tests and screen readers expect.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).unwrap_or_else(|errors| {
        panic!("locales/{}.ftl has duplicate keys: {errors:?}", lang.code())
    });
    bundle
}

/// The supported language with the highest q-value in an `Accept-Language` header.
fn best_accepted(header: &str) -> Option<Lang> {
    let mut best: Option<(u16, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let Some(q) = parts.try_fold(1000u16, |q, param| {
            let (name, value) = param.split_once('=')?;
            if name.trim().eq_ignore_ascii_case("q") {
                parse_q(value.trim())
            } else {
                Some(q)
            }
        }) else {
            continue; // a malformed q-value: ignore the whole item, as RFC 9110 allows
        };
        let lang = if tag == "*" {
            Some(Lang::En)
        } else {
            Lang::parse(tag)
        };
        if let Some(lang) = lang {
            // Strictly greater: on a tie the language listed first keeps its place.
            if q > 0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, lang));
            }
        }
    }
    best.map(|(_, lang)| lang)
}

/// A q-value ("1", "0.8", "0.875") in thousandths; `None` if it is not one.
fn parse_q(value: &str) -> Option<u16> {
    let q: f32 = value.parse().ok()?;
    (0.0..=1.0)
        .contains(&q)
        .then(|| (q * 1000.0).round() as u16)
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A calendar date for a page: "28 Nov 2026" in English, "28 نوفمبر 2026" in Arabic.
/// Day-month-year in both, so the order never depends on the reader's country.
pub fn format_date(lang: Lang, date: jiff::civil::Date) -> String {
    let month = usize::try_from(date.month() - 1).expect("jiff months are 1..=12");
    let name = match lang {
        Lang::En => MONTHS_EN[month],
        Lang::Ar => MONTHS_AR[month],
    };
    format!("{} {} {}", date.day(), name, date.year())
}

/// An instant shown in the co-op's time zone, 24-hour clock: "28 Nov 2026 14:05".
pub fn format_instant(lang: Lang, at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let local = at.to_zoned(tz.clone());
    format!(
        "{} {:02}:{:02}",
        format_date(lang, local.date()),
        local.hour(),
        local.minute()
    )
}

/// An amount of integer cents: English "$1,234.56", "€1,234.56", "GBP 1,234.56", "-$1,234.56";
/// Arabic "1,234.56 USD", "-1,234.56 USD". Comma groups and a dot decimal in both languages,
/// matching the Western digits (see the module docs).
pub fn format_money(lang: Lang, cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let amount = format!("{}.{:02}", group_thousands(abs / 100), abs % 100);
    let code = currency.trim().to_ascii_uppercase();
    if code.is_empty() {
        return format!("{sign}{amount}");
    }
    match lang {
        Lang::En => match code.as_str() {
            "USD" => format!("{sign}${amount}"),
            "EUR" => format!("{sign}€{amount}"),
            _ => format!("{sign}{code} {amount}"),
        },
        Lang::Ar => format!("{sign}{amount} {code}"),
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    // The first group holds 1 to 3 digits; every later group exactly 3 (ASCII, so byte slices).
    let first = (digits.len() - 1) % 3 + 1;
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    out.push_str(&digits[..first]);
    let mut rest = &digits[first..];
    while !rest.is_empty() {
        out.push(',');
        out.push_str(&rest[..3]);
        rest = &rest[3..];
    }
    out
}

/// Minutes as hours with exactly two decimals ("7.50"), the contract's spelling of hours.
/// Rounds half away from zero, in integers (never `f64` for hours).
pub fn format_hours(minutes: i64) -> String {
    let hundredths = (u128::from(minutes.unsigned_abs()) * 100 + 30) / 60;
    let sign = if minutes < 0 && hundredths > 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Adds the translation helpers to a template environment:
/// - `t(key, **kwargs)`: the message in the context's `lang` ("en"/"ar", default English);
///   string and integer kwargs become Fluent arguments (integers pick plural forms);
/// - `|date`: a "YYYY-MM-DD" string;
/// - `|instant`: an RFC 3339 string, shown in the context's `tz` (IANA name, default UTC);
/// - `|money(currency?)`: integer cents, in the given currency, else the context's `currency`,
///   else USD.
///
/// The filters print nothing for `none` or undefined values, so optional fields need no `if`.
pub fn register(env: &mut Environment<'static>, i18n: Arc<I18n>) {
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
            let mut owned: Vec<(String, FluentValue<'static>)> = Vec::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                owned.push((name.to_string(), fluent_value(&value)));
            }
            kwargs.assert_all_used()?;
            let args: Vec<(&str, FluentValue)> = owned
                .iter()
                .map(|(name, value)| (name.as_str(), value.clone()))
                .collect();
            Ok(i18n.t(context_lang(state), key, &args))
        },
    );
    env.add_filter(
        "date",
        |state: &State, value: Value| -> Result<String, Error> {
            if is_empty(&value) {
                return Ok(String::new());
            }
            let text = value.to_string();
            let date: jiff::civil::Date = text.parse().map_err(|e| {
                invalid(format!(
                    "date filter: {text:?} is not a YYYY-MM-DD date: {e}"
                ))
            })?;
            Ok(format_date(context_lang(state), date))
        },
    );
    env.add_filter(
        "instant",
        |state: &State, value: Value| -> Result<String, Error> {
            if is_empty(&value) {
                return Ok(String::new());
            }
            let text = value.to_string();
            let at: jiff::Timestamp = text.parse().map_err(|e| {
                invalid(format!(
                    "instant filter: {text:?} is not an RFC 3339 instant: {e}"
                ))
            })?;
            Ok(format_instant(context_lang(state), at, &context_tz(state)))
        },
    );
    env.add_filter(
        "money",
        |state: &State, value: Value, currency: Option<String>| -> Result<String, Error> {
            if is_empty(&value) {
                return Ok(String::new());
            }
            let cents = i64::try_from(value.clone())
                .map_err(|_| invalid(format!("money filter: {value} is not integer cents")))?;
            let currency = currency
                .or_else(|| context_str(state, "currency"))
                .unwrap_or_else(|| "USD".to_string());
            Ok(format_money(context_lang(state), cents, &currency))
        },
    );
}

/// Strings stay strings; integers become Fluent numbers so that plural selectors work.
fn fluent_value(value: &Value) -> FluentValue<'static> {
    if let Some(s) = value.as_str() {
        FluentValue::from(s.to_string())
    } else if let Some(n) = value.as_i64().filter(|_| value.is_integer()) {
        FluentValue::from(n)
    } else if is_empty(value) {
        FluentValue::from(String::new())
    } else {
        FluentValue::from(value.to_string())
    }
}

fn is_empty(value: &Value) -> bool {
    value.is_none() || value.is_undefined()
}

fn context_str(state: &State, name: &str) -> Option<String> {
    state
        .lookup(name)
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty())
}

fn context_lang(state: &State) -> Lang {
    context_str(state, "lang")
        .and_then(|code| Lang::parse(&code))
        .unwrap_or(Lang::En)
}

/// The context's time zone. An unknown name falls back to UTC with a warning: a page with a
/// time in the wrong zone is better than no page, and the settings form validates the name.
fn context_tz(state: &State) -> jiff::tz::TimeZone {
    match context_str(state, "tz") {
        None => jiff::tz::TimeZone::UTC,
        Some(name) => jiff::tz::TimeZone::get(&name).unwrap_or_else(|e| {
            tracing::warn!(tz = name, error = %e, "unknown time zone, showing UTC");
            jiff::tz::TimeZone::UTC
        }),
    }
}

fn invalid(detail: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use minijinja::context;

    const EN_FTL: &str = include_str!("../locales/en.ftl");
    const AR_FTL: &str = include_str!("../locales/ar.ftl");

    /// Message ids in file order: every line that starts with an identifier and `=`.
    /// (Terms start with `-`, comments with `#`, continuations with a space.)
    fn message_ids(source: &str) -> Vec<&str> {
        source
            .lines()
            .filter_map(|line| {
                let (id, _) = line.split_once('=')?;
                let id = id.trim_end();
                let mut chars = id.chars();
                let ok = chars.next()?.is_ascii_alphabetic()
                    && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                ok.then_some(id)
            })
            .collect()
    }

    #[test]
    fn i18n_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<I18n>();
    }

    #[test]
    fn both_files_have_the_same_keys_in_the_same_order() {
        let en = message_ids(EN_FTL);
        let ar = message_ids(AR_FTL);
        assert!(en.len() > 100, "found only {} keys in en.ftl", en.len());
        for key in &en {
            assert!(ar.contains(key), "{key} is in en.ftl but not in ar.ftl");
        }
        for key in &ar {
            assert!(en.contains(key), "{key} is in ar.ftl but not in en.ftl");
        }
        assert_eq!(en, ar, "keys are in a different order");
        // The bundles agree with the line scan: every key really is a message with a value.
        let i18n = I18n::new();
        for key in &en {
            for lang in Lang::ALL {
                let bundle = i18n.bundle(lang);
                let has_value = bundle.get_message(key).and_then(|m| m.value()).is_some();
                assert!(has_value, "{key} has no value in {}", lang.code());
            }
        }
    }

    #[test]
    fn the_keys_the_shell_relies_on_exist() {
        let ids = message_ids(EN_FTL);
        for key in [
            "app-name",
            "nav-dashboard",
            "nav-members",
            "nav-decisions",
            "nav-meetings",
            "nav-work",
            "nav-money",
            "nav-policies",
            "nav-journal",
            "nav-logout",
            "nav-settings",
            "nav-account",
            "login-title",
            "login-email",
            "login-password",
            "login-submit",
            "login-failed",
            "login-throttled",
            "logged-in-as",
            "coop-name-label",
            "footer-journal-head",
            "skip-to-content",
            "dashboard-title",
            "dashboard-members-by-state",
            "dashboard-candidacies-due",
            "dashboard-candidacy-due-line",
            "dashboard-no-candidacies",
            "dashboard-recent-journal",
            "state-applicant",
            "state-candidate",
            "state-member",
            "state-on_leave",
            "state-departed",
            "role-admin",
            "role-secretary",
            "members-title",
            "members-search",
            "members-search-submit",
            "members-filter-state",
            "members-all-states",
            "members-add",
            "members-none",
            "member-name",
            "member-email",
            "member-state",
            "member-since",
            "member-roles",
            "member-language",
            "member-planned-end",
            "member-note",
            "member-history",
            "member-edit",
            "member-save",
            "member-change-state",
            "member-change-state-submit",
            "member-effective-date",
            "member-added",
            "member-updated",
            "member-state-changed",
            "member-password-optional",
            "member-reset-link",
            "member-reset-link-issued",
            "member-detail-title",
            "journal-title",
            "journal-filter-action",
            "journal-filter-actor",
            "journal-filter-submit",
            "journal-seq",
            "journal-at",
            "journal-actor",
            "journal-action",
            "journal-subject",
            "journal-hash",
            "journal-verify-ok",
            "journal-verify-failed",
            "account-title",
            "account-change-password",
            "account-current-password",
            "account-new-password",
            "account-password-changed",
            "account-tokens",
            "account-token-label",
            "account-token-create",
            "account-token-created",
            "account-language",
            "area-coming-soon",
            "error-title",
            "error-not-found",
            "error-forbidden",
            "error-csrf",
            "error-invalid",
            "reset-title",
            "reset-submit",
            "reset-done",
            "reset-invalid",
            "settings-title",
            "settings-name",
            "settings-currency",
            "settings-timezone",
            "settings-fiscal-year-start",
            "settings-language",
            "settings-saved",
        ] {
            assert!(ids.contains(&key), "missing key {key}");
        }
    }

    #[test]
    fn lang_codes_dirs_and_parsing() {
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::Ar.code(), "ar");
        assert_eq!(Lang::En.dir(), "ltr");
        assert_eq!(Lang::Ar.dir(), "rtl");
        for (tag, want) in [
            ("en", Some(Lang::En)),
            ("en-US", Some(Lang::En)),
            ("EN_gb", Some(Lang::En)),
            ("ar", Some(Lang::Ar)),
            ("ar-EG", Some(Lang::Ar)),
            (" AR-ma ", Some(Lang::Ar)),
            ("fr", None),
            ("english", None),
            ("arn", None),
            ("", None),
        ] {
            assert_eq!(Lang::parse(tag), want, "parsing {tag:?}");
        }
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn negotiation() {
        let i18n = I18n::new();
        let n = |pref, header| i18n.negotiate(pref, header);
        // The member's setting wins over the browser.
        assert_eq!(n(Some("ar"), Some("en-US,en;q=0.9")), Lang::Ar);
        assert_eq!(n(Some("en"), Some("ar")), Lang::En);
        // An unusable setting falls through to the header.
        assert_eq!(n(Some("fr"), Some("ar")), Lang::Ar);
        assert_eq!(n(Some(""), Some("ar-SA")), Lang::Ar);
        // q-values, not list order, decide.
        assert_eq!(n(None, Some("fr;q=0.9, ar;q=0.8, en;q=0.5")), Lang::Ar);
        assert_eq!(n(None, Some("en;q=0.2, ar;q=0.7")), Lang::Ar);
        assert_eq!(n(None, Some("ar;q=0.4, en-GB;q=0.6")), Lang::En);
        // Ties go to the first listed; a missing q means 1.
        assert_eq!(n(None, Some("ar, en")), Lang::Ar);
        assert_eq!(n(None, Some("en;q=0.5, ar;q=0.5")), Lang::En);
        // q=0 means "not this one"; malformed items are skipped.
        assert_eq!(n(None, Some("en;q=0, ar;q=0.1")), Lang::Ar);
        assert_eq!(n(None, Some("ar;q=banana, en;q=0.1")), Lang::En);
        assert_eq!(n(None, Some("ar;q=2")), Lang::En);
        // Nothing usable: English.
        assert_eq!(n(None, Some("fr-FR, de;q=0.8")), Lang::En);
        assert_eq!(n(None, Some("")), Lang::En);
        assert_eq!(n(None, None), Lang::En);
        // The wildcard stands for our default.
        assert_eq!(n(None, Some("*;q=0.9, ar;q=0.5")), Lang::En);
    }

    #[test]
    fn translation_and_arguments() {
        let i18n = I18n::new();
        assert_eq!(i18n.t(Lang::En, "nav-members", &[]), "Members");
        assert_eq!(i18n.t(Lang::Ar, "nav-members", &[]), "الأعضاء");
        assert_eq!(i18n.t(Lang::Ar, "state-on_leave", &[]), "في إجازة");
        assert_eq!(
            i18n.t(Lang::En, "logged-in-as", &[("name", "Sam".into())]),
            "Signed in as Sam"
        );
        // No isolation marks (U+2068, U+2069) around arguments.
        assert_eq!(
            i18n.t(Lang::Ar, "member-added", &[("name", "Sam".into())]),
            "تمت إضافة Sam."
        );
        assert_eq!(
            i18n.t(Lang::En, "login-throttled", &[("seconds", 30.into())]),
            "Too many failed attempts. Try again in 30 seconds."
        );
        assert_eq!(
            i18n.t(Lang::En, "journal-verify-ok", &[("entries", 1.into())]),
            "The journal verifies: 1 entry."
        );
        // Arabic plural categories: two, few (3-10), many (11-99).
        let ar_entries = |n: i64| i18n.t(Lang::Ar, "journal-verify-ok", &[("entries", n.into())]);
        assert_eq!(ar_entries(2), "تم التحقق من سلامة السجل: قيدان.");
        assert_eq!(ar_entries(3), "تم التحقق من سلامة السجل: 3 قيود.");
        assert_eq!(ar_entries(42), "تم التحقق من سلامة السجل: 42 قيدًا.");
        assert_eq!(ar_entries(100), "تم التحقق من سلامة السجل: 100 قيد.");
    }

    #[test]
    fn fallback_to_english_then_to_the_key() {
        // A bundle with a key only in English behaves like a gap in ar.ftl.
        let mut i18n = I18n::new();
        i18n.en = bundle(Lang::En, "only-en = Only in English\n");
        i18n.ar = bundle(Lang::Ar, "other = شيء آخر\n");
        assert_eq!(i18n.t(Lang::Ar, "only-en", &[]), "Only in English");
        assert_eq!(i18n.t(Lang::Ar, "other", &[]), "شيء آخر");
        let real = I18n::new();
        assert_eq!(real.t(Lang::Ar, "no-such-key", &[]), "no-such-key");
        assert_eq!(real.t(Lang::En, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn dates_and_instants() {
        assert_eq!(format_date(Lang::En, date(2026, 11, 28)), "28 Nov 2026");
        assert_eq!(format_date(Lang::Ar, date(2026, 11, 28)), "28 نوفمبر 2026");
        assert_eq!(format_date(Lang::En, date(2027, 1, 5)), "5 Jan 2027");
        assert_eq!(format_date(Lang::Ar, date(2027, 1, 5)), "5 يناير 2027");
        let at: jiff::Timestamp = "2026-11-28T13:05:00Z".parse().unwrap();
        let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(format_instant(Lang::En, at, &paris), "28 Nov 2026 14:05");
        assert_eq!(format_instant(Lang::Ar, at, &paris), "28 نوفمبر 2026 14:05");
        assert_eq!(
            format_instant(Lang::En, at, &jiff::tz::TimeZone::UTC),
            "28 Nov 2026 13:05"
        );
        // The local date can differ from the UTC date.
        let late: jiff::Timestamp = "2026-12-31T23:30:00Z".parse().unwrap();
        let cairo = jiff::tz::TimeZone::get("Africa/Cairo").unwrap();
        assert_eq!(format_instant(Lang::En, late, &cairo), "1 Jan 2027 01:30");
    }

    #[test]
    fn money() {
        assert_eq!(format_money(Lang::En, 123_456, "USD"), "$1,234.56");
        assert_eq!(format_money(Lang::En, 123_456, "EUR"), "€1,234.56");
        assert_eq!(format_money(Lang::En, 123_456, "GBP"), "GBP 1,234.56");
        assert_eq!(format_money(Lang::En, -123_456, "USD"), "-$1,234.56");
        assert_eq!(format_money(Lang::En, -5, "GBP"), "-GBP 0.05");
        assert_eq!(format_money(Lang::En, 0, "usd"), "$0.00");
        assert_eq!(format_money(Lang::En, 100_000_000, "USD"), "$1,000,000.00");
        assert_eq!(format_money(Lang::En, 99_999, "USD"), "$999.99");
        assert_eq!(format_money(Lang::Ar, 123_456, "USD"), "1,234.56 USD");
        assert_eq!(format_money(Lang::Ar, -123_456, "EGP"), "-1,234.56 EGP");
        assert_eq!(
            format_money(Lang::En, i64::MIN, "USD"),
            "-$92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn hours() {
        assert_eq!(format_hours(450), "7.50");
        assert_eq!(format_hours(0), "0.00");
        assert_eq!(format_hours(60), "1.00");
        assert_eq!(format_hours(20), "0.33");
        assert_eq!(format_hours(40), "0.67");
        assert_eq!(format_hours(-75), "-1.25");
        assert_eq!(format_hours(9_600), "160.00");
    }

    fn env() -> Environment<'static> {
        let mut env = Environment::new();
        register(&mut env, Arc::new(I18n::new()));
        env
    }

    fn render(source: &'static str, ctx: Value) -> String {
        let mut env = env();
        env.add_template("page.html", source).unwrap();
        env.get_template("page.html").unwrap().render(ctx).unwrap()
    }

    #[test]
    fn templates_translate_in_the_context_language() {
        assert_eq!(
            render(r#"{{ t("nav-members") }}"#, context! { lang => "ar" }),
            "الأعضاء"
        );
        assert_eq!(
            render(r#"{{ t("nav-members") }}"#, context! { lang => "en" }),
            "Members"
        );
        assert_eq!(render(r#"{{ t("nav-members") }}"#, context! {}), "Members");
        assert_eq!(
            render(
                r#"{{ t("journal-verify-ok", entries=3) }}"#,
                context! { lang => "ar" }
            ),
            "تم التحقق من سلامة السجل: 3 قيود."
        );
        // Arguments are escaped like any other text in an HTML template.
        assert_eq!(
            render(
                r#"{{ t("member-added", name=who) }}"#,
                context! { lang => "en", who => "<b>Sam</b>" }
            ),
            "&lt;b&gt;Sam&lt;&#x2f;b&gt; was added."
        );
    }

    #[test]
    fn template_filters() {
        let ctx = context! { lang => "ar", tz => "Europe/Paris", currency => "EUR" };
        assert_eq!(
            render(r#"{{ "2026-11-28"|date }}"#, ctx.clone()),
            "28 نوفمبر 2026"
        );
        assert_eq!(
            render(r#"{{ "2026-11-28T13:05:00Z"|instant }}"#, ctx.clone()),
            "28 نوفمبر 2026 14:05"
        );
        assert_eq!(render("{{ 123456|money }}", ctx.clone()), "1,234.56 EUR");
        assert_eq!(render(r#"{{ -50|money("USD") }}"#, ctx), "-0.50 USD");
        let en = context! { lang => "en" };
        assert_eq!(render("{{ 123456|money }}", en.clone()), "$1,234.56");
        assert_eq!(
            render(r#"{{ "2026-11-28T13:05:00Z"|instant }}"#, en.clone()),
            "28 Nov 2026 13:05"
        );
        assert_eq!(
            render("[{{ none|date }}{{ missing|money }}]", en.clone()),
            "[]"
        );
        // Bad input is a template error that names the filter and the value.
        let mut env = env();
        env.add_template("bad.html", r#"{{ "28/11/2026"|date }}"#)
            .unwrap();
        let err = env
            .get_template("bad.html")
            .unwrap()
            .render(en)
            .unwrap_err();
        assert!(err.to_string().contains("date filter"), "{err}");
    }
}
