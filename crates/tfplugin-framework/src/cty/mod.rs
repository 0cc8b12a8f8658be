//! A model of Terraform's `cty` type system: types, values (with null, unknown and refined
//! unknown), attribute paths, and the msgpack / JSON codecs Terraform uses on the wire.
//!
//! This module is self-contained (std, rmp, serde_json, thiserror only) so the fuzz target can
//! compile it on its own. It knows nothing of gRPC or Genesys.

mod conform;
mod error;
mod json;
mod msgpack;
mod number;
mod path;
mod set;
mod type_json;
mod types;
mod value;

pub use error::CtyError;
pub use json::{decode_json, encode_json};
pub use msgpack::{decode_msgpack, encode_msgpack};
pub use number::{Number, ParseNumberError};
pub use path::{AttributePath, PathStep};
pub use set::distinct_elements;
pub use types::Type;
pub use value::{Refinements, Value};

/// How deeply types and values may nest. Decoders refuse deeper input with an error
/// instead of exhausting the stack; real schemas stay far below this.
pub const MAX_DEPTH: usize = 64;
