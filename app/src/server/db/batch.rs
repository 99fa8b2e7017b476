//! Ceremony-night batch rows.
