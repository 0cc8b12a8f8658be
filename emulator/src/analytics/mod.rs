//! Analytics conversation details: the query language and the conversation views.

#[cfg(test)]
pub(crate) mod fixture;
pub mod index;
pub mod query;
pub mod view;
