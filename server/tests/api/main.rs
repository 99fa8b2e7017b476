//! The server's integration tests, as one binary: on a 2-core machine linking one test binary
//! instead of twenty saves most of the test command's link time. Each module is one area; the
//! shared set-up (a fresh database per test on both engines, the real server on port 0) is in
//! `common`.

#[macro_use]
mod common;

mod accounts;
mod admin;
mod admin_creates;
mod audit_chain;
mod backups;
mod books;
mod cli;
mod donations;
mod equipment;
mod exports;
mod full_disk;
mod headers;
mod holes;
mod http;
mod ledger_property;
mod loans;
mod loans_rules;
mod metrics;
mod open_data;
mod open_lists;
mod outage;
mod page_cache;
mod requests;
mod scale;
mod security;
mod settlement;
mod statements;
mod storage;
mod two_servers;
mod workbooks;
