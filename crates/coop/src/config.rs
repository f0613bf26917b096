//! Where the co-op's data lives: the data directory and the database URL.

use std::path::{Path, PathBuf};

/// The data directory: `--data`, else `$COOP_DATA`, else `./coop-data` (clap fills the first two).
pub fn data_dir(arg: Option<&Path>) -> PathBuf {
    arg.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("coop-data"))
}

/// The database URL: `$COOP_DATABASE_URL` when set, else the SQLite file inside the data dir.
/// Creates the data directory for SQLite.
pub fn database_url(data_dir: &Path) -> anyhow::Result<String> {
    if let Ok(url) = std::env::var("COOP_DATABASE_URL") {
        if !url.trim().is_empty() {
            return Ok(url);
        }
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| anyhow::anyhow!("cannot create the data directory {}: {e}", data_dir.display()))?;
    let abs = std::fs::canonicalize(data_dir)?;
    Ok(coop_store::sqlite_url_for_dir(&abs))
}

/// The SQLite database file inside a data directory.
pub fn sqlite_file(data_dir: &Path) -> PathBuf {
    data_dir.join("coop.db")
}
