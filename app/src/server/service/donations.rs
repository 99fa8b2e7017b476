//! Service: donations.
