//! The progress bar of a campaign or a wishlist line.

use leptos::prelude::*;

/// An accessible progress bar. `percent` is clamped to 0–100 for the bar's width.
#[component]
pub fn ProgressBar(percent: i64, met: bool, #[prop(into)] label: String) -> impl IntoView {
    let width = percent.clamp(0, 100);
    let class = if met { "progress met" } else { "progress" };
    view! {
        <div
            class=class
            role="progressbar"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=width
            aria-label=label
        >
            <div class="progress-fill" style=format!("width: {width}%")></div>
        </div>
    }
}
