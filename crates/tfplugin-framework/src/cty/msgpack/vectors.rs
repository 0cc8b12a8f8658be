//! Known byte vectors from the protocol facts (§3.2) and cty's encoder choices.

use super::{decode_msgpack, encode_msgpack};
use crate::cty::{Number, Refinements, Type, Value};

fn num(text: &str) -> Value {
    Value::Number(text.parse::<Number>().unwrap())
}

fn assert_encodes(value: &Value, ty: &Type, bytes: &[u8]) {
    assert_eq!(
        encode_msgpack(value, ty).unwrap(),
        bytes,
        "encoding {value:?}"
    );
    assert_eq!(
        &decode_msgpack(bytes, ty).unwrap(),
        value,
        "decoding {bytes:02x?}"
    );
}

#[test]
fn null_is_nil_and_plain_unknown_is_fixext1_code_0() {
    assert_encodes(&Value::Null, &Type::String, &[0xc0]);
    assert_encodes(&Value::unknown(), &Type::String, &[0xd4, 0x00, 0x00]);
    assert_encodes(&Value::unknown(), &Type::Dynamic, &[0xd4, 0x00, 0x00]);
    assert_encodes(&Value::Null, &Type::Dynamic, &[0xc0]);
}

#[test]
fn every_extension_code_decodes_as_unknown() {
    for bytes in [
        &[0xd4, 0x05, 0x00][..],
        &[0xd5, 0x7f, 0x01, 0x02],
        &[0xc7, 0x00, 0x01],
        &[0xc8, 0x00, 0x01, 0x03, 0xaa],
        &[0xd4, 0x0c, 0x80],
    ] {
        assert!(
            decode_msgpack(bytes, &Type::list(Type::String))
                .unwrap()
                .is_unknown(),
            "{bytes:02x?}"
        );
    }
    assert!(
        decode_msgpack(&[0xd4, 0x0c, 0x00], &Type::String).is_err(),
        "ext 12 payload must be a map"
    );
}

#[test]
fn refined_unknown_is_ext_12_with_an_int_keyed_map() {
    let refined = Value::Unknown(Refinements {
        nullable: Some(false),
        string_prefix: Some("ab".into()),
        ..Refinements::default()
    });
    // ext8, 7 bytes, code 12: {1: false, 2: "ab"}
    let bytes = [0xc7, 0x07, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'b'];
    assert_encodes(&refined, &Type::String, &bytes);
}

#[test]
fn refined_unknown_number_bounds_and_collection_lengths_round_trip() {
    let number = Value::Unknown(Refinements {
        number_lower: Some(("0".parse().unwrap(), true)),
        number_upper: Some(("2.5".parse().unwrap(), false)),
        ..Refinements::default()
    });
    // ext8, 17 bytes, code 12: {3: [0, true], 4: [float64 2.5, false]}
    let bytes = [
        0xc7, 0x11, 0x0c, 0x82, 0x03, 0x92, 0x00, 0xc3, 0x04, 0x92, 0xcb, 0x40, 0x04, 0, 0, 0, 0,
        0, 0, 0xc2,
    ];
    assert_encodes(&number, &Type::Number, &bytes);

    let list = Value::Unknown(Refinements {
        length_min: Some(1),
        length_max: Some(3),
        ..Refinements::default()
    });
    assert_encodes(
        &list,
        &Type::list(Type::String),
        &[0xc7, 0x05, 0x0c, 0x82, 0x05, 0x01, 0x06, 0x03],
    );
}

#[test]
fn refinement_keys_we_do_not_know_are_ignored() {
    // {9: "whatever", 1: false}
    let bytes = [
        0xc7, 0x0d, 0x0c, 0x82, 0x09, 0xa8, b'w', b'h', b'a', b't', b'e', b'v', b'e', b'r', 0x01,
        0xc2,
    ];
    let v = decode_msgpack(&bytes, &Type::String).unwrap();
    assert_eq!(v, Value::unknown_not_null());
}

#[test]
fn refinements_that_do_not_fit_the_type_are_dropped() {
    let prefix_on_number = Value::Unknown(Refinements {
        string_prefix: Some("x".into()),
        ..Refinements::default()
    });
    assert_eq!(
        encode_msgpack(&prefix_on_number, &Type::Number).unwrap(),
        [0xd4, 0x00, 0x00]
    );
}

#[test]
fn numbers_are_int_when_i64_float_when_exact_else_string() {
    assert_encodes(&num("1"), &Type::Number, &[0x01]);
    assert_encodes(&num("-1"), &Type::Number, &[0xff]);
    assert_encodes(&num("300"), &Type::Number, &[0xcd, 0x01, 0x2c]);
    assert_encodes(
        &num("-9223372036854775808"),
        &Type::Number,
        &[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0],
    );
    assert_encodes(
        &num("0.5"),
        &Type::Number,
        &[0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0],
    );
    assert_encodes(
        &Value::Number(Number::infinity()),
        &Type::Number,
        &[0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0],
    );
    // 0.1 is not a binary64 value: it travels as text, as cty sends it.
    assert_encodes(&num("0.1"), &Type::Number, &[0xa3, b'0', b'.', b'1']);
    assert_encodes(
        &num("1e400"),
        &Type::Number,
        &[0xa6, b'1', b'e', b'+', b'4', b'0', b'0'],
    );
    let big = "123456789012345678901234567890";
    let mut bytes = vec![0xbe];
    bytes.extend_from_slice(big.as_bytes());
    assert_encodes(&num(big), &Type::Number, &bytes);
}

#[test]
fn numbers_decode_from_every_msgpack_form() {
    let cases: [(&[u8], &str); 7] = [
        (
            &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            "18446744073709551615",
        ),
        (&[0xd0, 0x80], "-128"),
        (&[0xce, 0x00, 0x01, 0x00, 0x00], "65536"),
        (&[0xca, 0x3f, 0xc0, 0x00, 0x00], "1.5"),
        (&[0xa4, b'1', b'e', b'-', b'3'], "0.001"),
        (&[0xd9, 0x03, b'4', b'.', b'0'], "4"),
        (&[0xe0], "-32"),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            decode_msgpack(bytes, &Type::Number).unwrap(),
            num(expected),
            "{bytes:02x?}"
        );
    }
    assert!(decode_msgpack(&[0xa3, b'N', b'a', b'N'], &Type::Number).is_err());
    assert!(decode_msgpack(&[0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], &Type::Number).is_err());
    assert!(decode_msgpack(&[0xa3, b'1', b'x', b'2'], &Type::Number).is_err());
}

#[test]
fn dynamic_values_are_type_json_as_bin_then_value() {
    let v = Value::dynamic(Type::String, "hi".into());
    let mut bytes = vec![0x92, 0xc4, 0x08];
    bytes.extend_from_slice(b"\"string\"");
    bytes.extend_from_slice(&[0xa2, b'h', b'i']);
    assert_encodes(&v, &Type::Dynamic, &bytes);

    // The type may also arrive as a msgpack str.
    let mut as_str = vec![0x92, 0xa8];
    as_str.extend_from_slice(b"\"string\"");
    as_str.extend_from_slice(&[0xa2, b'h', b'i']);
    assert_eq!(decode_msgpack(&as_str, &Type::Dynamic).unwrap(), v);

    let list = Value::dynamic(Type::list(Type::Bool), Value::list([true.into()]));
    let mut bytes = vec![0x92, 0xc4, 0x0f];
    bytes.extend_from_slice(br#"["list","bool"]"#);
    bytes.extend_from_slice(&[0x91, 0xc3]);
    assert_encodes(&list, &Type::Dynamic, &bytes[..]);
}

#[test]
fn pairs_declaring_type_dynamic_decode_like_their_content() {
    // Found by fuzzing: ["dynamic", ["dynamic", nil]] decoded to a wrapper that re-encoded
    // as a bare nil, so encode∘decode was not idempotent.
    let mut nested = vec![0x92, 0xa9];
    nested.extend_from_slice(b"\"dynamic\"");
    nested.push(0x92);
    nested.push(0xa9);
    nested.extend_from_slice(b"\"dynamic\"");
    nested.push(0xc0);
    let v = decode_msgpack(&nested, &Type::Dynamic).unwrap();
    assert_eq!(v, Value::Null);
    assert_eq!(encode_msgpack(&v, &Type::Dynamic).unwrap(), [0xc0]);

    let mut wrapped_string = vec![0x92, 0xa9];
    wrapped_string.extend_from_slice(b"\"dynamic\"");
    wrapped_string.extend_from_slice(&[0x92, 0xa8]);
    wrapped_string.extend_from_slice(b"\"string\"");
    wrapped_string.extend_from_slice(&[0xa2, b'h', b'i']);
    let v = decode_msgpack(&wrapped_string, &Type::Dynamic).unwrap();
    assert_eq!(v, Value::dynamic(Type::String, "hi".into()));
}

#[test]
fn unwrapped_values_under_dynamic_get_their_inferred_type() {
    let encoded = encode_msgpack(&Value::from("hi"), &Type::Dynamic).unwrap();
    assert_eq!(
        decode_msgpack(&encoded, &Type::Dynamic).unwrap(),
        Value::dynamic(Type::String, "hi".into())
    );
}

#[test]
fn objects_are_maps_with_every_attribute() {
    let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
    let v = Value::object([("a", "x".into()), ("b", Value::Null)]);
    assert_encodes(&v, &ty, &[0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xc0]);
    let missing = Value::object([("a", Value::from("x"))]);
    assert_eq!(
        encode_msgpack(&missing, &ty).unwrap_err().to_string(),
        "b: attribute is missing"
    );
}

#[test]
fn collections_are_arrays_and_maps() {
    assert_encodes(
        &Value::set(["a".into(), "b".into()]),
        &Type::set(Type::String),
        &[0x92, 0xa1, b'a', 0xa1, b'b'],
    );
    assert_encodes(
        &Value::tuple(["a".into(), 2i64.into()]),
        &Type::tuple([Type::String, Type::Number]),
        &[0x92, 0xa1, b'a', 0x02],
    );
    assert_encodes(
        &Value::map([("k", Value::from(false))]),
        &Type::map(Type::Bool),
        &[0x81, 0xa1, b'k', 0xc2],
    );
}
