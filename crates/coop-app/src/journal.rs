//! Reading and verifying the journal.

use crate::{policy, Actor, App, Result};
use coop_store::{JournalEntry, JournalFilter, VerifyReport};

impl App {
    /// Entries newest first, filtered.
    pub async fn journal_entries(&self, actor: &Actor, filter: &JournalFilter) -> Result<Vec<JournalEntry>> {
        policy::view_journal(actor)?;
        let mut c = self.store.read().await?;
        Ok(coop_store::journal::list(&mut c, filter).await?)
    }

    /// `(sequence, hash)` of the newest entry: shown in every page's footer.
    pub async fn journal_head(&self) -> Result<(i64, String)> {
        let mut c = self.store.read().await?;
        Ok(coop_store::journal::head(&mut c).await?)
    }

    /// Recomputes the chain and every seal.
    pub async fn verify_journal(&self, actor: &Actor) -> Result<VerifyReport> {
        policy::view_journal(actor)?;
        let mut c = self.store.read().await?;
        Ok(coop_store::journal::verify(&mut c).await?)
    }
}
