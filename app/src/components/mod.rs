//! Pieces shared by several pages.

pub mod account;
pub mod form_answer;
pub mod guard;
pub mod island;
pub mod layout;
pub mod notice;
pub mod progress;
