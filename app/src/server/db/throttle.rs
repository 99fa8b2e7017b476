//! Sign-in throttle rows.
