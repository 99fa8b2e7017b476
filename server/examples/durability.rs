//! Placeholder, replaced below.
fn main() {
    let _ = reqwest::Client::new();
}
