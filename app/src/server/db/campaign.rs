//! Campaigns, their wishlist, partners, hospitals and legal recipient: queries and row types.
