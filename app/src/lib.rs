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

/// The browser's entry point. Pages are rendered on the server only; what a reader can press
/// or that updates itself is an island (`#[island]`), which Leptos's script hydrates one by one
/// after this runs. Staff islands are `#[island(lazy)]`: their code is a separate chunk fetched
/// only by a page that holds one, so donors never download it.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_broken_page_notice();
    }));
    leptos::mount::hydrate_islands();
    components::island::expect_islands();
}

/// After a panic the WASM stops for good. Links still work as plain links, but buttons no longer
/// answer, so the page says so and offers a reload instead of failing silently.
#[cfg(feature = "hydrate")]
fn show_broken_page_notice() {
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    let Ok(notice) = leptos::prelude::document().create_element("p") else {
        return;
    };
    let _ = notice.set_attribute("class", "notice error broken-page");
    let _ = notice.set_attribute("role", "alert");
    notice.set_inner_html(
        "หน้านี้โหลดไม่ครบ กรุณา<a href=\"\">โหลดหน้าใหม่</a> · \
         This page did not load completely. Please <a href=\"\">reload it</a>.",
    );
    let _ = body.prepend_with_node_1(&notice);
}
