//! Decodes arbitrary bytes as JSON against several types. Decoding must never panic; a
//! decoded value without unknowns or infinities must survive a JSON round trip unchanged
//! and must also encode as msgpack.

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
    let Ok(value) = cty::decode_json(bytes, &ty) else {
        return;
    };
    cty::encode_msgpack(&value, &ty).expect("a JSON-decoded value encodes as msgpack");
    // JSON numbers are always finite, and JSON has no unknowns, so this always encodes.
    let encoded = cty::encode_json(&value, &ty).expect("a JSON-decoded value re-encodes");
    let again = cty::decode_json(&encoded, &ty).expect("our own JSON decodes");
    assert_eq!(again, value, "JSON round trip changed the value");
});
