//! Founding the co-op and changing its settings.

use crate::{policy, Actor, App, AppError, Result};
use coop_core::CoopSettings;
use serde_json::json;

impl App {
    /// Records the co-op's settings in an empty database. Refused if a co-op is already here.
    pub async fn init(&self, settings: &CoopSettings) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        if let Some(existing) = coop_store::settings::get(&mut tx).await? {
            return Err(AppError::Conflict(format!("this data directory already holds the co-op {:?}", existing.name)));
        }
        coop_store::settings::insert(&mut tx, settings, &self.now_text()).await?;
        self.journal(&mut tx, &Actor::Operator, "coop.init", "coop", json!(settings)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn settings_opt(&self) -> Result<Option<CoopSettings>> {
        let mut c = self.store.read().await?;
        Ok(coop_store::settings::get(&mut c).await?)
    }

    /// The co-op's settings; an error if the co-op was never initialised.
    pub async fn settings(&self) -> Result<CoopSettings> {
        self.settings_opt().await?.ok_or(AppError::NotInitialised)
    }

    pub async fn is_initialised(&self) -> Result<bool> {
        Ok(self.settings_opt().await?.is_some())
    }

    pub async fn update_settings(&self, actor: &Actor, settings: &CoopSettings) -> Result<()> {
        policy::change_settings(actor)?;
        let mut tx = self.store.begin_write().await?;
        let before = coop_store::settings::get(&mut tx).await?.ok_or(AppError::NotInitialised)?;
        if &before == settings {
            return Ok(());
        }
        coop_store::settings::update(&mut tx, settings).await?;
        self.journal(&mut tx, actor, "coop.settings", "coop", json!({"before": before, "after": settings})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a consistent copy of the database to `path` (safe while the server runs).
    pub async fn backup(&self, path: &std::path::Path) -> Result<()> {
        if path.exists() {
            return Err(AppError::Conflict(format!("{} already exists; choose a new file name", path.display())));
        }
        Ok(self.store.backup_to(path).await?)
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn healthy(&self) -> bool {
        match self.store.read().await {
            Ok(mut c) => coop_store::ping(&mut c).await.is_ok(),
            Err(_) => false,
        }
    }
}
