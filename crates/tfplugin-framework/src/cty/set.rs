//! Set elements as cty keeps them: distinct values.
//!
//! A set decoded from the wire may repeat an element (Terraform never sends that, but a
//! hand-made or corrupted payload can); cty would hold it once, so the decoders keep the
//! first of equal known elements. Unknown elements all stay: each may turn out different.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::value::Value;

/// `elements` without the known elements equal to an earlier one, in their original order.
/// Linear in the number of elements (equal values hash alike, whatever their set order).
pub fn distinct_elements(elements: Vec<Value>) -> Vec<Value> {
    let mut kept: Vec<Value> = Vec::with_capacity(elements.len());
    let mut by_fingerprint: HashMap<u64, Vec<usize>> = HashMap::new();
    for element in elements {
        if !element.is_wholly_known() {
            kept.push(element);
            continue;
        }
        let same_hash = by_fingerprint.entry(fingerprint(&element)).or_default();
        if same_hash.iter().any(|&index| kept[index] == element) {
            continue;
        }
        same_hash.push(kept.len());
        kept.push(element);
    }
    kept
}

/// A hash of a wholly known value consistent with `Value`'s `==`: sets hash the same in any
/// element order, numbers by numeric value.
fn fingerprint(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    feed(value, &mut hasher);
    hasher.finish()
}

fn feed(value: &Value, hasher: &mut DefaultHasher) {
    std::mem::discriminant(value).hash(hasher);
    match value {
        Value::Null | Value::Unknown(_) => {}
        Value::String(text) => text.hash(hasher),
        Value::Number(number) => number.hash(hasher),
        Value::Bool(flag) => flag.hash(hasher),
        Value::List(items) | Value::Tuple(items) => {
            items.len().hash(hasher);
            for item in items {
                feed(item, hasher);
            }
        }
        Value::Set(items) => {
            let mut hashes: Vec<u64> = items.iter().map(fingerprint).collect();
            hashes.sort_unstable();
            hashes.hash(hasher);
        }
        Value::Map(entries) | Value::Object(entries) => {
            entries.len().hash(hasher);
            for (key, item) in entries {
                key.hash(hasher);
                feed(item, hasher);
            }
        }
        Value::Dynamic(ty, inner) => {
            ty.hash(hasher);
            feed(inner, hasher);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::{Number, Type};

    #[test]
    fn repeated_known_elements_are_kept_once_in_first_seen_order() {
        let kept = distinct_elements(vec!["b".into(), "a".into(), "b".into(), "a".into()]);
        assert_eq!(kept, vec![Value::from("b"), Value::from("a")]);
    }

    #[test]
    fn numbers_written_differently_are_the_same_element() {
        let one: Number = "1.0".parse().expect("a number");
        let kept = distinct_elements(vec![Value::number(1), Value::Number(one)]);
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn nested_sets_in_another_order_are_the_same_element() {
        let ab = Value::set(["a".into(), "b".into()]);
        let ba = Value::set(["b".into(), "a".into()]);
        assert_eq!(distinct_elements(vec![ab, ba]).len(), 1);
    }

    #[test]
    fn unknown_elements_are_all_kept() {
        let kept = distinct_elements(vec![Value::unknown(), Value::unknown(), "x".into()]);
        assert_eq!(kept.len(), 3);
        let partly = Value::object([("a", Value::unknown())]);
        assert_eq!(distinct_elements(vec![partly.clone(), partly]).len(), 2);
    }

    #[test]
    fn distinct_values_of_other_kinds_all_stay() {
        let values = vec![
            Value::Null,
            Value::from(""),
            Value::bool(false),
            Value::number(0),
            Value::list([]),
            Value::dynamic(Type::String, "x".into()),
            Value::dynamic(Type::Dynamic, "x".into()),
            Value::from("x"),
        ];
        assert_eq!(distinct_elements(values.clone()), values);
    }

    #[test]
    fn many_elements_are_deduplicated_in_linear_time() {
        let many: Vec<Value> = (0..200_000)
            .map(|i| Value::from(format!("s{}", i % 1000)))
            .collect();
        assert_eq!(distinct_elements(many).len(), 1000);
    }
}
