//! Clients' projects and the co-op's internal ones, as listed and edited (the import and the
//! time entries find them by name in `work`).

use crate::Result;
use sqlx::AnyConnection;

/// A project with its hours so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub client: Option<String>,
    pub billable: bool,
    pub minutes: i64,
}

/// Every project by name, with the minutes logged on it.
pub async fn projects(c: &mut AnyConnection) -> Result<Vec<ProjectRow>> {
    let rows: Vec<(i64, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, p.client, p.billable, CAST(COALESCE(SUM(t.minutes), 0) AS BIGINT) FROM projects p \
         LEFT JOIN time_entries t ON t.project_id = p.id GROUP BY p.id, p.name, p.client, p.billable ORDER BY p.name",
    )
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id, name, client, billable, minutes)| ProjectRow { id, name, client, billable: billable != 0, minutes }).collect())
}

/// Sets a project's client and whether it is billable.
pub async fn update_project(c: &mut AnyConnection, id: i64, client: Option<&str>, billable: bool) -> Result<()> {
    sqlx::query("UPDATE projects SET client = $1, billable = $2 WHERE id = $3").bind(client).bind(i64::from(billable)).bind(id).execute(c).await?;
    Ok(())
}
