//! Journal entries and lines (append-only).
