//! Decodes arbitrary bytes as msgpack against several types. Decoding must never panic,
//! and whatever decodes must re-encode, and re-encoding what that decodes to must give the
//! same bytes (encode∘decode is idempotent).

#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../crates/tfplugin-framework/src/cty/mod.rs"]
mod cty;
mod types;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((ty, bytes)) = types::split(data) else {
        return;
    };
    let Ok(value) = cty::decode_msgpack(bytes, &ty) else {
        return;
    };
    let encoded = cty::encode_msgpack(&value, &ty).expect("a decoded value re-encodes");
    let again = cty::decode_msgpack(&encoded, &ty).expect("our own encoding decodes");
    let re_encoded = cty::encode_msgpack(&again, &ty).expect("a decoded value re-encodes");
    assert_eq!(
        encoded, re_encoded,
        "encoding is stable after one round trip"
    );
    assert_eq!(
        cty::decode_msgpack(&re_encoded, &ty).expect("our own encoding decodes"),
        again
    );
});
