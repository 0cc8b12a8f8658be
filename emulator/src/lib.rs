//! A local emulator of the Genesys Cloud Platform API v2 subset the provider uses.
