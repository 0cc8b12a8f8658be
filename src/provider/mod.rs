//! The Genesys Cloud provider: configuration schema and the types it offers.
