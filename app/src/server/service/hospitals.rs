//! Service: hospitals.
