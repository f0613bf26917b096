//! Clients' projects (billable) and the co-op's internal ones: added, listed, edited. Whether a
//! project is billable matters to pay systems that pay only paid projects.

use crate::{policy, Actor, App, AppError, Result};
use coop_core::hours::Minutes;
use coop_store::projects as store;
use serde::Serialize;
use serde_json::json;

/// A project as listed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub client: Option<String>,
    pub billable: bool,
    /// Hours logged on it so far, `"12.50"`.
    pub hours: String,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl App {
    /// Adds a project; its name is unique ignoring case.
    pub async fn add_project(&self, actor: &Actor, name: &str, client: Option<&str>, billable: bool) -> Result<ProjectView> {
        policy::manage_projects(actor)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid("name", "a project name has 1 to 200 characters"));
        }
        let client = clean(client);
        let mut tx = self.store.begin_write().await?;
        if coop_store::work::project_id(&mut tx, name).await?.is_some() {
            return Err(AppError::Conflict(format!("the co-op already has a project {name:?}")));
        }
        let id = coop_store::work::insert_project(&mut tx, name, client.as_deref(), billable, &self.now_text()).await?;
        self.journal(&mut tx, actor, "project.add", &format!("project:{id}"), json!({"name": name, "client": client, "billable": billable})).await?;
        tx.commit().await?;
        Ok(ProjectView { id, name: name.to_string(), client, billable, hours: Minutes::ZERO.to_hours_string() })
    }

    /// Changes a project's client and whether it is billable (its hours stay as they are; pay
    /// runs not yet approved follow the change).
    pub async fn update_project(&self, actor: &Actor, name: &str, client: Option<&str>, billable: bool) -> Result<ProjectView> {
        policy::manage_projects(actor)?;
        let client = clean(client);
        let mut tx = self.store.begin_write().await?;
        let id = coop_store::work::project_id(&mut tx, name.trim()).await?.ok_or_else(|| AppError::NotFound(format!("project {:?}", name.trim())))?;
        store::update_project(&mut tx, id, client.as_deref(), billable).await?;
        self.journal(&mut tx, actor, "project.update", &format!("project:{id}"), json!({"client": client, "billable": billable})).await?;
        let view = store::projects(&mut tx).await?.into_iter().find(|p| p.id == id).map(view).ok_or_else(|| AppError::NotFound(format!("project {id}")))?;
        tx.commit().await?;
        Ok(view)
    }

    /// Every project by name.
    pub async fn projects(&self, actor: &Actor) -> Result<Vec<ProjectView>> {
        policy::view_hours(actor)?;
        let mut c = self.store.read().await?;
        Ok(store::projects(&mut c).await?.into_iter().map(view).collect())
    }
}

fn view(p: store::ProjectRow) -> ProjectView {
    ProjectView { id: p.id, name: p.name, client: p.client, billable: p.billable, hours: Minutes(p.minutes).to_hours_string() }
}
