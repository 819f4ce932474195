//! Reply parsing: a 10,000-offer `getService` reply, and plain-text replies per second.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use instaotp_desktop::api::reply;
use instaotp_desktop::sim::generated_catalogue;

/// The JSON the provider sends: servers as keys, numbers as strings.
fn services_json(n: usize) -> Vec<u8> {
    let mut servers: std::collections::BTreeMap<String, Vec<serde_json::Value>> =
        Default::default();
    for o in generated_catalogue(n) {
        servers.entry(o.server.clone()).or_default().push(serde_json::json!({
            "id": o.id, "service": o.name, "price": o.price.to_string(), "qty": o.qty.to_string(),
            "country": o.country, "provider": o.provider,
        }));
    }
    serde_json::to_vec(&servers).unwrap_or_default()
}

fn parse(c: &mut Criterion) {
    let body = services_json(10_000);
    let mut g = c.benchmark_group("getService");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("parse_10k_offers", |b| {
        b.iter(|| {
            let offers = reply::parse_services(200, &body).unwrap_or_default();
            assert_eq!(offers.len(), 10_000);
            offers
        })
    });
    g.finish();

    let replies: [&[u8]; 6] = [
        b"ACCESS_BALANCE:54.00",
        b"ACCESS_NUMBER:12345:+919876543210",
        b"STATUS_WAIT_CODE",
        b"STATUS_OK:123456",
        b"ACCESS_CANCEL",
        b"NO_BALANCE",
    ];
    let mut g = c.benchmark_group("plain_replies");
    g.throughput(Throughput::Elements(replies.len() as u64));
    g.bench_function("six_replies", |b| {
        b.iter(|| {
            let _unused = reply::parse_balance(200, replies[0]);
            let _unused = reply::parse_number(200, replies[1]);
            let _unused = reply::parse_status(200, replies[2]);
            let _unused = reply::parse_status(200, replies[3]);
            let _unused = reply::parse_set_status(200, replies[4]);
            let _unused = reply::parse_number(200, replies[5]);
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
