//! Analytics conversation details: the query language and the conversation views.

pub mod query;
pub mod view;
