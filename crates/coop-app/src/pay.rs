//! Pay: rates of kinds of work, leave taken, the pay system adopted by decision, monthly pay
//! runs with their approval lock, and corrections to locked months.

use crate::{App, AppError, Result};
use coop_store::pay as store;

impl App {
    /// Refuses a change to the hours or leave of `date` (`YYYY-MM-DD`) when its month's pay
    /// run is approved: a locked month changes only through a correction, which leaves a trail
    /// and is settled in the next pay run.
    pub async fn ensure_month_open(&self, c: &mut coop_store::Conn, date: &str) -> Result<()> {
        if store::month_locked(c, date).await? {
            return Err(AppError::Conflict(format!(
                "the pay run of {} is approved, so its hours are locked; record a correction instead",
                store::month_of(date)
            )));
        }
        Ok(())
    }
}
