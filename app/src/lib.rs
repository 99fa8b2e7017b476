//! Phapa: campaigns → donations → equipment → hospitals, in the open.
//!
//! This crate is the whole application except the binary: typed models ([`model`]), server
//! functions ([`api`]), pages ([`routes`]) and, with the `ssr` feature, storage and services
//! ([`server`]). Built with `hydrate` it is the WASM that makes server-rendered pages interactive.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod i18n;
pub mod model;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

/// The browser's entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
