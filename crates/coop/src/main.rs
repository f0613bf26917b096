//! `coop`: the operating system of a worker cooperative, as one binary.
//!
//! The CLI ([`cli`]) and the web server ([`web`]) are two faces of the same use cases in
//! `coop-app`; neither talks to the database directly.

mod cli;
mod cli_elections;
mod config;
mod demo;
#[allow(dead_code)]
mod i18n;
mod web;

fn main() -> std::process::ExitCode {
    cli::main()
}
