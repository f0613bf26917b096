//! Meetings and minutes, the legal record of the co-op's decisions.
//!
//! A meeting is scheduled (one-off or as a series in the co-op's time zone), gets an agenda
//! (items added by the record keeper or suggested by members, reordered, published), roles
//! (facilitator, note-taker, timekeeper, with a fair rotation suggested), attendance (which
//! drives the quorum of every decision taken there), notes per item, decisions (proposals
//! decided by a show of hands through the decisions use cases) and actions with an owner and
//! a due date. Its minutes go from draft to circulated to approved; approval (by the record
//! keeper, or by a proposal that passes) seals them in the journal, after which they change
//! only by appended, sealed errata. Exports: Markdown, printable HTML, PDF, iCalendar.

use crate::notify::Event;
use crate::{policy, Actor, App, AppError, Result};
use coop_core::decision::DecisionRule;
use coop_core::journal::sha256_hex;
use coop_core::meeting::{self as rules, CalEvent, MinutesAction, MinutesDoc, MinutesItem, MinutesStatus, Repeat, RoleTurn};
use coop_core::member::MemberState;
use coop_core::time::{instant_text, parse_instant};
use coop_store::decisions as dstore;
use coop_store::meetings::{self as store, MeetingRow, NewItem, NewMeeting};
use coop_store::members::MemberQuery;
use coop_store::WriteTx;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A meeting (or the first of a series) to schedule.
#[derive(Clone, Debug)]
pub struct MeetingInput {
    pub title: String,
    /// general, production, board or committee.
    pub kind: String,
    pub starts_at: Timestamp,
    pub minutes_long: i64,
    pub place: String,
    /// An online link (http or https).
    pub link: String,
    /// How it repeats; `None` for a one-off.
    pub repeat: Option<Repeat>,
    /// How many meetings a series has (with `repeat`).
    pub count: Option<usize>,
    /// The last local date of a series (with `repeat`).
    pub until: Option<Date>,
}

/// An agenda item to add.
#[derive(Clone, Debug, Default)]
pub struct ItemInput {
    pub title: String,
    pub notes: String,
    pub presenter_id: Option<i64>,
    /// The item's time box in minutes.
    pub minutes_box: Option<i64>,
    pub proposal_id: Option<i64>,
}

/// Attendance counts, as `meeting show --json` gives them.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct AttendanceCounts {
    pub present: u32,
    pub remote: u32,
    pub absent: u32,
    pub excused: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct AttendeeView {
    pub member_id: i64,
    pub name: String,
    pub email: String,
    pub attendance: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleView {
    pub role: String,
    pub member_id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub presenter_id: Option<i64>,
    pub presenter: Option<String>,
    pub minutes_box: Option<i64>,
    pub notes: String,
    pub proposal_id: Option<i64>,
    /// `agenda`, or `suggested` (waiting for the record keeper).
    pub state: String,
    pub suggested_by: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionView {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub item_id: Option<i64>,
    pub title: String,
    pub owner_id: i64,
    pub owner: String,
    pub owner_email: String,
    pub due: String,
    pub done: bool,
    pub done_at: Option<String>,
    /// Not done and due before today (in the co-op's time zone).
    pub overdue: bool,
}

/// A decision linked to the meeting, with its quorum as the attendance gives it now.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionQuorumView {
    pub proposal_id: i64,
    pub title: String,
    pub class: String,
    pub status: String,
    /// Whether it is decided at this meeting (by a show of hands) or only linked by an item.
    pub at_meeting: bool,
    /// The class's quorum, "num/den", or null for none.
    pub quorum: Option<String>,
    pub eligible: u32,
    /// ceil(quorum x eligible); 0 without a quorum.
    pub needed: u32,
    /// Members recorded present (remote counts).
    pub present: u32,
    pub met: bool,
    /// The outcome's summary once decided.
    pub summary: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErratumView {
    pub id: i64,
    pub text: String,
    pub by: String,
    pub at: String,
    pub sealed_hash: Option<String>,
}

/// A meeting as `meeting show --json` gives it (the contract's fields first).
#[derive(Clone, Debug, Serialize)]
pub struct MeetingView {
    pub id: i64,
    pub title: String,
    pub at: String,
    /// scheduled, held or approved.
    pub status: String,
    pub attendance: AttendanceCounts,
    pub items: Vec<ItemView>,
    pub actions: Vec<ActionView>,
    pub sealed_hash: Option<String>,
    pub kind: String,
    pub minutes_long: i64,
    pub ends_at: String,
    /// The start in the co-op's time zone, "2027-03-14 19:00 (America/New_York)".
    pub local_time: String,
    pub place: String,
    pub link: String,
    pub series_id: Option<i64>,
    pub repeat: Option<String>,
    pub agenda_published_at: Option<String>,
    /// draft, circulated or approved.
    pub minutes_status: String,
    pub approved_at: Option<String>,
    /// `record` (the record keeper) or `proposal:N`.
    pub approved_by: Option<String>,
    /// The journal head just before the minutes were sealed.
    pub journal_head_at_approval: Option<String>,
    pub roles: Vec<RoleView>,
    pub attendees: Vec<AttendeeView>,
    pub decisions: Vec<DecisionQuorumView>,
    pub errata: Vec<ErratumView>,
}

/// One meeting in a list.
#[derive(Clone, Debug, Serialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub at: String,
    pub local_time: String,
    pub minutes_long: i64,
    pub status: String,
    pub minutes_status: String,
    pub place: String,
    pub link: String,
}

/// A suggested holder of a role, by the rotation.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RoleSuggestion {
    pub role: String,
    pub member_id: i64,
    pub name: String,
    pub email: String,
}

/// The export formats of minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Html,
    Pdf,
    Ical,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<ExportFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "html" => Ok(ExportFormat::Html),
            "pdf" => Ok(ExportFormat::Pdf),
            "ics" | "ical" => Ok(ExportFormat::Ical),
            other => Err(AppError::invalid("format", format!("{other:?} is not an export format (md, html, pdf or ics)"))),
        }
    }

    /// The media type to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "text/markdown; charset=utf-8",
            ExportFormat::Html => "text/html; charset=utf-8",
            ExportFormat::Pdf => "application/pdf",
            ExportFormat::Ical => "text/calendar; charset=utf-8",
        }
    }
}

/// Names and emails by member id.
type People = HashMap<i64, (String, String)>;

fn text_field(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(AppError::invalid(field, format!("{field} has at most {max} characters")));
    }
    Ok(v.to_string())
}

fn title_field(value: &str) -> Result<String> {
    let t = value.trim();
    if t.is_empty() || t.chars().count() > 300 {
        return Err(AppError::invalid("title", "a title has 1 to 300 characters"));
    }
    Ok(t.to_string())
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("meeting {id}"))
}

fn sealed_refusal() -> AppError {
    AppError::Conflict("the minutes of this meeting are approved and sealed; add an erratum instead".into())
}

impl App {
    async fn people(&self, c: &mut coop_store::Conn) -> Result<People> {
        let today = self.today().await?.to_string();
        Ok(coop_store::members::list(c, &today, &MemberQuery::default()).await?.into_iter().map(|m| (m.id, (m.name, m.email))).collect())
    }

    async fn tz(&self) -> Result<jiff::tz::TimeZone> {
        Ok(self.settings().await?.tz())
    }

    /// A meeting that exists and whose minutes may still change.
    async fn editable_meeting(&self, tx: &mut WriteTx, meeting_id: i64) -> Result<MeetingRow> {
        let m = store::meeting(tx, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        if !MinutesStatus::parse(&m.minutes_status).map_err(AppError::Conflict)?.editable() {
            return Err(sealed_refusal());
        }
        Ok(m)
    }

    async fn existing_member(&self, tx: &mut WriteTx, field: &str, member_id: i64) -> Result<()> {
        let today = self.today().await?.to_string();
        self.member_row_in(tx, &today, member_id).await.map_err(|_| AppError::invalid(field, format!("there is no member {member_id}")))?;
        Ok(())
    }

    /// Schedules a meeting, or a series of them at the same local time in the co-op's time
    /// zone. Returns the ids, first meeting first.
    pub async fn schedule_meeting(&self, actor: &Actor, input: MeetingInput) -> Result<Vec<i64>> {
        policy::keep_record(actor)?;
        let title = title_field(&input.title)?;
        let kind = input.kind.trim().to_ascii_lowercase();
        if !rules::KINDS.contains(&kind.as_str()) {
            return Err(AppError::invalid("kind", format!("{kind:?} is not a kind of meeting (general, production, board or committee)")));
        }
        if !(5..=24 * 60).contains(&input.minutes_long) {
            return Err(AppError::invalid("minutes_long", "a meeting lasts 5 minutes to 24 hours"));
        }
        let place = text_field("place", &input.place, 500)?;
        let link = input.link.trim().to_string();
        if !link.is_empty() && !((link.starts_with("https://") || link.starts_with("http://")) && link.len() <= 2000 && !link.contains(char::is_whitespace)) {
            return Err(AppError::invalid("link", format!("{link:?} is not a web link (write it like https://meet.example.org/general)")));
        }
        let starts = match input.repeat {
            None => {
                if input.count.is_some() || input.until.is_some() {
                    return Err(AppError::invalid("repeat", "--count and --until need --repeat"));
                }
                vec![input.starts_at]
            }
            Some(r) => rules::occurrences(input.starts_at, &self.tz().await?, r, input.count, input.until).map_err(|e| AppError::invalid("repeat", e))?,
        };
        let repeat = input.repeat.map(Repeat::text);
        let now = self.now_text();
        let mut tx = self.store.begin_write().await?;
        let mut ids = Vec::with_capacity(starts.len());
        for start in &starts {
            let id = store::insert_meeting(
                &mut tx,
                &NewMeeting {
                    title: &title,
                    kind: &kind,
                    starts_at: &instant_text(*start),
                    minutes_long: input.minutes_long,
                    place: &place,
                    link: &link,
                    series_id: ids.first().copied(),
                    repeat_rule: repeat.as_deref(),
                    created_at: &now,
                },
            )
            .await?;
            if repeat.is_some() && ids.is_empty() {
                store::set_series(&mut tx, id, id).await?;
            }
            ids.push(id);
        }
        self.journal(
            &mut tx,
            actor,
            "meeting.new",
            &format!("meeting:{}", ids[0]),
            json!({"title": title, "kind": kind, "at": instant_text(starts[0]), "minutes_long": input.minutes_long, "place": place, "link": link,
                   "repeat": repeat, "meetings": ids}),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Schedules a one-off meeting (the short form the decisions area uses).
    pub async fn new_meeting(&self, actor: &Actor, title: &str, kind: &str, starts_at: Timestamp, minutes_long: i64) -> Result<i64> {
        let input = MeetingInput {
            title: title.to_string(),
            kind: kind.to_string(),
            starts_at,
            minutes_long,
            place: String::new(),
            link: String::new(),
            repeat: None,
            count: None,
            until: None,
        };
        Ok(self.schedule_meeting(actor, input).await?[0])
    }

    /// Records a member's attendance (present, remote, absent, excused); remote counts as
    /// present. A later record for the same member replaces the earlier. Refused once the
    /// minutes are approved.
    pub async fn attend(&self, actor: &Actor, meeting_id: i64, member_id: i64, attendance: &str) -> Result<()> {
        policy::keep_record(actor)?;
        if !rules::ATTENDANCE.contains(&attendance) {
            return Err(AppError::invalid("as", format!("{attendance:?} is not an attendance (present, remote, absent or excused)")));
        }
        let today = self.today().await?.to_string();
        let mut tx = self.store.begin_write().await?;
        self.editable_meeting(&mut tx, meeting_id).await?;
        self.member_row_in(&mut tx, &today, member_id).await?;
        dstore::set_attendance(&mut tx, meeting_id, member_id, attendance).await?;
        store::mark_held(&mut tx, meeting_id).await?;
        self.journal(&mut tx, actor, "meeting.attend", &format!("meeting:{meeting_id}"), json!({"member": member_id, "as": attendance})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `(present, remote, absent, excused)` counts of a meeting.
    pub async fn attendance_counts(&self, actor: &Actor, meeting_id: i64) -> Result<[u32; 4]> {
        policy::view_meetings(actor)?;
        let mut c = self.store.read().await?;
        store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        let counts = count_attendance(&dstore::attendance(&mut c, meeting_id).await?);
        Ok([counts.present, counts.remote, counts.absent, counts.excused])
    }

    /// Adds an item to the agenda (the record keeper), at the end.
    pub async fn add_item(&self, actor: &Actor, meeting_id: i64, input: ItemInput) -> Result<i64> {
        policy::keep_record(actor)?;
        self.insert_item(actor, meeting_id, input, "agenda", None).await
    }

    /// A member suggests an item; it waits for the record keeper to put it on the agenda.
    pub async fn suggest_item(&self, actor: &Actor, meeting_id: i64, title: &str, notes: &str) -> Result<i64> {
        policy::suggest_agenda_item(actor)?;
        let input = ItemInput { title: title.to_string(), notes: notes.to_string(), ..ItemInput::default() };
        self.insert_item(actor, meeting_id, input, "suggested", actor.member_id()).await
    }

    async fn insert_item(&self, actor: &Actor, meeting_id: i64, input: ItemInput, state: &str, suggested_by: Option<i64>) -> Result<i64> {
        let title = title_field(&input.title)?;
        let notes = text_field("notes", &input.notes, 100_000)?;
        if let Some(m) = input.minutes_box {
            if !(1..=24 * 60).contains(&m) {
                return Err(AppError::invalid("minutes", "an item's time box is 1 minute to 24 hours"));
            }
        }
        let mut tx = self.store.begin_write().await?;
        self.editable_meeting(&mut tx, meeting_id).await?;
        if let Some(p) = input.presenter_id {
            self.existing_member(&mut tx, "presenter", p).await?;
        }
        if let Some(pid) = input.proposal_id {
            dstore::proposal(&mut tx, pid).await?.ok_or_else(|| AppError::invalid("proposal", format!("there is no proposal {pid}")))?;
        }
        let id = store::insert_item(
            &mut tx,
            &NewItem {
                meeting_id,
                title: &title,
                presenter_id: input.presenter_id,
                minutes_box: input.minutes_box,
                notes: &notes,
                proposal_id: input.proposal_id,
                state,
                suggested_by,
                created_at: &self.now_text(),
            },
        )
        .await?;
        if !notes.is_empty() {
            store::mark_held(&mut tx, meeting_id).await?;
        }
        let action = if state == "agenda" { "meeting.item" } else { "meeting.suggest_item" };
        self.journal(&mut tx, actor, action, &format!("meeting:{meeting_id}"), json!({"item": id, "title": title, "proposal": input.proposal_id})).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts a suggested item on the agenda.
    pub async fn accept_item(&self, actor: &Actor, item_id: i64) -> Result<()> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let item = store::item(&mut tx, item_id).await?.ok_or_else(|| AppError::NotFound(format!("agenda item {item_id}")))?;
        self.editable_meeting(&mut tx, item.meeting_id).await?;
        if item.state == "agenda" {
            return Err(AppError::Conflict(format!("item {item_id} is already on the agenda")));
        }
        store::set_item_state(&mut tx, item_id, "agenda").await?;
        self.journal(&mut tx, actor, "meeting.accept_item", &format!("meeting:{}", item.meeting_id), json!({"item": item_id})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the agenda in the order given: every item of the meeting exactly once.
    pub async fn reorder_agenda(&self, actor: &Actor, meeting_id: i64, order: &[i64]) -> Result<()> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        self.editable_meeting(&mut tx, meeting_id).await?;
        let items = store::items(&mut tx, meeting_id).await?;
        let mut have: Vec<i64> = items.iter().map(|i| i.id).collect();
        let mut want = order.to_vec();
        have.sort_unstable();
        want.sort_unstable();
        if have != want {
            return Err(AppError::invalid("order", format!("give every item of meeting {meeting_id} exactly once (its items are {have:?})")));
        }
        for (pos, id) in order.iter().enumerate() {
            store::set_item_position(&mut tx, *id, pos as i64 + 1).await?;
        }
        self.journal(&mut tx, actor, "meeting.reorder", &format!("meeting:{meeting_id}"), json!({"order": order})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes the agenda to members (again, after changes).
    pub async fn publish_agenda(&self, actor: &Actor, meeting_id: i64) -> Result<()> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let m = self.editable_meeting(&mut tx, meeting_id).await?;
        let items = store::items(&mut tx, meeting_id).await?;
        if !items.iter().any(|i| i.state == "agenda") {
            return Err(AppError::Conflict("the agenda has no items yet: add one before publishing".into()));
        }
        store::publish_agenda(&mut tx, meeting_id, &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "meeting.publish_agenda",
            &format!("meeting:{meeting_id}"),
            json!({"items": items.iter().filter(|i| i.state == "agenda").count()}),
        )
        .await?;
        tx.commit().await?;
        self.notifier.notify(&Event::AgendaPublished { meeting_id, title: m.title, starts_at: m.starts_at });
        Ok(())
    }

    /// Writes the notes of an item (replacing them): the record keeper or the meeting's note-taker.
    pub async fn set_notes(&self, actor: &Actor, item_id: i64, notes: &str) -> Result<()> {
        let notes = text_field("notes", notes, 100_000)?;
        let mut tx = self.store.begin_write().await?;
        let item = store::item(&mut tx, item_id).await?.ok_or_else(|| AppError::NotFound(format!("agenda item {item_id}")))?;
        let note_taker = store::roles(&mut tx, item.meeting_id).await?.into_iter().find(|(r, _)| r == "note_taker").map(|(_, m)| m);
        policy::take_notes(actor, note_taker)?;
        self.editable_meeting(&mut tx, item.meeting_id).await?;
        store::set_item_notes(&mut tx, item_id, &notes).await?;
        store::mark_held(&mut tx, item.meeting_id).await?;
        self.journal(
            &mut tx,
            actor,
            "meeting.notes",
            &format!("meeting:{}", item.meeting_id),
            json!({"item": item_id, "notes_sha256": sha256_hex(notes.as_bytes())}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a role (facilitator, note_taker, timekeeper) at a meeting to a member.
    pub async fn set_role(&self, actor: &Actor, meeting_id: i64, role: &str, member_id: i64) -> Result<()> {
        policy::keep_record(actor)?;
        let role = role.trim().to_ascii_lowercase().replace('-', "_");
        if !rules::ROLES.contains(&role.as_str()) {
            return Err(AppError::invalid("role", format!("{role:?} is not a meeting role (facilitator, note-taker or timekeeper)")));
        }
        let mut tx = self.store.begin_write().await?;
        self.editable_meeting(&mut tx, meeting_id).await?;
        self.existing_member(&mut tx, "member", member_id).await?;
        store::set_role(&mut tx, meeting_id, &role, member_id).await?;
        self.journal(&mut tx, actor, "meeting.role", &format!("meeting:{meeting_id}"), json!({"role": role, "member": member_id})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who should take each role at this meeting: among members (state `member` today), the
    /// one who held it least recently at an earlier meeting.
    pub async fn suggest_roles(&self, actor: &Actor, meeting_id: i64) -> Result<Vec<RoleSuggestion>> {
        policy::view_meetings(actor)?;
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        let m = store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        let members = coop_store::members::list(&mut c, &today, &MemberQuery { state: Some(MemberState::Member), ..MemberQuery::default() }).await?;
        let history: Vec<RoleTurn> =
            store::role_history(&mut c, &m.starts_at).await?.into_iter().map(|(role, member_id, at)| RoleTurn { role, member_id, at }).collect();
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        Ok(rules::suggest_rotation(&ids, &history)
            .into_iter()
            .filter_map(|(role, id)| {
                members.iter().find(|m| m.id == id).map(|m| RoleSuggestion { role, member_id: id, name: m.name.clone(), email: m.email.clone() })
            })
            .collect())
    }

    /// Records an action agreed at the meeting, with an owner and a due date.
    pub async fn add_action(&self, actor: &Actor, meeting_id: i64, title: &str, owner_id: i64, due: Date, item_id: Option<i64>) -> Result<i64> {
        policy::keep_record(actor)?;
        let title = title_field(title)?;
        let mut tx = self.store.begin_write().await?;
        self.editable_meeting(&mut tx, meeting_id).await?;
        self.existing_member(&mut tx, "owner", owner_id).await?;
        if let Some(iid) = item_id {
            match store::item(&mut tx, iid).await? {
                Some(i) if i.meeting_id == meeting_id => {}
                _ => return Err(AppError::invalid("item", format!("meeting {meeting_id} has no item {iid}"))),
            }
        }
        let id = store::insert_action(&mut tx, meeting_id, item_id, &title, owner_id, &due.to_string(), &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "meeting.action",
            &format!("meeting:{meeting_id}"),
            json!({"action": id, "title": title, "owner": owner_id, "due": due.to_string()}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks an action done (or not done again): its owner or the record keeper. Allowed after
    /// the minutes are sealed: doing the work is not part of the record of the meeting.
    pub async fn set_action_done(&self, actor: &Actor, action_id: i64, done: bool) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let a = store::action(&mut tx, action_id).await?.ok_or_else(|| AppError::NotFound(format!("action {action_id}")))?;
        policy::complete_action(actor, a.owner_id)?;
        if a.done_at.is_some() == done {
            return Err(AppError::Conflict(format!("action {action_id} is already {}", if done { "done" } else { "open" })));
        }
        let now = self.now_text();
        store::set_action_done(&mut tx, action_id, done.then_some(now.as_str())).await?;
        self.journal(&mut tx, actor, "meeting.action_done", &format!("meeting:{}", a.meeting_id), json!({"action": action_id, "done": done})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open actions across meetings, soonest due first; only `owner`'s when given. Overdue
    /// ones are flagged (due before today in the co-op's time zone).
    pub async fn open_actions(&self, actor: &Actor, owner: Option<i64>) -> Result<Vec<ActionView>> {
        policy::view_meetings(actor)?;
        let today = self.today().await?;
        let mut c = self.store.read().await?;
        let people = self.people(&mut c).await?;
        let rows = store::open_actions(&mut c, owner).await?;
        let mut titles: HashMap<i64, String> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for a in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = titles.entry(a.meeting_id) {
                e.insert(store::meeting(&mut c, a.meeting_id).await?.map(|m| m.title).unwrap_or_default());
            }
            out.push(action_view(a, &people, &titles, today));
        }
        Ok(out)
    }

    /// Sends the draft minutes round for reading before approval.
    pub async fn circulate_minutes(&self, actor: &Actor, meeting_id: i64) -> Result<()> {
        let title = self.move_minutes(actor, meeting_id, MinutesStatus::Circulated, "meeting.circulate").await?;
        self.notifier.notify(&Event::MinutesCirculated { meeting_id, title });
        Ok(())
    }

    /// Takes circulated minutes back to draft for corrections.
    pub async fn reopen_minutes(&self, actor: &Actor, meeting_id: i64) -> Result<()> {
        self.move_minutes(actor, meeting_id, MinutesStatus::Draft, "meeting.reopen").await?;
        Ok(())
    }

    /// Moves the minutes to `to`; returns the meeting's title.
    async fn move_minutes(&self, actor: &Actor, meeting_id: i64, to: MinutesStatus, action: &str) -> Result<String> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let m = store::meeting(&mut tx, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        let next = MinutesStatus::parse(&m.minutes_status).map_err(AppError::Conflict)?.transition(to).map_err(AppError::Conflict)?;
        store::set_minutes_status(&mut tx, meeting_id, next.as_str()).await?;
        self.journal(&mut tx, actor, action, &format!("meeting:{meeting_id}"), json!({"minutes": next.as_str()})).await?;
        tx.commit().await?;
        Ok(m.title)
    }

    /// Approves the minutes as the record keeper (e.g. after the meeting approved them by
    /// consent): they are sealed in the journal and afterwards change only by errata.
    pub async fn approve_minutes(&self, actor: &Actor, meeting_id: i64) -> Result<MeetingView> {
        policy::keep_record(actor)?;
        let mut tx = self.store.begin_write().await?;
        let sealed_hash = self.approve_minutes_in(&mut tx, actor, meeting_id, "record").await?;
        tx.commit().await?;
        let view = self.meeting(actor, meeting_id).await?;
        self.notifier.notify(&Event::MinutesApproved { meeting_id, title: view.title.clone(), sealed_hash });
        Ok(view)
    }

    /// Approval inside a transaction: by the record keeper (`by` = "record") or by a passed
    /// proposal (`by` = "proposal:N", from the decisions' `conclude`).
    pub(crate) async fn approve_minutes_in(&self, tx: &mut WriteTx, actor: &Actor, meeting_id: i64, by: &str) -> Result<String> {
        let m = store::meeting(tx, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        MinutesStatus::parse(&m.minutes_status).map_err(AppError::Conflict)?.transition(MinutesStatus::Approved).map_err(AppError::Conflict)?;
        let open: Vec<i64> = store::meeting_proposals(tx, meeting_id).await?.into_iter().filter(|p| p.2 == "open").map(|p| p.0).collect();
        if !open.is_empty() {
            return Err(AppError::Conflict(format!(
                "proposals {open:?} are still open at this meeting: count them (coop proposal count) before approving the minutes"
            )));
        }
        let now = self.now_text();
        let (_, head) = coop_store::journal::head(tx).await?;
        store::approve(tx, meeting_id, &now, by, &head).await?;
        self.journal(tx, actor, "meeting.approve", &format!("meeting:{meeting_id}"), json!({"by": by, "journal_head": head})).await?;
        let content = store::minutes_content(tx, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        Ok(coop_store::journal::seal(tx, &now, &actor.journal_name(), store::MINUTES_RECORD_KIND, &meeting_id.to_string(), &content).await?)
    }

    /// Called by the decisions' `conclude` for a passed proposal that amends `"minutes"`.
    pub(crate) async fn approve_minutes_by_decision(&self, tx: &mut WriteTx, actor: &Actor, amendment: &Value, proposal_id: i64) -> Result<()> {
        let meeting_id = amendment.get("meeting_id").and_then(Value::as_i64).ok_or_else(|| AppError::Conflict("stored amendment names no meeting".into()))?;
        self.approve_minutes_in(tx, actor, meeting_id, &format!("proposal:{proposal_id}")).await?;
        Ok(())
    }

    /// Opens a proposal to approve a meeting's minutes under `class`; decided at
    /// `at_meeting` by a show of hands (usually the next meeting), or by a vote otherwise.
    /// The minutes are approved and sealed when it passes.
    pub async fn propose_minutes_approval(
        &self,
        actor: &Actor,
        meeting_id: i64,
        class: &str,
        at_meeting: Option<i64>,
        closes_at: Option<Timestamp>,
    ) -> Result<crate::decisions::ProposalView> {
        policy::keep_record(actor)?;
        let m = {
            let mut c = self.store.read().await?;
            store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?
        };
        if m.minutes_status == "approved" {
            return Err(sealed_refusal());
        }
        if at_meeting == Some(meeting_id) {
            return Err(AppError::invalid("meeting", "a meeting's minutes are approved at a later meeting, not at itself"));
        }
        let local = self.local_text(&m.starts_at).await?;
        self.open_proposal(
            actor,
            crate::decisions::ProposalInput {
                class: class.to_string(),
                title: format!("Approve the minutes of {} ({local})", m.title),
                body: format!("Approve the minutes of meeting {meeting_id}, {} on {local}, as circulated.", m.title),
                closes_at,
                secret: false,
                meeting_id: at_meeting,
            },
            Some(json!({"amends": "minutes", "meeting_id": meeting_id})),
        )
        .await
    }

    /// Appends an erratum to approved minutes; the original stays as sealed and the erratum
    /// is sealed on its own.
    pub async fn add_erratum(&self, actor: &Actor, meeting_id: i64, text: &str) -> Result<i64> {
        policy::keep_record(actor)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 10_000 {
            return Err(AppError::invalid("text", "an erratum has 1 to 10000 characters"));
        }
        let mut tx = self.store.begin_write().await?;
        let m = store::meeting(&mut tx, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        if m.minutes_status != "approved" {
            return Err(AppError::Conflict("the minutes are not approved yet: correct them directly".into()));
        }
        let now = self.now_text();
        let id = store::insert_erratum(&mut tx, meeting_id, text, &actor.journal_name(), &now).await?;
        self.journal(&mut tx, actor, "meeting.erratum", &format!("meeting:{meeting_id}"), json!({"erratum": id})).await?;
        let content = store::erratum_content(&mut tx, id).await?.ok_or_else(|| AppError::NotFound(format!("erratum {id}")))?;
        coop_store::journal::seal(&mut tx, &now, &actor.journal_name(), store::ERRATUM_RECORD_KIND, &id.to_string(), &content).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn local_text(&self, instant: &str) -> Result<String> {
        let settings = self.settings().await?;
        let ts = parse_instant(instant).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e)))?;
        Ok(format!("{} ({})", ts.to_zoned(settings.tz()).strftime("%Y-%m-%d %H:%M"), settings.timezone))
    }

    /// Meetings starting in `[from, to)` (either bound may be open), soonest first.
    pub async fn meetings(&self, actor: &Actor, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<Vec<MeetingSummary>> {
        policy::view_meetings(actor)?;
        let rows = {
            let mut c = self.store.read().await?;
            store::meetings_between(&mut c, from.map(instant_text).as_deref(), to.map(instant_text).as_deref()).await?
        };
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            out.push(MeetingSummary {
                local_time: self.local_text(&m.starts_at).await?,
                id: m.id,
                title: m.title,
                kind: m.kind,
                at: m.starts_at,
                minutes_long: m.minutes_long,
                status: m.status,
                minutes_status: m.minutes_status,
                place: m.place,
                link: m.link,
            });
        }
        Ok(out)
    }

    /// One meeting with its agenda, roles, attendance, decisions with their live quorum,
    /// actions, approval and errata.
    pub async fn meeting(&self, actor: &Actor, meeting_id: i64) -> Result<MeetingView> {
        policy::view_meetings(actor)?;
        let today = self.today().await?;
        let local_time = {
            let mut c = self.store.read().await?;
            let m = store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
            m.starts_at
        };
        let local_time = self.local_text(&local_time).await?;
        let mut c = self.store.read().await?;
        let m = store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?;
        let people = self.people(&mut c).await?;
        let who = |id: i64| people.get(&id).cloned().unwrap_or_else(|| (format!("member {id}"), String::new()));
        let attendance = dstore::attendance(&mut c, meeting_id).await?;
        let counts = count_attendance(&attendance);
        let present = counts.present + counts.remote;
        let items = store::items(&mut c, meeting_id).await?;
        let titles: HashMap<i64, String> = [(m.id, m.title.clone())].into_iter().collect();
        let actions = store::actions(&mut c, meeting_id).await?.into_iter().map(|a| action_view(a, &people, &titles, today)).collect();
        // Decisions: those taken at this meeting, then those only linked by an item.
        let mut proposal_ids: Vec<(i64, bool)> = store::meeting_proposals(&mut c, meeting_id).await?.into_iter().map(|p| (p.0, true)).collect();
        for i in &items {
            if let Some(pid) = i.proposal_id {
                if !proposal_ids.iter().any(|(p, _)| *p == pid) {
                    proposal_ids.push((pid, false));
                }
            }
        }
        let mut decisions = Vec::new();
        for (pid, at_meeting) in proposal_ids {
            let Some(p) = dstore::proposal(&mut c, pid).await? else { continue };
            let Some((class, version)) = dstore::class_version(&mut c, p.class_version_id).await? else { continue };
            let rule =
                DecisionRule::parse_json(&version.rule_json).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(format!("stored rule: {e}"))))?;
            let eligible = dstore::eligible_count(&mut c, pid).await?;
            let quorum = rule.quorum(p.round as u8);
            let needed = quorum.map(|q| q.ceil_of(eligible)).unwrap_or(0);
            let summary = p
                .outcome_json
                .as_deref()
                .and_then(|o| serde_json::from_str::<Value>(o).ok())
                .and_then(|o| o.get("summary").and_then(Value::as_str).map(str::to_string));
            decisions.push(DecisionQuorumView {
                proposal_id: pid,
                title: p.title,
                class,
                status: p.status,
                at_meeting,
                quorum: quorum.map(|q| format!("{}/{}", q.num(), q.den())),
                eligible,
                needed,
                present,
                met: present >= needed,
                summary,
            });
        }
        let mut errata = Vec::new();
        for (id, text, by, at) in store::errata(&mut c, meeting_id).await? {
            let sealed_hash = coop_store::journal::sealed_hash(&mut c, store::ERRATUM_RECORD_KIND, &id.to_string()).await?;
            errata.push(ErratumView { id, text, by, at, sealed_hash });
        }
        let sealed_hash = coop_store::journal::sealed_hash(&mut c, store::MINUTES_RECORD_KIND, &meeting_id.to_string()).await?;
        let roles = store::roles(&mut c, meeting_id)
            .await?
            .into_iter()
            .map(|(role, member_id)| {
                let (name, email) = who(member_id);
                RoleView { role, member_id, name, email }
            })
            .collect();
        let attendees = attendance
            .iter()
            .map(|(id, a)| {
                let (name, email) = who(*id);
                AttendeeView { member_id: *id, name, email, attendance: a.clone() }
            })
            .collect();
        let items = items
            .into_iter()
            .map(|i| ItemView {
                presenter: i.presenter_id.map(|p| who(p).0),
                id: i.id,
                position: i.position,
                title: i.title,
                presenter_id: i.presenter_id,
                minutes_box: i.minutes_box,
                notes: i.notes,
                proposal_id: i.proposal_id,
                state: i.state,
                suggested_by: i.suggested_by,
            })
            .collect();
        let ends_at =
            parse_instant(&m.starts_at).ok().and_then(|s| s.checked_add(SignedDuration::from_mins(m.minutes_long)).ok()).map(instant_text).unwrap_or_default();
        Ok(MeetingView {
            id: m.id,
            title: m.title,
            at: m.starts_at,
            status: m.status,
            attendance: counts,
            items,
            actions,
            sealed_hash,
            kind: m.kind,
            minutes_long: m.minutes_long,
            ends_at,
            local_time,
            place: m.place,
            link: m.link,
            series_id: m.series_id,
            repeat: m.repeat_rule,
            agenda_published_at: m.agenda_published_at,
            minutes_status: m.minutes_status,
            approved_at: m.approved_at,
            approved_by: m.approved_by,
            journal_head_at_approval: m.approval_head,
            roles,
            attendees,
            decisions,
            errata,
        })
    }

    /// The minutes as one document, for every export.
    pub async fn minutes_doc(&self, actor: &Actor, meeting_id: i64) -> Result<MinutesDoc> {
        let v = self.meeting(actor, meeting_id).await?;
        let coop = self.settings().await?.name;
        let decision_line = |d: &DecisionQuorumView| {
            let outcome = d.summary.clone().unwrap_or_else(|| d.status.clone());
            format!("#{} {} ({}): {}", d.proposal_id, d.title, d.class, outcome)
        };
        let agenda: Vec<&ItemView> = v.items.iter().filter(|i| i.state == "agenda").collect();
        let items = agenda
            .iter()
            .map(|i| MinutesItem {
                title: i.title.clone(),
                presenter: i.presenter.clone(),
                minutes_box: i.minutes_box,
                notes: i.notes.clone(),
                decisions: v.decisions.iter().filter(|d| Some(d.proposal_id) == i.proposal_id).map(decision_line).collect(),
            })
            .collect();
        let other_decisions =
            v.decisions.iter().filter(|d| d.at_meeting && !agenda.iter().any(|i| i.proposal_id == Some(d.proposal_id))).map(decision_line).collect();
        let attendance =
            rules::ATTENDANCE.iter().map(|a| (a.to_string(), v.attendees.iter().filter(|x| x.attendance == *a).map(|x| x.name.clone()).collect())).collect();
        Ok(MinutesDoc {
            coop,
            title: v.title.clone(),
            kind: v.kind.clone(),
            when: v.local_time.clone(),
            minutes_long: v.minutes_long,
            place: v.place.clone(),
            link: v.link.clone(),
            status: v.minutes_status.clone(),
            roles: v.roles.iter().map(|r| (r.role.clone(), r.name.clone())).collect(),
            attendance,
            items,
            other_decisions,
            actions: v.actions.iter().map(|a| MinutesAction { title: a.title.clone(), owner: a.owner.clone(), due: a.due.clone(), done: a.done }).collect(),
            sealed_hash: v.sealed_hash.clone(),
            journal_head: v.journal_head_at_approval.clone(),
            approved_at: v.approved_at.clone(),
            errata: v.errata.iter().map(|e| (e.at.clone(), e.text.clone())).collect(),
        })
    }

    /// A meeting exported as Markdown, printable HTML, PDF, or an iCalendar event.
    pub async fn export_meeting(&self, actor: &Actor, meeting_id: i64, format: ExportFormat) -> Result<Vec<u8>> {
        match format {
            ExportFormat::Ical => {
                policy::view_meetings(actor)?;
                let settings = self.settings().await?;
                let m = {
                    let mut c = self.store.read().await?;
                    store::meeting(&mut c, meeting_id).await?.ok_or_else(|| not_found(meeting_id))?
                };
                let event = meeting_event(&m, &settings.name)?;
                Ok(rules::ical(&settings.name, self.clock.now(), &[event]).into_bytes())
            }
            other => {
                let doc = self.minutes_doc(actor, meeting_id).await?;
                Ok(match other {
                    ExportFormat::Markdown => doc.to_markdown().into_bytes(),
                    ExportFormat::Html => doc.to_html().into_bytes(),
                    _ => doc.to_pdf(),
                })
            }
        }
    }

    /// The co-op's calendar: every meeting from a year ago on, and the deadlines of open
    /// proposals (for `member`, only those they may vote on).
    pub async fn calendar(&self, actor: &Actor, member: Option<i64>) -> Result<String> {
        policy::view_meetings(actor)?;
        self.calendar_text(member).await
    }

    async fn calendar_text(&self, member: Option<i64>) -> Result<String> {
        let settings = self.settings().await?;
        let since = self.clock.now().checked_sub(SignedDuration::from_hours(366 * 24)).unwrap_or(self.clock.now());
        let mut c = self.store.read().await?;
        let mut events = Vec::new();
        for m in store::meetings_between(&mut c, Some(&instant_text(since)), None).await? {
            events.push(meeting_event(&m, &settings.name)?);
        }
        for (pid, title, closes_at) in store::open_deadlines(&mut c).await? {
            if let Some(mid) = member {
                if !dstore::is_eligible(&mut c, pid, mid).await? {
                    continue;
                }
            }
            let end = parse_instant(&closes_at).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e)))?;
            let start = end.checked_sub(SignedDuration::from_mins(30)).unwrap_or(end);
            events.push(CalEvent {
                uid: format!("proposal-{pid}@{}", uid_domain(&settings.name)),
                start,
                end,
                summary: format!("Voting closes: {title}"),
                description: format!("Proposal {pid} closes at {}.", instant_text(end)),
                location: String::new(),
                url: String::new(),
            });
        }
        let name = match member {
            Some(_) => format!("{}: my meetings and deadlines", settings.name),
            None => settings.name.clone(),
        };
        Ok(rules::ical(&name, self.clock.now(), &events))
    }

    /// Issues the signed-in member a new private calendar token (replacing the old one, which
    /// stops working); only its hash is stored. The feed is read with [`App::calendar_for_token`].
    pub async fn calendar_token(&self, actor: &Actor) -> Result<String> {
        let member_id = policy::own_calendar(actor)?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let mut tx = self.store.begin_write().await?;
        store::set_calendar_token(&mut tx, member_id, &sha256_hex(token.as_bytes()), &self.now_text()).await?;
        self.journal(&mut tx, actor, "calendar.token", &format!("member:{member_id}"), json!({})).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The calendar of the member whose token this is. The token is the authorisation (a
    /// calendar app cannot sign in); a departed member's token no longer works.
    pub async fn calendar_for_token(&self, token: &str) -> Result<String> {
        let token = token.trim().trim_end_matches(".ics");
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound("calendar".into()));
        }
        let today = self.today().await?.to_string();
        let member_id = {
            let mut c = self.store.read().await?;
            let id = store::member_for_calendar_token(&mut c, &sha256_hex(token.to_ascii_lowercase().as_bytes()))
                .await?
                .ok_or_else(|| AppError::NotFound("calendar".into()))?;
            let row = self.member_row_in(&mut c, &today, id).await?;
            if row.state == Some(MemberState::Departed) {
                return Err(AppError::NotFound("calendar".into()));
            }
            id
        };
        self.calendar_text(Some(member_id)).await
    }
}

fn count_attendance(attendance: &[(i64, String)]) -> AttendanceCounts {
    let mut c = AttendanceCounts::default();
    for (_, a) in attendance {
        match a.as_str() {
            "present" => c.present += 1,
            "remote" => c.remote += 1,
            "excused" => c.excused += 1,
            _ => c.absent += 1,
        }
    }
    c
}

fn action_view(a: store::ActionRow, people: &People, titles: &HashMap<i64, String>, today: Date) -> ActionView {
    let (owner, owner_email) = people.get(&a.owner_id).cloned().unwrap_or_else(|| (format!("member {}", a.owner_id), String::new()));
    let overdue = a.done_at.is_none() && a.due_date.parse::<Date>().is_ok_and(|d| d < today);
    ActionView {
        id: a.id,
        meeting_id: a.meeting_id,
        meeting_title: titles.get(&a.meeting_id).cloned().unwrap_or_default(),
        item_id: a.item_id,
        title: a.title,
        owner_id: a.owner_id,
        owner,
        owner_email,
        due: a.due_date,
        done: a.done_at.is_some(),
        done_at: a.done_at,
        overdue,
    }
}

/// A host-like name for UIDs, from the co-op's name.
fn uid_domain(name: &str) -> String {
    let slug: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("{}.coop", slug.trim_matches('-'))
}

fn meeting_event(m: &MeetingRow, coop: &str) -> Result<CalEvent> {
    let start = parse_instant(&m.starts_at).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e)))?;
    let end = start.checked_add(SignedDuration::from_mins(m.minutes_long)).unwrap_or(start);
    Ok(CalEvent {
        uid: format!("meeting-{}@{}", m.id, uid_domain(coop)),
        start,
        end,
        summary: m.title.clone(),
        description: format!("{} meeting of {coop}", m.kind),
        location: if m.place.is_empty() { m.link.clone() } else { m.place.clone() },
        url: m.link.clone(),
    })
}
