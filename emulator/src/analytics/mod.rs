//! Analytics conversation details: the query language and the conversation views.

pub mod index;
pub mod query;
pub mod view;
