//! Any bytes and any HTTP status into every reply parser: none may panic, and every error must
//! have a sentence for the user. Compiles the app's own `src/api` parser files.
#![no_main]

#[allow(dead_code)]
#[path = "app_parser.rs"]
mod api;

use api::reply;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 1000;
    let body = &data[2..];
    let errors = [
        reply::parse_balance(status, body).err(),
        reply::parse_number(status, body).err(),
        reply::parse_status(status, body).err(),
        reply::parse_set_status(status, body).err(),
        reply::parse_services(status, body).err(),
    ];
    for e in errors.into_iter().flatten() {
        assert!(!e.to_string().is_empty());
    }
});
