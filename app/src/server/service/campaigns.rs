//! Service: campaigns.
