//! Receipt rows and counters.
