//! The campaign fund aggregate: running totals kept beside the journal.
