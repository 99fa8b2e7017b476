//! The page's hydration mark. Pages are rendered on the server; only their islands run in the
//! browser, each hydrated on its own (a lazy island after its chunk arrives). `<body>` gets
//! `data-hydrated="true"` once every island on the page is live, or at once on a page that has
//! none: browser tests and people's tools wait for it before pressing anything.

#[cfg(feature = "hydrate")]
use std::cell::Cell;

#[cfg(feature = "hydrate")]
thread_local! {
    /// Islands on the page, and how many of them are live.
    static ISLANDS: Cell<(u32, u32)> = const { Cell::new((0, 0)) };
}

/// Counts the islands the server rendered (called once, before Leptos hydrates them).
#[cfg(feature = "hydrate")]
pub fn expect_islands() {
    let count = leptos::prelude::document()
        .query_selector_all("leptos-island")
        .map(|list| list.length())
        .unwrap_or(0);
    ISLANDS.with(|c| c.set((count, 0)));
    if count == 0 {
        mark_hydrated();
    }
}

/// Called at the top of every island: once it has hydrated, it counts as live.
pub fn island_ready() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(|| {
        let (expected, ready) = ISLANDS.with(Cell::get);
        let ready = ready + 1;
        ISLANDS.with(|c| c.set((expected, ready)));
        if ready >= expected {
            mark_hydrated();
        }
    });
}

#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// The window event that carries [`announce`]'s news.
#[cfg(feature = "hydrate")]
fn event_name(topic: &str) -> String {
    format!("phapa-changed-{topic}")
}

/// Tells the other islands on the page that records of `topic` changed. Islands share no
/// signals (each hydrates on its own), so the news goes through a window event; see
/// [`announced`].
pub fn announce(topic: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(event) = web_sys::Event::new(&event_name(topic)) {
        let _ = leptos::prelude::window().dispatch_event(&event);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = topic;
}

/// A count that moves each time an island announces `topic`: among a resource's sources, it
/// reloads the resource when another island changed what it shows. (The listener lives as long
/// as the page: islands are never unmounted here.)
pub fn announced(topic: &str) -> leptos::prelude::ReadSignal<u32> {
    use leptos::prelude::*;
    let (count, set) = signal(0u32);
    #[cfg(feature = "hydrate")]
    {
        let _ = window_event_listener_untyped(&event_name(topic), move |_| {
            set.update(|n| *n += 1);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (topic, set);
    count
}
