//! Decision rules and outcomes: how a co-op decides, applied exactly.
//!
//! A decision class names a [`DecisionRule`]; members cast [`Choice`]s, counted in a [`Tally`];
//! [`evaluate`] is the one place that says what a tally means. Shares are compared by
//! cross-multiplication in integers, never as floats, so "two-thirds" is exactly two-thirds and
//! 4 of 6 passes it. The rule JSON and its meaning follow the contract (`shared/contract.md`,
//! "Decisions"); where the contract leaves a choice open, the item's doc comment says what we chose.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

// ---------------------------------------------------------------------------------------------
// Ratio
// ---------------------------------------------------------------------------------------------

/// An exact share between 0 and 1, written "num/den" ("2/3"). One that exists is valid:
/// den >= 1 and num <= den. Kept unreduced so the text the co-op wrote ("2/4") round-trips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: u32,
    den: u32,
}

/// Why a text is not a [`Ratio`].
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum RatioError {
    #[error("{0:?} is not a ratio: write it as num/den with whole numbers, e.g. \"2/3\"")]
    Syntax(String),
    #[error("{0:?} is a percentage: write it as a ratio, e.g. 75% as \"3/4\"")]
    Percent(String),
    #[error("{0:?} has a zero denominator: the number after / must be at least 1, e.g. \"1/2\"")]
    ZeroDenominator(String),
    #[error("{0:?} is more than the whole: the number before / may not exceed the one after it, e.g. \"3/4\"")]
    MoreThanWhole(String),
    #[error("{0:?} has a number too large (at most 4294967295)")]
    TooLarge(String),
}

impl Ratio {
    /// One half: with `strict` a simple majority, without it "at least half".
    pub const HALF: Ratio = Ratio { num: 1, den: 2 };
    pub const TWO_THIRDS: Ratio = Ratio { num: 2, den: 3 };
    pub const THREE_QUARTERS: Ratio = Ratio { num: 3, den: 4 };
    /// The whole: unanimity when not strict.
    pub const ALL: Ratio = Ratio { num: 1, den: 1 };

    pub fn new(num: u32, den: u32) -> Result<Ratio, RatioError> {
        if den == 0 {
            return Err(RatioError::ZeroDenominator(format!("{num}/{den}")));
        }
        if num > den {
            return Err(RatioError::MoreThanWhole(format!("{num}/{den}")));
        }
        Ok(Ratio { num, den })
    }

    /// Parses "num/den" (spaces around the parts are tolerated).
    pub fn parse(s: &str) -> Result<Ratio, RatioError> {
        let t = s.trim();
        if t.ends_with('%') {
            return Err(RatioError::Percent(s.to_string()));
        }
        let (n, d) = t.split_once('/').ok_or_else(|| RatioError::Syntax(s.to_string()))?;
        let (n, d) = (n.trim(), d.trim());
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(n) || !digits(d) {
            return Err(RatioError::Syntax(s.to_string()));
        }
        let num: u32 = n.parse().map_err(|_| RatioError::TooLarge(s.to_string()))?;
        let den: u32 = d.parse().map_err(|_| RatioError::TooLarge(s.to_string()))?;
        if den == 0 {
            return Err(RatioError::ZeroDenominator(s.to_string()));
        }
        if num > den {
            return Err(RatioError::MoreThanWhole(s.to_string()));
        }
        Ok(Ratio { num, den })
    }

    pub fn num(self) -> u32 {
        self.num
    }

    pub fn den(self) -> u32 {
        self.den
    }

    /// `part / whole >= self`, exactly. Nothing out of nothing reaches any ratio (whole 0 is false),
    /// so an empty base never passes.
    pub fn reached_by(self, part: u64, whole: u64) -> bool {
        whole > 0 && part as u128 * self.den as u128 >= self.num as u128 * whole as u128
    }

    /// `part / whole > self`, exactly; false when `whole` is 0.
    pub fn exceeded_by(self, part: u64, whole: u64) -> bool {
        whole > 0 && part as u128 * self.den as u128 > self.num as u128 * whole as u128
    }

    /// [`Ratio::exceeded_by`] when `strict`, else [`Ratio::reached_by`].
    pub fn met_by(self, part: u64, whole: u64, strict: bool) -> bool {
        if strict {
            self.exceeded_by(part, whole)
        } else {
            self.reached_by(part, whole)
        }
    }

    /// `ceil(self * n)`: how many of `n` make up this share (a quorum of 1/2 of 7 is 4).
    pub fn ceil_of(self, n: u32) -> u32 {
        let (num, den) = (self.num as u64, self.den as u64);
        // num <= den, so the result is at most n and fits in u32.
        ((num * n as u64).div_ceil(den)) as u32
    }

    /// The smallest `part` with `part / whole` meeting this share (more than it when `strict`).
    /// May exceed `whole` (strict "more than all"), meaning it cannot be met.
    pub fn min_part(self, whole: u32, strict: bool) -> u64 {
        let product = self.num as u64 * whole as u64;
        if strict {
            product / self.den as u64 + 1
        } else {
            product.div_ceil(self.den as u64)
        }
    }

    /// An English name for the share ("two-thirds"), or "num/den" when it has none.
    fn name_en(self) -> String {
        let g = gcd(self.num, self.den).max(1);
        match (self.num / g, self.den / g) {
            (0, _) => "none".to_string(),
            (1, 1) => "all".to_string(),
            (1, 2) => "half".to_string(),
            (1, 3) => "one-third".to_string(),
            (2, 3) => "two-thirds".to_string(),
            (1, 4) => "one-quarter".to_string(),
            (3, 4) => "three-quarters".to_string(),
            (3, 5) => "three-fifths".to_string(),
            (4, 5) => "four-fifths".to_string(),
            _ => self.to_string(),
        }
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl FromStr for Ratio {
    type Err = RatioError;
    fn from_str(s: &str) -> Result<Ratio, RatioError> {
        Ratio::parse(s)
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ratio, D::Error> {
        let s = String::deserialize(d)?;
        Ratio::parse(&s).map_err(D::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// What a vote's yes count is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// yes + no: abstaining changes nothing.
    Cast,
    /// yes + no + abstain: an abstention weighs like a no.
    CastWithAbstain,
    /// Members eligible when voting opened: not voting weighs like a no.
    Eligible,
    /// Members recorded present (remote counts) at the meeting that decides it.
    Present,
}

impl Base {
    pub const ALL: [Base; 4] = [Base::Cast, Base::CastWithAbstain, Base::Eligible, Base::Present];

    pub fn as_str(self) -> &'static str {
        match self {
            Base::Cast => "cast",
            Base::CastWithAbstain => "cast_with_abstain",
            Base::Eligible => "eligible",
            Base::Present => "present",
        }
    }

    pub fn parse(s: &str) -> Result<Base, String> {
        Base::ALL
            .into_iter()
            .find(|b| b.as_str() == s.trim())
            .ok_or_else(|| format!("{s:?} is not a base (use cast, cast_with_abstain, eligible or present)"))
    }
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A vote: passes when yes / base reaches `threshold` (exceeds it when `strict`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VoteRule {
    pub threshold: Ratio,
    pub strict: bool,
    pub base: Base,
    /// Share of eligible members who must take part; `None` = no quorum.
    pub quorum: Option<Ratio>,
}

/// Consensus: passes with no block and at most `max_stand_asides` stand-asides (`None` = any
/// number). A block gives `blocked`, or with a `fallback` a second round under that vote rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsensusRule {
    pub max_stand_asides: Option<u32>,
    pub quorum: Option<Ratio>,
    pub fallback: Option<VoteRule>,
}

/// Consent: passes unless someone objects. Silence is consent, so only a quorum guards against
/// a decision nobody looked at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsentRule {
    pub quorum: Option<Ratio>,
}

/// How a class of decisions is decided. Its JSON is the contract's (see [`DecisionRule::parse_json`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DecisionRule {
    Vote(VoteRule),
    Consensus(ConsensusRule),
    Consent(ConsentRule),
}

/// The rule that decides one round: round 2 of a consensus is its fallback vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundRule<'a> {
    Vote(&'a VoteRule),
    Consensus(&'a ConsensusRule),
    Consent(&'a ConsentRule),
}

/// The choices of each kind of round, in display order.
pub const VOTE_CHOICES: [Choice; 3] = [Choice::Yes, Choice::No, Choice::Abstain];
pub const CONSENSUS_CHOICES: [Choice; 3] = [Choice::Agree, Choice::StandAside, Choice::Block];
pub const CONSENT_CHOICES: [Choice; 2] = [Choice::Consent, Choice::Object];

impl<'a> RoundRule<'a> {
    pub fn kind(self) -> &'static str {
        match self {
            RoundRule::Vote(_) => "vote",
            RoundRule::Consensus(_) => "consensus",
            RoundRule::Consent(_) => "consent",
        }
    }

    pub fn choices(self) -> &'static [Choice] {
        match self {
            RoundRule::Vote(_) => &VOTE_CHOICES,
            RoundRule::Consensus(_) => &CONSENSUS_CHOICES,
            RoundRule::Consent(_) => &CONSENT_CHOICES,
        }
    }

    pub fn quorum(self) -> Option<Ratio> {
        match self {
            RoundRule::Vote(v) => v.quorum,
            RoundRule::Consensus(c) => c.quorum,
            RoundRule::Consent(c) => c.quorum,
        }
    }

    /// The choice that counts in favour ("what it takes to pass" counts these).
    pub fn support(self) -> Choice {
        match self {
            RoundRule::Vote(_) => Choice::Yes,
            RoundRule::Consensus(_) => Choice::Agree,
            RoundRule::Consent(_) => Choice::Consent,
        }
    }
}

impl DecisionRule {
    pub fn kind(&self) -> &'static str {
        match self {
            DecisionRule::Vote(_) => "vote",
            DecisionRule::Consensus(_) => "consensus",
            DecisionRule::Consent(_) => "consent",
        }
    }

    /// How many rounds the rule can take: 2 for a consensus with a fallback, else 1.
    pub fn rounds(&self) -> u8 {
        match self {
            DecisionRule::Consensus(ConsensusRule { fallback: Some(_), .. }) => 2,
            _ => 1,
        }
    }

    /// The rule deciding `round` (1-based), or `None` if the rule has no such round.
    pub fn for_round(&self, round: u8) -> Option<RoundRule<'_>> {
        match (self, round) {
            (DecisionRule::Vote(v), 1) => Some(RoundRule::Vote(v)),
            (DecisionRule::Consensus(c), 1) => Some(RoundRule::Consensus(c)),
            (DecisionRule::Consensus(ConsensusRule { fallback: Some(v), .. }), 2) => Some(RoundRule::Vote(v)),
            (DecisionRule::Consent(c), 1) => Some(RoundRule::Consent(c)),
            _ => None,
        }
    }

    /// Rounds out of range are clamped (0 is read as 1, past the last as the last), so that
    /// [`evaluate`] is total; [`DecisionRule::check_vote`] is where a bad round is refused.
    fn clamp_round(&self, round: u8) -> u8 {
        round.clamp(1, self.rounds())
    }

    fn stage(&self, round: u8) -> RoundRule<'_> {
        self.for_round(self.clamp_round(round)).expect("a clamped round exists")
    }

    /// The choices a member may cast in `round`; empty if the round does not exist.
    pub fn choices(&self, round: u8) -> &'static [Choice] {
        self.for_round(round).map_or(&[], RoundRule::choices)
    }

    /// Whether `choice` may be cast in `round`: vote yes/no/abstain; consensus round 1
    /// agree/stand_aside/block, round 2 the fallback vote's; consent consent/object.
    pub fn accepts(&self, choice: Choice, round: u8) -> bool {
        self.choices(round).contains(&choice)
    }

    /// Checks one vote before it is recorded: the round exists, the choice belongs to it, and a
    /// block or objection carries a (non-blank) reason, because the others need to know what
    /// would have to change.
    pub fn check_vote(&self, choice: Choice, round: u8, reason: Option<&str>) -> Result<(), VoteError> {
        let stage = self.for_round(round).ok_or(VoteError::NoSuchRound { round, rounds: self.rounds() })?;
        if !stage.choices().contains(&choice) {
            return Err(VoteError::NotAllowed {
                choice,
                round,
                kind: stage.kind(),
                allowed: stage.choices().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
            });
        }
        if choice.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(VoteError::ReasonRequired(choice));
        }
        Ok(())
    }

    /// Parses the contract's rule JSON. Unknown fields are refused (a typo must not silently
    /// weaken a rule); `strict` may be left out (false), and `quorum`, `max_stand_asides` and
    /// `fallback` may be left out (null). A fallback must be a vote rule; its `kind` may be omitted.
    /// A threshold that every tally meets (0 without strict) or none can (all with strict) is refused.
    pub fn parse_json(s: &str) -> Result<DecisionRule, RuleError> {
        let v: Value = serde_json::from_str(s).map_err(|e| RuleError::NotJson(e.to_string()))?;
        DecisionRule::from_value(&v)
    }

    /// As [`DecisionRule::parse_json`], from an already parsed JSON value.
    pub fn from_value(v: &Value) -> Result<DecisionRule, RuleError> {
        let obj = object(v, "rule")?;
        let kind = match obj.get("kind") {
            None => return Err(RuleError::Missing { field: "kind".into(), hint: "use \"vote\", \"consensus\" or \"consent\"" }),
            Some(Value::String(k)) => k.as_str(),
            Some(other) => return Err(invalid("kind", format!("must be \"vote\", \"consensus\" or \"consent\", not {other}"))),
        };
        match kind {
            "vote" => Ok(DecisionRule::Vote(parse_vote(obj, "")?)),
            "consensus" => {
                check_fields(obj, CONSENSUS_FIELDS, "consensus", "")?;
                let fallback = match obj.get("fallback") {
                    None | Some(Value::Null) => None,
                    Some(f) => {
                        let fo = object(f, "fallback")?;
                        match fo.get("kind") {
                            None => {}
                            Some(Value::String(k)) if k == "vote" => {}
                            Some(Value::String(k)) => return Err(RuleError::FallbackNotVote { kind: k.clone() }),
                            Some(other) => return Err(RuleError::FallbackNotVote { kind: other.to_string() }),
                        }
                        Some(parse_vote(fo, "fallback.")?)
                    }
                };
                Ok(DecisionRule::Consensus(ConsensusRule {
                    max_stand_asides: opt_count(obj, "max_stand_asides")?,
                    quorum: opt_ratio(obj, "quorum", "")?,
                    fallback,
                }))
            }
            "consent" => {
                check_fields(obj, CONSENT_FIELDS, "consent", "")?;
                Ok(DecisionRule::Consent(ConsentRule { quorum: opt_ratio(obj, "quorum", "")? }))
            }
            other => Err(invalid("kind", format!("{other:?} is not a kind of rule (use vote, consensus or consent)"))),
        }
    }

    /// The canonical JSON: every field present, keys in the contract's order, `kind` first.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a rule always serialises")
    }

    /// Quorum of the rule deciding `round` (clamped as in [`evaluate`]).
    pub fn quorum(&self, round: u8) -> Option<Ratio> {
        self.stage(round).quorum()
    }
}

/// Why a vote is refused before it is recorded.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum VoteError {
    #[error("round {round} does not exist for this decision (it has {rounds} round(s))")]
    NoSuchRound { round: u8, rounds: u8 },
    #[error("{choice} is not a choice in round {round}, which is decided by {kind} (choose {allowed})")]
    NotAllowed { choice: Choice, round: u8, kind: &'static str, allowed: String },
    #[error("{0} needs a reason: say what you object to and what would have to change")]
    ReasonRequired(Choice),
}

/// Why a rule's JSON is refused. [`RuleError::field`] names the field at fault (dotted for the
/// fallback, e.g. `fallback.threshold`) for an API's `{"error","field"}`.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum RuleError {
    #[error("the rule is not valid JSON ({0}); write it like {{\"kind\":\"vote\",\"threshold\":\"2/3\",\"strict\":false,\"base\":\"cast\",\"quorum\":\"1/2\"}}")]
    NotJson(String),
    #[error("{field} must be a JSON object such as {{\"kind\":\"vote\",\"threshold\":\"2/3\",\"base\":\"cast\"}}, not {got}")]
    NotAnObject { field: String, got: String },
    #[error("{field} is missing: {hint}")]
    Missing { field: String, hint: &'static str },
    #[error("{field} is not a field of a {kind} rule (its fields are {allowed})")]
    UnknownField { field: String, kind: &'static str, allowed: String },
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("fallback must be a vote rule (kind \"vote\"), not {kind}: the second round of a consensus is decided by a vote")]
    FallbackNotVote { kind: String },
}

impl RuleError {
    /// The field at fault, if the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            RuleError::NotJson(_) => None,
            RuleError::NotAnObject { field, .. }
            | RuleError::Missing { field, .. }
            | RuleError::UnknownField { field, .. }
            | RuleError::Invalid { field, .. } => Some(field),
            RuleError::FallbackNotVote { .. } => Some("fallback.kind"),
        }
    }
}

const VOTE_FIELDS: &[&str] = &["kind", "threshold", "strict", "base", "quorum"];
const CONSENSUS_FIELDS: &[&str] = &["kind", "max_stand_asides", "quorum", "fallback"];
const CONSENT_FIELDS: &[&str] = &["kind", "quorum"];

fn invalid(field: impl Into<String>, reason: String) -> RuleError {
    RuleError::Invalid { field: field.into(), reason }
}

fn object<'v>(v: &'v Value, field: &str) -> Result<&'v Map<String, Value>, RuleError> {
    v.as_object().ok_or_else(|| RuleError::NotAnObject { field: field.into(), got: v.to_string() })
}

fn check_fields(obj: &Map<String, Value>, allowed: &[&str], kind: &'static str, prefix: &str) -> Result<(), RuleError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(RuleError::UnknownField { field: format!("{prefix}{k}"), kind, allowed: allowed.join(", ") }),
        None => Ok(()),
    }
}

fn ratio_value(v: &Value, field: &str) -> Result<Ratio, RuleError> {
    match v {
        Value::String(s) => Ratio::parse(s).map_err(|e| invalid(field, e.to_string())),
        other => Err(invalid(field, format!("must be a string \"num/den\" such as \"2/3\", not {other}"))),
    }
}

fn opt_ratio(obj: &Map<String, Value>, name: &str, prefix: &str) -> Result<Option<Ratio>, RuleError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => ratio_value(v, &format!("{prefix}{name}")).map(Some),
    }
}

fn opt_count(obj: &Map<String, Value>, name: &str) -> Result<Option<u32>, RuleError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| invalid(name, format!("must be a whole number (0 or more), or null for no limit, not {v}"))),
    }
}

fn parse_vote(obj: &Map<String, Value>, prefix: &str) -> Result<VoteRule, RuleError> {
    check_fields(obj, VOTE_FIELDS, "vote", prefix)?;
    let path = |n: &str| format!("{prefix}{n}");
    let threshold = match obj.get("threshold") {
        None | Some(Value::Null) => {
            return Err(RuleError::Missing { field: path("threshold"), hint: "give the share of yes votes needed as \"num/den\", e.g. \"2/3\"" })
        }
        Some(v) => ratio_value(v, &path("threshold"))?,
    };
    let strict = match obj.get("strict") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(invalid(path("strict"), format!("must be true (more than the threshold) or false (at least the threshold), not {other}"))),
    };
    let base = match obj.get("base") {
        None | Some(Value::Null) => {
            return Err(RuleError::Missing { field: path("base"), hint: "use \"cast\", \"cast_with_abstain\", \"eligible\" or \"present\"" })
        }
        Some(Value::String(s)) => Base::parse(s).map_err(|e| invalid(path("base"), e))?,
        Some(other) => return Err(invalid(path("base"), format!("must be \"cast\", \"cast_with_abstain\", \"eligible\" or \"present\", not {other}"))),
    };
    if threshold.num() == 0 && !strict {
        return Err(invalid(path("threshold"), format!("\"{threshold}\" without strict passes even when everyone votes no; use a share above 0, or strict true")));
    }
    if threshold.num() == threshold.den() && strict {
        return Err(invalid(path("threshold"), format!("more than \"{threshold}\" can never be reached; for unanimity use strict false")));
    }
    Ok(VoteRule { threshold, strict, base, quorum: opt_ratio(obj, "quorum", prefix)? })
}

impl Serialize for VoteRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("kind", "vote")?;
        m.serialize_entry("threshold", &self.threshold)?;
        m.serialize_entry("strict", &self.strict)?;
        m.serialize_entry("base", &self.base)?;
        m.serialize_entry("quorum", &self.quorum)?;
        m.end()
    }
}

impl Serialize for ConsensusRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("kind", "consensus")?;
        m.serialize_entry("max_stand_asides", &self.max_stand_asides)?;
        m.serialize_entry("quorum", &self.quorum)?;
        m.serialize_entry("fallback", &self.fallback)?;
        m.end()
    }
}

impl Serialize for ConsentRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("kind", "consent")?;
        m.serialize_entry("quorum", &self.quorum)?;
        m.end()
    }
}

impl Serialize for DecisionRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DecisionRule::Vote(v) => v.serialize(s),
            DecisionRule::Consensus(c) => c.serialize(s),
            DecisionRule::Consent(c) => c.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for DecisionRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DecisionRule, D::Error> {
        let v = Value::deserialize(d)?;
        DecisionRule::from_value(&v).map_err(D::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Choices and tallies
// ---------------------------------------------------------------------------------------------

/// What one member says on one proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
    Agree,
    StandAside,
    Block,
    Consent,
    Object,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a choice (use yes, no, abstain, agree, stand_aside, block, consent or object)")]
pub struct UnknownChoice(pub String);

impl Choice {
    pub const ALL: [Choice; 8] = [
        Choice::Yes,
        Choice::No,
        Choice::Abstain,
        Choice::Agree,
        Choice::StandAside,
        Choice::Block,
        Choice::Consent,
        Choice::Object,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
            Choice::Agree => "agree",
            Choice::StandAside => "stand_aside",
            Choice::Block => "block",
            Choice::Consent => "consent",
            Choice::Object => "object",
        }
    }

    /// Case-insensitive; "stand-aside" and "stand aside" are read as "stand_aside".
    pub fn parse(s: &str) -> Result<Choice, UnknownChoice> {
        let norm = s.trim().to_lowercase().replace(['-', ' '], "_");
        Choice::ALL.into_iter().find(|c| c.as_str() == norm).ok_or_else(|| UnknownChoice(s.to_string()))
    }

    /// A block or an objection stops the others, so it must say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Choice::Block | Choice::Object)
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Choice {
    type Err = UnknownChoice;
    fn from_str(s: &str) -> Result<Choice, UnknownChoice> {
        Choice::parse(s)
    }
}

/// Counts per choice for one round. Order-free by construction: only counts are kept.
/// Its own serde form has all eight keys; [`Tally::to_json_for`] gives just a rule's keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub agree: u32,
    pub stand_aside: u32,
    pub block: u32,
    pub consent: u32,
    pub object: u32,
}

impl Tally {
    pub fn new() -> Tally {
        Tally::default()
    }

    pub fn from_choices<I: IntoIterator<Item = Choice>>(choices: I) -> Tally {
        let mut t = Tally::default();
        for c in choices {
            t.add(c);
        }
        t
    }

    pub fn get(&self, choice: Choice) -> u32 {
        match choice {
            Choice::Yes => self.yes,
            Choice::No => self.no,
            Choice::Abstain => self.abstain,
            Choice::Agree => self.agree,
            Choice::StandAside => self.stand_aside,
            Choice::Block => self.block,
            Choice::Consent => self.consent,
            Choice::Object => self.object,
        }
    }

    fn slot(&mut self, choice: Choice) -> &mut u32 {
        match choice {
            Choice::Yes => &mut self.yes,
            Choice::No => &mut self.no,
            Choice::Abstain => &mut self.abstain,
            Choice::Agree => &mut self.agree,
            Choice::StandAside => &mut self.stand_aside,
            Choice::Block => &mut self.block,
            Choice::Consent => &mut self.consent,
            Choice::Object => &mut self.object,
        }
    }

    pub fn add(&mut self, choice: Choice) {
        self.add_n(choice, 1);
    }

    /// Adds `n` of a choice (a show of hands); saturates rather than wrapping.
    pub fn add_n(&mut self, choice: Choice, n: u32) {
        let s = self.slot(choice);
        *s = s.saturating_add(n);
    }

    /// Takes back one vote (a member replaced it); false if there was none to take.
    pub fn remove(&mut self, choice: Choice) -> bool {
        let s = self.slot(choice);
        if *s == 0 {
            return false;
        }
        *s -= 1;
        true
    }

    /// A copy with `n` more of `choice`.
    pub fn with(mut self, choice: Choice, n: u32) -> Tally {
        self.add_n(choice, n);
        self
    }

    /// Everyone who cast any choice (abstain and stand-aside count).
    pub fn total_participation(&self) -> u32 {
        self.participation_in(&Choice::ALL)
    }

    /// Those who cast one of `choices`.
    pub fn participation_in(&self, choices: &[Choice]) -> u32 {
        choices.iter().fold(0u32, |acc, &c| acc.saturating_add(self.get(c)))
    }

    /// The counts of the choices of `round` under `rule`, in display order.
    pub fn counts_for(&self, rule: &DecisionRule, round: u8) -> Vec<(Choice, u32)> {
        rule.choices(round).iter().map(|&c| (c, self.get(c))).collect()
    }

    /// The contract's `"tally"` object: `{"yes":N,"no":N,"abstain":N}` for a vote round, the
    /// round's own choices otherwise.
    pub fn to_json_for(&self, rule: &DecisionRule, round: u8) -> Value {
        Value::Object(self.counts_for(rule, round).into_iter().map(|(c, n)| (c.as_str().to_string(), Value::from(n))).collect())
    }
}

// ---------------------------------------------------------------------------------------------
// Status and evaluation
// ---------------------------------------------------------------------------------------------

/// A proposal's status, as the contract spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Passed,
    Failed,
    /// Too few took part for the result to count.
    NoQuorum,
    /// A consensus block (without fallback), or an objection under consent.
    Blocked,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a status (use open, passed, failed, no_quorum or blocked)")]
pub struct UnknownStatus(pub String);

impl Status {
    pub const ALL: [Status; 5] = [Status::Open, Status::Passed, Status::Failed, Status::NoQuorum, Status::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NoQuorum => "no_quorum",
            Status::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Result<Status, UnknownStatus> {
        Status::ALL.into_iter().find(|st| st.as_str() == s.trim()).ok_or_else(|| UnknownStatus(s.to_string()))
    }

    /// Whether the decision is taken (everything but `open`).
    pub fn is_final(self) -> bool {
        self != Status::Open
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Status, UnknownStatus> {
        Status::parse(s)
    }
}

/// What a tally means if the round closed now: a final status, or (a block in round 1 of a
/// consensus with a fallback) "open round 2 under the fallback vote".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    NoQuorum,
    Blocked,
    NextRound,
}

impl Outcome {
    /// "passed", "failed", "no_quorum", "blocked", or "next_round".
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NoQuorum => "no_quorum",
            Outcome::Blocked => "blocked",
            Outcome::NextRound => "next_round",
        }
    }

    /// The final status, or `None` when a second round follows.
    pub fn status(self) -> Option<Status> {
        match self {
            Outcome::Passed => Some(Status::Passed),
            Outcome::Failed => Some(Status::Failed),
            Outcome::NoQuorum => Some(Status::NoQuorum),
            Outcome::Blocked => Some(Status::Blocked),
            Outcome::NextRound => None,
        }
    }

    fn label_en(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NoQuorum => "no quorum",
            Outcome::Blocked => "blocked",
            Outcome::NextRound => "to a second round",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The numbers behind an outcome, per kind of round: the interface turns them into a sentence
/// in the reader's language ([`Evaluation::summary_en`] is the English one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explanation {
    Vote {
        yes: u32,
        no: u32,
        abstain: u32,
        base: Base,
        /// The size of the base: yes + no, + abstain, eligible, or present.
        base_count: u32,
        threshold: Ratio,
        strict: bool,
    },
    Consensus {
        agree: u32,
        stand_aside: u32,
        block: u32,
        max_stand_asides: Option<u32>,
        has_fallback: bool,
    },
    Consent {
        consent: u32,
        object: u32,
    },
}

/// The result of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub outcome: Outcome,
    /// The round evaluated (after clamping: 1, or 2 under a consensus fallback).
    pub round: u8,
    /// Vote rounds only: yes votes needed out of the current base (`None` with an empty base).
    pub needed: Option<u32>,
    /// Those counted for the quorum: the members present at a meeting, else everyone who voted.
    pub participation: u32,
    pub eligible: u32,
    /// `ceil(quorum × eligible)`; `None` when the rule has no quorum.
    pub quorum_needed: Option<u32>,
    /// True when there is no quorum to meet.
    pub quorum_met: bool,
    pub explanation: Explanation,
}

impl Evaluation {
    /// The final status, or `None` when a second round follows.
    pub fn status(&self) -> Option<Status> {
        self.outcome.status()
    }

    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }

    /// One English sentence with the numbers and the rule, e.g.
    /// "passed: 5 of 6 votes cast, two-thirds needed, quorum 4 of 7 met".
    pub fn summary_en(&self) -> String {
        let body = match &self.explanation {
            Explanation::Vote { yes, base, base_count, threshold, strict, .. } => {
                let of = match base {
                    Base::Cast => "votes cast",
                    Base::CastWithAbstain => "votes cast including abstentions",
                    Base::Eligible => "eligible members",
                    Base::Present => "members present",
                };
                let share = if *strict { format!("more than {}", threshold.name_en()) } else { threshold.name_en() };
                format!("{yes} of {base_count} {of}, {share} needed")
            }
            Explanation::Consensus { agree, stand_aside, block, max_stand_asides, .. } => {
                let limit = max_stand_asides.map_or(String::new(), |m| format!(" (at most {m} allowed)"));
                format!("{agree} agree, {stand_aside} standing aside{limit}, {}", plural(*block, "block", "blocks"))
            }
            Explanation::Consent { consent, object } => {
                format!("{consent} consent, {}", plural(*object, "objection", "objections"))
            }
        };
        let quorum = match self.quorum_needed {
            None => String::new(),
            Some(n) if self.quorum_met => format!(", quorum {n} of {} met", self.eligible),
            Some(n) => format!(", quorum {n} of {} not met ({} took part)", self.eligible, self.participation),
        };
        format!("{}: {body}{quorum}", self.outcome.label_en())
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a round's tally means: THE function that decides every proposal.
///
/// - `eligible`: members eligible when voting opened; `present`: `Some(n)` for a decision taken
///   at a meeting (n recorded present, remote included), else `None`.
/// - Quorum comes first in every rule: participation (present at a meeting, else everyone who
///   cast one of the round's choices) below `ceil(quorum × eligible)` is `NoQuorum`.
/// - Vote: yes / base meets the threshold (exceeds it when strict). An empty base fails, since
///   nothing was carried; base `present` without `present` is an empty base, so it fails.
/// - Consensus: a block is `Blocked`, or `NextRound` in round 1 with a fallback; otherwise more
///   stand-asides than the limit is `Failed` (only a block opens the fallback, per the contract),
///   else `Passed`. Round 2 is the fallback vote, whose result is final.
/// - Consent: an objection is `Blocked` (it stops the proposal as a block does), else `Passed`.
///
/// Counts of choices that do not belong to the round are ignored; an out-of-range round is
/// clamped (0 → 1, past the last → the last).
pub fn evaluate(rule: &DecisionRule, round: u8, tally: &Tally, eligible: u32, present: Option<u32>) -> Evaluation {
    let round = rule.clamp_round(round);
    let stage = rule.stage(round);
    let participation = present.unwrap_or_else(|| tally.participation_in(stage.choices()));
    let quorum_needed = stage.quorum().map(|q| q.ceil_of(eligible));
    let quorum_met = quorum_needed.is_none_or(|n| participation >= n);

    let (decided, needed, explanation) = match stage {
        RoundRule::Vote(v) => {
            let base_count = match v.base {
                Base::Cast => tally.yes.saturating_add(tally.no),
                Base::CastWithAbstain => tally.yes.saturating_add(tally.no).saturating_add(tally.abstain),
                Base::Eligible => eligible,
                Base::Present => present.unwrap_or(0),
            };
            let passes = v.threshold.met_by(tally.yes as u64, base_count as u64, v.strict);
            let needed = (base_count > 0).then(|| v.threshold.min_part(base_count, v.strict).min(u32::MAX as u64) as u32);
            let expl = Explanation::Vote {
                yes: tally.yes,
                no: tally.no,
                abstain: tally.abstain,
                base: v.base,
                base_count,
                threshold: v.threshold,
                strict: v.strict,
            };
            (if passes { Outcome::Passed } else { Outcome::Failed }, needed, expl)
        }
        RoundRule::Consensus(c) => {
            let outcome = if tally.block > 0 {
                if c.fallback.is_some() && round == 1 {
                    Outcome::NextRound
                } else {
                    Outcome::Blocked
                }
            } else if c.max_stand_asides.is_some_and(|m| tally.stand_aside > m) {
                Outcome::Failed
            } else {
                Outcome::Passed
            };
            let expl = Explanation::Consensus {
                agree: tally.agree,
                stand_aside: tally.stand_aside,
                block: tally.block,
                max_stand_asides: c.max_stand_asides,
                has_fallback: c.fallback.is_some(),
            };
            (outcome, None, expl)
        }
        RoundRule::Consent(_) => {
            let outcome = if tally.object > 0 { Outcome::Blocked } else { Outcome::Passed };
            (outcome, None, Explanation::Consent { consent: tally.consent, object: tally.object })
        }
    };

    Evaluation {
        outcome: if quorum_met { decided } else { Outcome::NoQuorum },
        round,
        needed,
        participation,
        eligible,
        quorum_needed,
        quorum_met,
        explanation,
    }
}

/// "What it takes to pass" while a round is open: the fewest further supporting votes (yes,
/// agree or consent) that would make it pass if nobody else voted, or `None` if even all
/// `remaining_voters` supporting would not (e.g. a block stands). `Some(0)`: it passes now.
///
/// For online voting (no `present`); a show of hands is counted at once. Found by binary
/// search over [`evaluate`] itself, so it cannot disagree with the real count; that is sound
/// because a further supporting vote never turns a pass into a failure.
pub fn votes_to_pass(rule: &DecisionRule, round: u8, tally: &Tally, eligible: u32, remaining_voters: u32) -> Option<u32> {
    let support = rule.stage(round).support();
    let passes = |k: u32| evaluate(rule, round, &tally.with(support, k), eligible, None).passed();
    if !passes(remaining_voters) {
        return None;
    }
    let (mut lo, mut hi) = (0u32, remaining_voters); // passes(hi) holds; find the least such
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if passes(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// How many more members must take part before the quorum is met (0 when met or none).
pub fn quorum_missing(rule: &DecisionRule, round: u8, tally: &Tally, eligible: u32, present: Option<u32>) -> u32 {
    let e = evaluate(rule, round, tally, eligible, present);
    e.quorum_needed.map_or(0, |n| n.saturating_sub(e.participation))
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(s: &str) -> Ratio {
        Ratio::parse(s).unwrap()
    }

    fn vote(threshold: &str, strict: bool, base: Base, quorum: Option<&str>) -> DecisionRule {
        DecisionRule::Vote(VoteRule { threshold: r(threshold), strict, base, quorum: quorum.map(r) })
    }

    fn vote_tally(yes: u32, no: u32, abstain: u32) -> Tally {
        Tally { yes, no, abstain, ..Tally::default() }
    }

    fn outcome(rule: &DecisionRule, round: u8, t: Tally, eligible: u32, present: Option<u32>) -> Outcome {
        evaluate(rule, round, &t, eligible, present).outcome
    }

    // --- ratios -------------------------------------------------------------------------------

    #[test]
    fn ratios_parse_and_display() {
        for s in ["1/2", "2/3", "3/4", "0/1", "1/1", "2/4"] {
            assert_eq!(r(s).to_string(), s);
        }
        assert_eq!(r(" 2 / 3 "), Ratio::TWO_THIRDS);
        assert!(matches!(Ratio::parse("1/0"), Err(RatioError::ZeroDenominator(_))));
        assert!(matches!(Ratio::parse("3/2"), Err(RatioError::MoreThanWhole(_))));
        assert!(matches!(Ratio::parse("75%"), Err(RatioError::Percent(_))));
        assert!(matches!(Ratio::parse("99999999999/99999999999"), Err(RatioError::TooLarge(_))));
        for junk in ["", "2", "2/", "/3", "a/b", "-1/2", "+1/2", "1.5/2", "1/2/3", "two-thirds"] {
            assert!(matches!(Ratio::parse(junk), Err(RatioError::Syntax(_))), "{junk:?}");
        }
        assert_eq!(serde_json::to_string(&Ratio::THREE_QUARTERS).unwrap(), "\"3/4\"");
        assert_eq!(serde_json::from_str::<Ratio>("\"1/2\"").unwrap(), Ratio::HALF);
        assert!(serde_json::from_str::<Ratio>("\"5/4\"").is_err());
        assert!(serde_json::from_str::<Ratio>("0.5").is_err());
    }

    #[test]
    fn ratio_comparisons_are_exact() {
        let t = Ratio::TWO_THIRDS;
        assert!(t.reached_by(4, 6) && !t.exceeded_by(4, 6));
        assert!(!t.reached_by(3, 5));
        assert!(!t.reached_by(0, 0) && !Ratio::new(0, 1).unwrap().reached_by(0, 0));
        assert_eq!(Ratio::HALF.ceil_of(7), 4);
        assert_eq!(Ratio::HALF.ceil_of(8), 4);
        assert_eq!(Ratio::TWO_THIRDS.ceil_of(7), 5);
        assert_eq!(Ratio::ALL.ceil_of(u32::MAX), u32::MAX);
        assert_eq!(Ratio::HALF.min_part(4, true), 3);
        assert_eq!(Ratio::HALF.min_part(4, false), 2);
        // Large numbers do not overflow.
        let big = Ratio::new(u32::MAX - 1, u32::MAX).unwrap();
        assert!(big.reached_by(u32::MAX as u64, u32::MAX as u64));
    }

    // --- votes --------------------------------------------------------------------------------

    #[test]
    fn two_thirds_of_cast() {
        let rule = vote("2/3", false, Base::Cast, None);
        assert_eq!(outcome(&rule, 1, vote_tally(4, 2, 0), 10, None), Outcome::Passed);
        assert_eq!(outcome(&rule, 1, vote_tally(3, 2, 0), 10, None), Outcome::Failed);
        // Abstentions do not count in base cast.
        assert_eq!(outcome(&rule, 1, vote_tally(4, 2, 5), 20, None), Outcome::Passed);
    }

    #[test]
    fn strict_majority_versus_at_least_half() {
        let strict = vote("1/2", true, Base::Cast, None);
        let at_least = vote("1/2", false, Base::Cast, None);
        assert_eq!(outcome(&strict, 1, vote_tally(2, 2, 0), 4, None), Outcome::Failed);
        assert_eq!(outcome(&at_least, 1, vote_tally(2, 2, 0), 4, None), Outcome::Passed);
        assert_eq!(outcome(&strict, 1, vote_tally(3, 2, 0), 5, None), Outcome::Passed);
    }

    #[test]
    fn base_cast_with_abstain_counts_abstentions_against() {
        let with = vote("1/2", true, Base::CastWithAbstain, None);
        let without = vote("1/2", true, Base::Cast, None);
        let t = vote_tally(3, 2, 2);
        assert_eq!(outcome(&without, 1, t, 7, None), Outcome::Passed); // 3/5
        assert_eq!(outcome(&with, 1, t, 7, None), Outcome::Failed); // 3/7
        assert_eq!(evaluate(&with, 1, &t, 7, None).needed, Some(4));
    }

    #[test]
    fn base_eligible_counts_silence_against() {
        let rule = vote("1/2", false, Base::Eligible, None);
        assert_eq!(outcome(&rule, 1, vote_tally(4, 0, 0), 9, None), Outcome::Failed); // 4/9
        assert_eq!(outcome(&rule, 1, vote_tally(5, 0, 0), 9, None), Outcome::Passed); // 5/9
        assert_eq!(evaluate(&rule, 1, &vote_tally(4, 0, 0), 9, None).needed, Some(5));
    }

    #[test]
    fn base_present_uses_the_meeting_attendance() {
        let rule = vote("1/2", true, Base::Present, None);
        assert_eq!(outcome(&rule, 1, vote_tally(5, 3, 2), 12, Some(10)), Outcome::Failed); // 5/10 not > 1/2
        assert_eq!(outcome(&rule, 1, vote_tally(6, 2, 2), 12, Some(10)), Outcome::Passed);
        let at_least = vote("1/2", false, Base::Present, None);
        assert_eq!(outcome(&at_least, 1, vote_tally(5, 3, 2), 12, Some(10)), Outcome::Passed);
        // Without a meeting there is nobody present: an empty base fails.
        assert_eq!(outcome(&at_least, 1, vote_tally(5, 0, 0), 12, None), Outcome::Failed);
    }

    #[test]
    fn an_empty_base_fails() {
        let rule = vote("1/2", false, Base::Cast, None);
        let e = evaluate(&rule, 1, &vote_tally(0, 0, 3), 5, None);
        assert_eq!(e.outcome, Outcome::Failed);
        assert_eq!(e.needed, None);
        assert_eq!(outcome(&rule, 1, Tally::new(), 5, None), Outcome::Failed);
        let eligible = vote("1/2", false, Base::Eligible, None);
        assert_eq!(outcome(&eligible, 1, Tally::new(), 0, None), Outcome::Failed);
        // Even a strict zero threshold needs something to measure.
        let any = vote("0/1", true, Base::Cast, None);
        assert_eq!(outcome(&any, 1, Tally::new(), 5, None), Outcome::Failed);
        assert_eq!(outcome(&any, 1, vote_tally(1, 9, 0), 10, None), Outcome::Passed);
    }

    #[test]
    fn quorum_half_of_seven_needs_four() {
        let rule = vote("1/2", false, Base::Cast, Some("1/2"));
        let e = evaluate(&rule, 1, &vote_tally(3, 0, 0), 7, None);
        assert_eq!((e.outcome, e.quorum_needed, e.quorum_met, e.participation), (Outcome::NoQuorum, Some(4), false, 3));
        assert_eq!(outcome(&rule, 1, vote_tally(3, 1, 0), 7, None), Outcome::Passed);
        // Abstentions count towards the quorum.
        assert_eq!(outcome(&rule, 1, vote_tally(2, 0, 2), 7, None), Outcome::Passed);
        // Quorum comes first: a failing vote below quorum is no_quorum.
        assert_eq!(outcome(&rule, 1, vote_tally(0, 3, 0), 7, None), Outcome::NoQuorum);
        assert_eq!(outcome(&rule, 1, vote_tally(0, 4, 0), 7, None), Outcome::Failed);
        assert_eq!(quorum_missing(&rule, 1, &vote_tally(1, 1, 0), 7, None), 2);
        assert_eq!(quorum_missing(&rule, 1, &vote_tally(3, 1, 0), 7, None), 0);
    }

    #[test]
    fn at_a_meeting_the_quorum_counts_those_present() {
        let rule = vote("1/2", false, Base::Cast, Some("1/2"));
        // Three hands raised, but four present (remote included): quorum met.
        assert_eq!(outcome(&rule, 1, vote_tally(2, 1, 0), 7, Some(4)), Outcome::Passed);
        assert_eq!(outcome(&rule, 1, vote_tally(2, 1, 0), 7, Some(3)), Outcome::NoQuorum);
    }

    // --- consensus and consent ----------------------------------------------------------------

    fn consensus(max: Option<u32>, quorum: Option<&str>, fallback: Option<DecisionRule>) -> DecisionRule {
        let fallback = fallback.map(|f| match f {
            DecisionRule::Vote(v) => v,
            _ => unreachable!(),
        });
        DecisionRule::Consensus(ConsensusRule { max_stand_asides: max, quorum: quorum.map(r), fallback })
    }

    fn cons_tally(agree: u32, stand_aside: u32, block: u32) -> Tally {
        Tally { agree, stand_aside, block, ..Tally::default() }
    }

    #[test]
    fn consensus_statuses() {
        let rule = consensus(None, None, None);
        assert_eq!(outcome(&rule, 1, cons_tally(5, 3, 0), 8, None), Outcome::Passed);
        assert_eq!(outcome(&rule, 1, cons_tally(5, 0, 1), 6, None), Outcome::Blocked);
        let with_quorum = consensus(None, Some("1/2"), None);
        assert_eq!(outcome(&with_quorum, 1, cons_tally(2, 1, 0), 7, None), Outcome::NoQuorum);
        // Quorum comes first, even before a block.
        assert_eq!(outcome(&with_quorum, 1, cons_tally(1, 0, 1), 7, None), Outcome::NoQuorum);
        assert_eq!(evaluate(&rule, 1, &cons_tally(5, 0, 1), 6, None).status(), Some(Status::Blocked));
    }

    #[test]
    fn stand_aside_limit() {
        let rule = consensus(Some(1), None, None);
        assert_eq!(outcome(&rule, 1, cons_tally(4, 1, 0), 5, None), Outcome::Passed);
        assert_eq!(outcome(&rule, 1, cons_tally(4, 2, 0), 6, None), Outcome::Failed);
        // Over the limit with a fallback is still failed: only a block opens the fallback.
        let fb = consensus(Some(1), None, Some(vote("3/4", false, Base::Cast, None)));
        assert_eq!(outcome(&fb, 1, cons_tally(4, 2, 0), 6, None), Outcome::Failed);
    }

    #[test]
    fn a_block_with_a_fallback_goes_to_a_final_vote() {
        let rule = consensus(None, Some("1/2"), Some(vote("3/4", false, Base::Cast, None)));
        let e = evaluate(&rule, 1, &cons_tally(5, 0, 1), 7, None);
        assert_eq!((e.outcome, e.status()), (Outcome::NextRound, None));
        assert_eq!(rule.rounds(), 2);
        // Round 2 is the fallback vote; its quorum (none here) applies, and its result is final.
        assert_eq!(outcome(&rule, 2, vote_tally(3, 1, 0), 7, None), Outcome::Passed);
        assert_eq!(outcome(&rule, 2, vote_tally(2, 1, 0), 7, None), Outcome::Failed);
        assert_eq!(evaluate(&rule, 2, &vote_tally(3, 1, 0), 7, None).round, 2);
        // Round 1's consensus choices are ignored in round 2.
        assert_eq!(outcome(&rule, 2, vote_tally(3, 1, 0).with(Choice::Block, 4), 7, None), Outcome::Passed);
    }

    #[test]
    fn consent_statuses() {
        let rule = DecisionRule::Consent(ConsentRule { quorum: None });
        let t = Tally { consent: 4, ..Tally::default() };
        assert_eq!(outcome(&rule, 1, t, 5, None), Outcome::Passed);
        assert_eq!(outcome(&rule, 1, t.with(Choice::Object, 1), 5, None), Outcome::Blocked);
        let with_quorum = DecisionRule::Consent(ConsentRule { quorum: Some(Ratio::HALF) });
        assert_eq!(outcome(&with_quorum, 1, Tally { consent: 2, ..Tally::default() }, 5, None), Outcome::NoQuorum);
    }

    #[test]
    fn statuses_have_the_contract_spelling() {
        let names: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["open", "passed", "failed", "no_quorum", "blocked"]);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        assert!(Status::parse("closed").is_err());
        assert_eq!(Outcome::NoQuorum.status(), Some(Status::NoQuorum));
        assert_eq!(Outcome::NextRound.as_str(), "next_round");
    }

    // --- summaries ----------------------------------------------------------------------------

    #[test]
    fn summary_sentence() {
        let rule = vote("2/3", false, Base::Cast, Some("1/2"));
        let e = evaluate(&rule, 1, &vote_tally(5, 1, 0), 7, None);
        assert_eq!(e.summary_en(), "passed: 5 of 6 votes cast, two-thirds needed, quorum 4 of 7 met");
        let e = evaluate(&rule, 1, &vote_tally(2, 0, 0), 7, None);
        assert_eq!(e.summary_en(), "no quorum: 2 of 2 votes cast, two-thirds needed, quorum 4 of 7 not met (2 took part)");
        let strict = vote("1/2", true, Base::Present, None);
        assert_eq!(
            evaluate(&strict, 1, &vote_tally(5, 5, 0), 12, Some(10)).summary_en(),
            "failed: 5 of 10 members present, more than half needed"
        );
        let c = consensus(Some(1), None, Some(vote("3/4", false, Base::Cast, None)));
        assert_eq!(
            evaluate(&c, 1, &cons_tally(4, 0, 1), 5, None).summary_en(),
            "to a second round: 4 agree, 0 standing aside (at most 1 allowed), 1 block"
        );
        let consent = DecisionRule::Consent(ConsentRule { quorum: None });
        assert_eq!(
            evaluate(&consent, 1, &Tally { consent: 3, object: 2, ..Tally::default() }, 5, None).summary_en(),
            "blocked: 3 consent, 2 objections"
        );
        assert_eq!(evaluate(&vote("3/5", false, Base::Cast, None), 1, &vote_tally(3, 2, 0), 5, None).summary_en(), "passed: 3 of 5 votes cast, three-fifths needed");
        assert_eq!(evaluate(&vote("5/7", false, Base::Cast, None), 1, &vote_tally(3, 2, 0), 5, None).summary_en(), "failed: 3 of 5 votes cast, 5/7 needed");
    }

    // --- what it takes ------------------------------------------------------------------------

    #[test]
    fn votes_to_pass_by_hand() {
        let rule = vote("2/3", false, Base::Cast, None);
        // (2+k)/(4+k) >= 2/3 first at k = 2.
        assert_eq!(votes_to_pass(&rule, 1, &vote_tally(2, 2, 0), 10, 3), Some(2));
        assert_eq!(votes_to_pass(&rule, 1, &vote_tally(2, 2, 0), 10, 1), None);
        assert_eq!(votes_to_pass(&rule, 1, &vote_tally(4, 2, 0), 10, 0), Some(0));
        // A quorum can be what is missing.
        let q = vote("1/2", false, Base::Cast, Some("1/2"));
        assert_eq!(votes_to_pass(&q, 1, &vote_tally(1, 0, 0), 7, 6), Some(3));
        // A block cannot be outvoted in its round.
        let c = consensus(None, None, Some(vote("3/4", false, Base::Cast, None)));
        assert_eq!(votes_to_pass(&c, 1, &cons_tally(3, 0, 1), 7, 3), None);
        assert_eq!(votes_to_pass(&c, 1, &cons_tally(3, 0, 0), 7, 3), Some(0));
    }

    // --- choices ------------------------------------------------------------------------------

    #[test]
    fn choices_per_rule_and_round() {
        let v = vote("1/2", false, Base::Cast, None);
        let c = consensus(None, None, Some(vote("3/4", false, Base::Cast, None)));
        let plain = consensus(None, None, None);
        let consent = DecisionRule::Consent(ConsentRule { quorum: None });
        assert!(v.accepts(Choice::Abstain, 1) && !v.accepts(Choice::Agree, 1) && !v.accepts(Choice::Yes, 2));
        assert!(c.accepts(Choice::StandAside, 1) && !c.accepts(Choice::Yes, 1));
        assert!(c.accepts(Choice::Yes, 2) && !c.accepts(Choice::Block, 2));
        assert!(!plain.accepts(Choice::Yes, 2) && !plain.accepts(Choice::Agree, 2));
        assert!(consent.accepts(Choice::Object, 1) && !consent.accepts(Choice::No, 1));
        assert!(!v.accepts(Choice::Yes, 0));

        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.as_str()), Ok(c));
        }
        assert_eq!(Choice::parse("Stand-Aside"), Ok(Choice::StandAside));
        assert!(Choice::parse("maybe").is_err());
        let needing: Vec<_> = Choice::ALL.into_iter().filter(|c| c.needs_reason()).collect();
        assert_eq!(needing, [Choice::Block, Choice::Object]);

        assert_eq!(c.check_vote(Choice::Block, 1, Some("it breaks our pay policy")), Ok(()));
        assert_eq!(c.check_vote(Choice::Block, 1, Some("  ")), Err(VoteError::ReasonRequired(Choice::Block)));
        assert!(matches!(c.check_vote(Choice::Agree, 2, None), Err(VoteError::NotAllowed { kind: "vote", .. })));
        assert_eq!(plain.check_vote(Choice::Yes, 2, None), Err(VoteError::NoSuchRound { round: 2, rounds: 1 }));
        let msg = v.check_vote(Choice::StandAside, 1, None).unwrap_err().to_string();
        assert_eq!(msg, "stand_aside is not a choice in round 1, which is decided by vote (choose yes, no, abstain)");
    }

    #[test]
    fn tally_counts() {
        let mut t = Tally::from_choices([Choice::Yes, Choice::Yes, Choice::No, Choice::Abstain]);
        assert_eq!((t.yes, t.no, t.abstain, t.total_participation()), (2, 1, 1, 4));
        assert!(t.remove(Choice::Yes));
        t.add(Choice::No);
        assert_eq!((t.yes, t.no), (1, 2));
        assert!(!t.remove(Choice::Block));
        let v = vote("1/2", false, Base::Cast, None);
        assert_eq!(t.to_json_for(&v, 1), serde_json::json!({"yes": 1, "no": 2, "abstain": 1}));
        let back: Tally = serde_json::from_str(r#"{"yes":3}"#).unwrap();
        assert_eq!(back, vote_tally(3, 0, 0));
    }

    // --- rule JSON ----------------------------------------------------------------------------

    #[test]
    fn contract_json_round_trips_exactly() {
        for s in [
            r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#,
            r#"{"kind":"consensus","max_stand_asides":null,"quorum":"1/2","fallback":null}"#,
            r#"{"kind":"consensus","max_stand_asides":2,"quorum":null,"fallback":{"kind":"vote","threshold":"3/4","strict":false,"base":"cast_with_abstain","quorum":null}}"#,
            r#"{"kind":"consent","quorum":null}"#,
            r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"present","quorum":null}"#,
        ] {
            let rule = DecisionRule::parse_json(s).unwrap();
            assert_eq!(rule.to_json(), s);
            assert_eq!(serde_json::from_str::<DecisionRule>(s).unwrap(), rule);
        }
        let short = DecisionRule::parse_json(r#"{"kind":"vote","threshold":"2/3","base":"eligible"}"#).unwrap();
        assert_eq!(short.to_json(), r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"eligible","quorum":null}"#);
        let fb = DecisionRule::parse_json(r#"{"kind":"consensus","fallback":{"threshold":"3/4","base":"cast"}}"#).unwrap();
        assert_eq!(fb.rounds(), 2);
    }

    #[test]
    fn bad_rules_name_the_field() {
        let field = |s: &str| DecisionRule::parse_json(s).unwrap_err().field().map(str::to_string);
        let err = |s: &str| DecisionRule::parse_json(s).unwrap_err();
        assert!(matches!(err("{"), RuleError::NotJson(_)));
        assert_eq!(field("[]").as_deref(), Some("rule"));
        assert_eq!(field(r#"{"threshold":"2/3"}"#).as_deref(), Some("kind"));
        assert_eq!(field(r#"{"kind":"majority"}"#).as_deref(), Some("kind"));
        assert_eq!(field(r#"{"kind":"vote","base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"2/3"}"#).as_deref(), Some("base"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"3/2","base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"2/0","base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":0.66,"base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"0/1","base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"1/1","strict":true,"base":"cast"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"2/3","base":"all"}"#).as_deref(), Some("base"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"2/3","base":"cast","strict":"yes"}"#).as_deref(), Some("strict"));
        assert_eq!(field(r#"{"kind":"vote","threshold":"2/3","base":"cast","quorum":"x"}"#).as_deref(), Some("quorum"));
        assert_eq!(field(r#"{"kind":"consensus","max_stand_asides":-1}"#).as_deref(), Some("max_stand_asides"));
        assert_eq!(field(r#"{"kind":"consent","quorum":null,"threshold":"1/2"}"#).as_deref(), Some("threshold"));
        assert_eq!(field(r#"{"kind":"consensus","fallback":{"threshold":"3/2","base":"cast"}}"#).as_deref(), Some("fallback.threshold"));
        assert_eq!(field(r#"{"kind":"consensus","fallback":{"treshold":"2/3","base":"cast"}}"#).as_deref(), Some("fallback.treshold"));
        assert_eq!(field(r#"{"kind":"consensus","fallback":"vote"}"#).as_deref(), Some("fallback"));
        assert_eq!(
            err(r#"{"kind":"consensus","fallback":{"kind":"consent","quorum":null}}"#),
            RuleError::FallbackNotVote { kind: "consent".into() }
        );
        let msg = err(r#"{"kind":"vote","treshold":"2/3","base":"cast"}"#).to_string();
        assert_eq!(msg, "treshold is not a field of a vote rule (its fields are kind, threshold, strict, base, quorum)");
        let msg = err(r#"{"kind":"vote","threshold":"3/2","base":"cast"}"#).to_string();
        assert!(msg.starts_with("threshold: \"3/2\" is more than the whole"), "{msg}");
        assert!(serde_json::from_str::<DecisionRule>(r#"{"kind":"vote"}"#).unwrap_err().to_string().contains("threshold is missing"));
    }

    // --- properties ---------------------------------------------------------------------------

    fn ratio_strategy() -> impl Strategy<Value = Ratio> {
        (1u32..=12).prop_flat_map(|d| (0..=d, Just(d))).prop_map(|(n, d)| Ratio::new(n, d).unwrap())
    }

    fn vote_rule_strategy() -> impl Strategy<Value = VoteRule> {
        let base = prop::sample::select(Base::ALL.to_vec());
        (ratio_strategy(), any::<bool>(), base, prop::option::of(ratio_strategy())).prop_map(|(threshold, strict, base, quorum)| {
            // Keep to rules that parse: no "0 without strict", no "more than all".
            let strict = if threshold.num() == 0 { true } else if threshold.num() == threshold.den() { false } else { strict };
            VoteRule { threshold, strict, base, quorum }
        })
    }

    fn rule_strategy() -> impl Strategy<Value = DecisionRule> {
        prop_oneof![
            vote_rule_strategy().prop_map(DecisionRule::Vote),
            (prop::option::of(0u32..4), prop::option::of(ratio_strategy()), prop::option::of(vote_rule_strategy()))
                .prop_map(|(max_stand_asides, quorum, fallback)| DecisionRule::Consensus(ConsensusRule { max_stand_asides, quorum, fallback })),
            prop::option::of(ratio_strategy()).prop_map(|quorum| DecisionRule::Consent(ConsentRule { quorum })),
        ]
    }

    fn tally_strategy() -> impl Strategy<Value = Tally> {
        prop::array::uniform8(0u32..15).prop_map(|a| {
            let mut t = Tally::default();
            for (c, n) in Choice::ALL.into_iter().zip(a) {
                t.add_n(c, n);
            }
            t
        })
    }

    /// A case: rule, round, tally, eligible, present.
    fn case_strategy() -> impl Strategy<Value = (DecisionRule, u8, Tally, u32, Option<u32>)> {
        (rule_strategy(), 1u8..=2, tally_strategy(), 0u32..80, prop::option::of(0u32..80))
    }

    fn set_quorum(rule: &mut DecisionRule, round: u8, q: Ratio) {
        let round = rule.clamp_round(round);
        match rule {
            DecisionRule::Vote(v) => v.quorum = Some(q),
            DecisionRule::Consensus(c) if round == 2 => c.fallback.as_mut().unwrap().quorum = Some(q),
            DecisionRule::Consensus(c) => c.quorum = Some(q),
            DecisionRule::Consent(c) => c.quorum = Some(q),
        }
    }

    proptest! {
        #[test]
        fn ratio_text_round_trips(ratio in ratio_strategy()) {
            prop_assert_eq!(Ratio::parse(&ratio.to_string()), Ok(ratio));
        }

        #[test]
        fn ceil_and_comparisons_match_their_definitions(ratio in ratio_strategy(), n in 0u32..500, part in 0u64..500, whole in 1u64..500) {
            let c = ratio.ceil_of(n) as u64;
            let (num, den) = (ratio.num() as u64, ratio.den() as u64);
            prop_assert!(c * den >= num * n as u64);
            prop_assert!(c == 0 || (c - 1) * den < num * n as u64);
            // Against a brute-force search for the least part meeting the share.
            let least = |strict: bool| (0..=whole + 1).find(|&p| ratio.met_by(p, whole, strict)).unwrap();
            prop_assert_eq!(least(false), ratio.min_part(whole as u32, false));
            prop_assert_eq!(least(true), ratio.min_part(whole as u32, true));
            prop_assert_eq!(ratio.reached_by(part, whole), part * den >= num * whole);
            prop_assert_eq!(ratio.exceeded_by(part, whole), part * den > num * whole);
        }

        #[test]
        fn rule_json_round_trips(rule in rule_strategy()) {
            prop_assert_eq!(DecisionRule::parse_json(&rule.to_json()), Ok(rule));
        }

        #[test]
        fn an_extra_supporting_vote_never_turns_passed_into_failed((rule, round, tally, eligible, present) in case_strategy()) {
            let support = rule.stage(round).support();
            let before = evaluate(&rule, round, &tally, eligible, present);
            let after = evaluate(&rule, round, &tally.with(support, 1), eligible, present);
            if before.passed() {
                prop_assert!(after.passed(), "{:?} then {:?}", before, after);
            }
        }

        #[test]
        fn an_extra_opposing_vote_never_turns_failed_into_passed((rule, round, tally, eligible, present) in case_strategy()) {
            let stage = rule.stage(round);
            let before = evaluate(&rule, round, &tally, eligible, present);
            for &c in stage.choices().iter().filter(|&&c| c != stage.support()) {
                let after = evaluate(&rule, round, &tally.with(c, 1), eligible, present);
                if before.outcome == Outcome::Failed {
                    prop_assert!(!after.passed(), "adding {} to {:?} gave {:?}", c, before, after);
                }
            }
        }

        #[test]
        fn participation_below_quorum_is_always_no_quorum(
            (mut rule, round, _, eligible, _) in case_strategy(),
            q in ratio_strategy().prop_filter("a quorum above zero", |q| q.num() > 0),
            picks in prop::collection::vec(0usize..3, 0..80),
            present_short in 1u32..80,
        ) {
            prop_assume!(eligible > 0);
            set_quorum(&mut rule, round, q);
            let need = q.ceil_of(eligible);
            let choices = rule.stage(round).choices();
            let cast: Vec<Choice> = picks.iter().take(need as usize - 1).map(|&i| choices[i % choices.len()]).collect();
            let tally = Tally::from_choices(cast);
            prop_assert_eq!(evaluate(&rule, round, &tally, eligible, None).outcome, Outcome::NoQuorum);
            // At a meeting, too few present is no quorum whatever the hands say.
            let present = need.saturating_sub(present_short);
            let big = tally.with(choices[0], 100);
            prop_assert_eq!(evaluate(&rule, round, &big, eligible, Some(present)).outcome, Outcome::NoQuorum);
        }

        #[test]
        fn the_result_does_not_depend_on_vote_order(
            (rule, round, _, eligible, present) in case_strategy(),
            (picks, shuffled) in prop::collection::vec(0usize..3, 0..60).prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        ) {
            let choices = rule.stage(round).choices();
            let pick = |v: &[usize]| v.iter().map(|&i| choices[i % choices.len()]).collect::<Vec<_>>();
            let a = Tally::from_choices(pick(&picks));
            let b = Tally::from_choices(pick(&shuffled));
            prop_assert_eq!(evaluate(&rule, round, &a, eligible, present), evaluate(&rule, round, &b, eligible, present));
        }

        #[test]
        fn votes_to_pass_is_exact((rule, round, tally, eligible, _) in case_strategy(), remaining in 0u32..40) {
            let support = rule.stage(round).support();
            let passes = |k: u32| evaluate(&rule, round, &tally.with(support, k), eligible, None).passed();
            match votes_to_pass(&rule, round, &tally, eligible, remaining) {
                Some(k) => {
                    prop_assert!(k <= remaining);
                    prop_assert!(passes(k));
                    if k > 0 {
                        prop_assert!(!passes(k - 1));
                    }
                }
                None => prop_assert!((0..=remaining).all(|k| !passes(k))),
            }
        }
    }
}
