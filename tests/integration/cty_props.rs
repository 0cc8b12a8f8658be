//! Property tests for the cty codecs: generated (type, value) pairs survive msgpack and
//! JSON round trips exactly, and arbitrary or corrupted bytes never make a decoder panic.

use std::collections::BTreeSet;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use tfplugin_framework::cty::{
    Number, Refinements, Type, Value, decode_json, decode_msgpack, distinct_elements, encode_json,
    encode_msgpack,
};

fn attribute_name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_]{1,8}", any::<String>(),]
}

fn type_strategy() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            btree_map(attribute_name(), inner.clone(), 0..4).prop_flat_map(|attributes| {
                let names: Vec<String> = attributes.keys().cloned().collect();
                let optional = proptest::sample::subsequence(names.clone(), 0..=names.len());
                (Just(attributes), optional).prop_map(|(attributes, optional)| Type::Object {
                    attributes,
                    optional: optional.into_iter().collect::<BTreeSet<_>>(),
                })
            }),
            vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

/// Numbers of every shape: machine integers, exact binary fractions, long decimals with
/// far-out exponents, and infinities.
fn number_strategy() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("NaN is not a number", |f| !f.is_nan())
            .prop_map(|f| Number::from_f64(f).expect("non-NaN floats convert")),
        ("-?[0-9]{1,40}(\\.[0-9]{1,40})?", -400i64..400).prop_map(|(digits, exp)| {
            format!("{digits}e{exp}")
                .parse()
                .expect("generated decimal text parses")
        }),
        Just(Number::infinity()),
        Just(Number::neg_infinity()),
    ]
}

fn refinements_for(ty: &Type) -> BoxedStrategy<Refinements> {
    let nullable = proptest::option::of(any::<bool>());
    let bound = || proptest::option::of((number_strategy(), any::<bool>()));
    match ty {
        Type::Dynamic => Just(Refinements::default()).boxed(),
        Type::String => (nullable, proptest::option::of(any::<String>()))
            .prop_map(|(nullable, string_prefix)| Refinements {
                nullable,
                string_prefix,
                ..Refinements::default()
            })
            .boxed(),
        Type::Number => (nullable, bound(), bound())
            .prop_map(|(nullable, number_lower, number_upper)| Refinements {
                nullable,
                number_lower,
                number_upper,
                ..Refinements::default()
            })
            .boxed(),
        Type::List(_) | Type::Set(_) | Type::Map(_) => (
            nullable,
            proptest::option::of(any::<u64>()),
            proptest::option::of(any::<u64>()),
        )
            .prop_map(|(nullable, length_min, length_max)| Refinements {
                nullable,
                length_min,
                length_max,
                ..Refinements::default()
            })
            .boxed(),
        _ => nullable
            .prop_map(|nullable| Refinements {
                nullable,
                ..Refinements::default()
            })
            .boxed(),
    }
}

/// A value of type `ty`: sometimes null or (refined) unknown, otherwise known at the top.
fn value_for(ty: &Type) -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => refinements_for(ty).prop_map(Value::Unknown),
        6 => known_value_for(ty),
    ]
    .boxed()
}

fn known_value_for(ty: &Type) -> BoxedStrategy<Value> {
    match ty {
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::Number => number_strategy().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(element) => vec(value_for(element), 0..4).prop_map(Value::List).boxed(),
        // A cty set holds distinct values; the decoders drop repeats (tested below).
        Type::Set(element) => vec(value_for(element), 0..4)
            .prop_map(|items| Value::Set(distinct_elements(items)))
            .boxed(),
        Type::Map(element) => btree_map(any::<String>(), value_for(element), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object { attributes, .. } => {
            let parts: Vec<_> = attributes
                .iter()
                .map(|(name, t)| (Just(name.clone()), value_for(t)))
                .collect();
            parts.prop_map(Value::object).boxed()
        }
        Type::Tuple(types) => {
            let parts: Vec<_> = types.iter().map(value_for).collect();
            parts.prop_map(Value::Tuple).boxed()
        }
        // A dynamic value travels with its concrete type; nulls and unknowns under
        // `dynamic` are bare on the wire, so wrapped ones are known at the top. That type is
        // never `dynamic` itself: only null and unknown values have it.
        Type::Dynamic => type_strategy()
            .prop_filter("a known value's type is concrete", |ty| {
                *ty != Type::Dynamic
            })
            .prop_flat_map(|concrete| {
                let value = known_value_for(&concrete);
                (Just(concrete), value)
            })
            .prop_map(|(concrete, value)| Value::dynamic(concrete, value))
            .boxed(),
    }
}

fn typed_value() -> impl Strategy<Value = (Type, Value)> {
    type_strategy().prop_flat_map(|ty| {
        let value = value_for(&ty);
        (Just(ty), value)
    })
}

fn contains_infinity(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_infinite(),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            items.iter().any(contains_infinity)
        }
        Value::Map(entries) | Value::Object(entries) => entries.values().any(contains_infinity),
        Value::Dynamic(_, inner) => contains_infinity(inner),
        _ => false,
    }
}

fn decoder_types() -> Vec<Type> {
    vec![
        Type::String,
        Type::Number,
        Type::Dynamic,
        Type::list(Type::Dynamic),
        Type::map(Type::set(Type::Number)),
        Type::object([
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            (
                "nested",
                Type::list(Type::object([("n", Type::Number), ("any", Type::Dynamic)])),
            ),
            ("pair", Type::tuple([Type::Bool, Type::Dynamic])),
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_values_conform_to_their_type((ty, value) in typed_value()) {
        prop_assert_eq!(value.conforms_to(&ty), Ok(()));
    }

    #[test]
    fn msgpack_round_trips_exactly((ty, value) in typed_value()) {
        let bytes = encode_msgpack(&value, &ty).expect("conforming values encode");
        let decoded = decode_msgpack(&bytes, &ty).expect("our own encoding decodes");
        prop_assert_eq!(&decoded, &value);
        prop_assert_eq!(encode_msgpack(&decoded, &ty).expect("re-encodes"), bytes);
    }

    #[test]
    fn json_round_trips_wholly_known_values((ty, value) in typed_value()) {
        if !value.is_wholly_known() || contains_infinity(&value) {
            return Ok(());
        }
        let bytes = encode_json(&value, &ty).expect("known finite values encode as JSON");
        let decoded = decode_json(&bytes, &ty).expect("our own JSON decodes");
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn json_refuses_unknowns((ty, value) in typed_value()) {
        if value.is_wholly_known() {
            return Ok(());
        }
        prop_assert!(encode_json(&value, &ty).is_err());
    }

    #[test]
    fn type_json_round_trips(ty in type_strategy()) {
        prop_assert_eq!(Type::from_json(&ty.to_json_bytes()), Ok(ty));
    }

    #[test]
    fn number_text_round_trips(n in number_strategy()) {
        prop_assert_eq!(n.to_string().parse::<Number>(), Ok(n));
    }

    #[test]
    fn number_order_and_conversions_match_machine_integers(a in any::<i64>(), b in any::<i64>()) {
        prop_assert_eq!(Number::from(a).cmp(&Number::from(b)), a.cmp(&b));
        prop_assert_eq!(Number::from(a).as_i64(), Some(a));
    }

    #[test]
    fn floats_survive_number_conversion(f in any::<f64>().prop_filter("not NaN", |f| !f.is_nan())) {
        let n = Number::from_f64(f).expect("non-NaN floats convert");
        prop_assert_eq!(n.as_f64(), f);
        prop_assert_eq!(n.to_f64_exact(), Some(f));
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in vec(any::<u8>(), 0..256)) {
        for ty in decoder_types() {
            let _ = decode_msgpack(&bytes, &ty);
            let _ = decode_json(&bytes, &ty);
        }
    }

    #[test]
    fn decoding_corrupted_encodings_never_panics(
        (ty, value) in typed_value(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut msgpack = encode_msgpack(&value, &ty).expect("conforming values encode");
        let mut json = encode_json(&value, &ty).unwrap_or_else(|_| b"{}".to_vec());
        for bytes in [&mut msgpack, &mut json] {
            for (at, byte) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
        }
        let _ = decode_msgpack(&msgpack, &ty);
        let _ = decode_json(&json, &ty);
        let _ = decode_msgpack(&msgpack[..cut.index(msgpack.len() + 1)], &ty);
        let _ = decode_json(&json[..cut.index(json.len() + 1)], &ty);
    }
}

#[test]
fn set_order_does_not_matter_after_a_round_trip() {
    let ty = Type::set(Type::String);
    let value = Value::set(["b".into(), "a".into()]);
    let bytes = encode_msgpack(&value, &ty).unwrap();
    assert_eq!(
        decode_msgpack(&bytes, &ty).unwrap(),
        Value::set(["a".into(), "b".into()])
    );
}

#[test]
fn repeated_set_elements_decode_once_from_msgpack_and_json() {
    let ty = Type::set(Type::Number);
    // A set of [1, 1.0, 2, 1] as hand-made msgpack (Terraform never repeats elements).
    let msgpack = [0x94, 0x01, 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x02, 0x01];
    let expected = Value::set([Value::number(1), Value::number(2)]);
    assert_eq!(decode_msgpack(&msgpack, &ty).unwrap(), expected);
    assert_eq!(decode_json(b"[1, 1.0, 2, 1e0]", &ty).unwrap(), expected);
    let decoded = decode_json(b"[1, 1.0, 2, 1e0]", &ty).unwrap();
    assert_eq!(decoded.as_elements().map(<[Value]>::len), Some(2));

    // Unknown elements may turn out different, so they all stay.
    let unknowns = [0x93, 0xd4, 0x00, 0x00, 0xd4, 0x00, 0x00, 0x01];
    let decoded = decode_msgpack(&unknowns, &ty).unwrap();
    assert_eq!(decoded.as_elements().map(<[Value]>::len), Some(3));
}

#[test]
fn json_of_state_from_an_older_schema_fills_new_attributes_with_null() {
    let ty = Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("division_id", Type::String),
    ]);
    let value = decode_json(br#"{"id":"1","name":"Sale"}"#, &ty).unwrap();
    assert_eq!(value.attr_str("name"), Some("Sale"));
    assert!(value.get_attr("division_id").unwrap().is_null());
    let bytes = encode_msgpack(&value, &ty).unwrap();
    assert_eq!(decode_msgpack(&bytes, &ty).unwrap(), value);
}

#[test]
fn big_set_of_unique_strings_round_trips() {
    let ty = Type::set(Type::String);
    let strings: BTreeSet<String> = (0..2000).map(|i| format!("s{i}")).collect();
    let value = Value::set(strings.into_iter().map(Value::from));
    let bytes = encode_msgpack(&value, &ty).unwrap();
    assert_eq!(decode_msgpack(&bytes, &ty).unwrap(), value);
}
