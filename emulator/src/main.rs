//! `genesys-emulator` binary.

fn main() {}
