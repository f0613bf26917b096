//! The notifications seam: every event that members might be told about goes through one
//! trait. Today it is written to the log; mail arrives later as another implementation.

/// Something members may want to hear about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Opened { proposal_id: i64, title: String, closes_at: String },
    ClosingSoon { proposal_id: i64, title: String, closes_at: String },
    Decided { proposal_id: i64, title: String, status: String },
    /// A meeting's agenda is out: members can read it and suggest items.
    AgendaPublished { meeting_id: i64, title: String, starts_at: String },
    /// Draft minutes are sent round for reading before they are approved.
    MinutesCirculated { meeting_id: i64, title: String },
    /// Minutes are approved and sealed: the legal record.
    MinutesApproved { meeting_id: i64, title: String, sealed_hash: String },
}

pub trait Notifier: Send + Sync {
    fn notify(&self, event: &Event);
}

/// Writes events to the log.
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn notify(&self, event: &Event) {
        tracing::info!(?event, "notification");
    }
}

/// Keeps events in memory (tests read them).
#[derive(Default)]
pub struct MemoryNotifier(pub std::sync::Mutex<Vec<Event>>);

impl Notifier for MemoryNotifier {
    fn notify(&self, event: &Event) {
        self.0.lock().unwrap().push(event.clone());
    }
}
