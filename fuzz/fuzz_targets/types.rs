//! The types fuzz inputs are decoded against; the first input byte picks one.

use crate::cty::Type;

/// Types covering every kind: primitives, collections, objects, tuples and `dynamic`,
/// nested the way provider schemas nest them.
pub fn fuzz_types() -> Vec<Type> {
    vec![
        Type::String,
        Type::Number,
        Type::Dynamic,
        Type::list(Type::Dynamic),
        Type::set(Type::Number),
        Type::map(Type::list(Type::String)),
        Type::object([
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            (
                "nested",
                Type::list(Type::object([("n", Type::Number), ("any", Type::Dynamic)])),
            ),
            ("pair", Type::tuple([Type::Bool, Type::Dynamic])),
            ("flags", Type::set(Type::Bool)),
        ]),
        Type::tuple([Type::String, Type::Number, Type::Dynamic]),
    ]
}

/// Splits an input into the chosen type and the bytes to decode.
pub fn split(data: &[u8]) -> Option<(Type, &[u8])> {
    let (&selector, rest) = data.split_first()?;
    let types = fuzz_types();
    let ty = types[usize::from(selector) % types.len()].clone();
    Some((ty, rest))
}
