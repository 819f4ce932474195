//! UI frames without a GPU: Services with 10,000 offers (still, scrolling, filtering per
//! keystroke) and Orders with 50 active orders and 500 in the history.
//!
//! Each is measured twice:
//! - `window`: the frame as the window runs it when no screen reader is connected (eframe turns
//!   AccessKit on only when one asks): the app's UI on a plain `egui::Context`, then
//!   tessellation, the CPU work before the GPU.
//! - `kittest`: a kittest step, which also builds and applies the AccessKit tree of every widget,
//!   as a screen reader would get it.

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

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use instaotp_desktop::api::{ApiKey, Client, ClientConfig};
use instaotp_desktop::app::Command;
use instaotp_desktop::app::Tab;
use instaotp_desktop::orders::{Order, OrderState, OrderStore};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{SimConfig, Simulator, generated_catalogue};
use instaotp_desktop::{App, AppConfig};

const KEY: &str = "bench-key";

fn harness(dir: &std::path::Path, sim: &Simulator) -> Harness<'static, App> {
    let mut config = AppConfig::new(dir.to_path_buf(), Arc::new(MemoryKeychain::with_key(KEY)));
    config.api_url_override = Some(sim.url());
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(move |cc| App::new(&cc.egui_ctx, config))
}

/// The app's UI on a context of its own, without AccessKit, as the window runs it.
struct Window {
    ctx: egui::Context,
    input: egui::RawInput,
}

impl Window {
    fn new() -> Self {
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            ..Default::default()
        };
        Self { ctx, input }
    }

    fn frame(&self, app: &mut App, events: Vec<egui::Event>) {
        let mut input = self.input.clone();
        input.events = events;
        let mut out = self.ctx.run_ui(input, |ui| app.frame_ui(ui));
        let shapes = std::mem::take(&mut out.shapes);
        std::hint::black_box(self.ctx.tessellate(shapes, out.pixels_per_point));
        // The font atlas updates a renderer would upload; there is none here.
        out.textures_delta.clear();
    }
}

fn wait(h: &mut Harness<'static, App>, what: &str, cond: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !cond(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(3);
}

/// A delivery record for the first 300 offers (the rows on screen): five orders each, four with
/// a code, so the Delivery column is drawn in every visible row. A history of 1,500 orders: the
/// per-frame logic goes over every order (countdowns, polling), which is not this table's cost.
fn seed_delivery(dir: &std::path::Path, catalogue: &[instaotp_desktop::sim::SimOffer]) {
    let store = OrderStore::open(&dir.join("orders.sqlite")).expect("store");
    let now = instaotp_desktop::orders::now_millis();
    let mut orders = Vec::new();
    for (n, o) in catalogue.iter().take(300).enumerate() {
        let offer = instaotp_desktop::api::Offer {
            server: o.server.clone(),
            service_code: o.id.clone(),
            name: o.name.clone(),
            price: o.price,
            price_sent: None,
            qty: o.qty,
            country: o.country.clone(),
            provider: o.provider.clone(),
        };
        for i in 0..5_i64 {
            let p = instaotp_desktop::api::Purchase {
                order_id: format!("{n}-{i}"),
                phone: "+919800000000".into(),
            };
            let mut order = Order::new(&offer, p, now - (i + 1) * 3_600_000);
            if i > 0 {
                order.code = Some("123456".into());
                order.first_code_at = Some(order.bought_at + i * 10_000);
                order.close(OrderState::Finished, order.bought_at + 60_000);
            } else {
                order.close(OrderState::Cancelled, order.bought_at + 130_000);
            }
            orders.push(order);
        }
    }
    store.save_all(&orders).expect("history");
}

fn services(c: &mut Criterion) {
    let catalogue = generated_catalogue(10_000);
    let dir = tempfile::tempdir().expect("tempdir");
    seed_delivery(dir.path(), &catalogue);
    let sim = Simulator::start(SimConfig {
        accounts: vec![(KEY.into(), 1000.into())],
        offers: catalogue,
        ..SimConfig::default()
    })
    .expect("simulator");
    let mut h = harness(dir.path(), &sim);
    wait(&mut h, "10,000 offers", |a| a.shown_offer_count() == 10_000);
    wait(&mut h, "delivery record", |a| {
        a.session()
            .is_some_and(|s| s.offers().delivery_at(0).record.is_some())
    });

    let window = Window::new();
    for _ in 0..5 {
        window.frame(h.state_mut(), Vec::new());
    }
    c.bench_function("window/services_frame_10k_still", |b| {
        b.iter(|| window.frame(h.state_mut(), Vec::new()))
    });
    window.frame(
        h.state_mut(),
        vec![egui::Event::PointerMoved(egui::pos2(500.0, 400.0))],
    );
    let mut wheel = Wheel::default();
    c.bench_function("window/services_frame_10k_scrolling", |b| {
        b.iter(|| window.frame(h.state_mut(), vec![wheel.next()]))
    });

    c.bench_function("kittest/services_frame_10k_still", |b| b.iter(|| h.step()));

    let table = h.get_by_label("Service").rect().center() + egui::vec2(0.0, 200.0);
    h.hover_at(table);
    let mut wheel = Wheel::default();
    c.bench_function("kittest/services_frame_10k_scrolling", |b| {
        b.iter(|| {
            h.event(wheel.next());
            h.step();
        })
    });

    let search = h.get_by_label("Search");
    search.focus();
    h.step();
    let letters = ['w', 'h', 'a', 't', 's'];
    let mut typed = 0;
    c.bench_function("kittest/services_keystroke_10k_filter", |b| {
        b.iter(|| {
            if typed == letters.len() {
                for _ in 0..typed {
                    h.key_press(egui::Key::Backspace);
                }
                h.step();
                typed = 0;
            }
            h.event(egui::Event::Text(letters[typed].to_string()));
            typed += 1;
            h.step();
        })
    });
}

fn orders(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let sim = Simulator::start(SimConfig {
        accounts: vec![(KEY.into(), 100_000.into())],
        code_delay: None,
        ..SimConfig::default()
    })
    .expect("simulator");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).expect("store");
    let client = Client::new(ClientConfig::new(sim.url(), ApiKey::new(KEY))).expect("client");
    let offers = rt
        .block_on(client.services(Some("1"), Some("22")))
        .expect("offers");
    let offer = offers
        .iter()
        .find(|o| o.qty > 100)
        .expect("an offer")
        .clone();
    // 50 live orders at the simulator, 500 closed ones in the history.
    for _ in 0..50 {
        let p = rt
            .block_on(client.buy(&offer.service_code, &offer.country, &offer.server))
            .expect("buy");
        store
            .save(&Order::new(
                &offer,
                p,
                instaotp_desktop::orders::now_millis(),
            ))
            .expect("save");
    }
    for i in 0..500 {
        let p = instaotp_desktop::api::Purchase {
            order_id: format!("old-{i}"),
            phone: format!("+9190000{i:05}"),
        };
        let mut o = Order::new(
            &offer,
            p,
            instaotp_desktop::orders::now_millis() - i64::from(i) * 3_600_000,
        );
        o.close(
            if i % 3 == 0 {
                OrderState::Cancelled
            } else {
                OrderState::Finished
            },
            o.bought_at + 60_000,
        );
        store.save(&o).expect("save");
    }
    drop(store);
    let _enter = rt.enter();
    let mut h = harness(dir.path(), &sim);
    wait(&mut h, "550 orders", |a| a.orders().len() == 550);
    h.state_mut().run_command(Command::SelectTab(Tab::Orders));
    h.run_steps(3);
    let window = Window::new();
    for _ in 0..5 {
        window.frame(h.state_mut(), Vec::new());
    }
    c.bench_function("window/orders_frame_50_active_500_history", |b| {
        b.iter(|| window.frame(h.state_mut(), Vec::new()))
    });
    c.bench_function("kittest/orders_frame_50_active_500_history", |b| {
        b.iter(|| h.step())
    });
}

/// Mouse-wheel turns that scroll 200 steps down the table, then 200 back up, and so on.
#[derive(Default)]
struct Wheel {
    turns: u32,
}

impl Wheel {
    fn next(&mut self) -> egui::Event {
        self.turns += 1;
        let down = (self.turns / 200).is_multiple_of(2);
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, if down { -60.0 } else { 60.0 }),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        }
    }
}

/// Services with two providers signed in, 10,000 offers each, sorted by price: one table of
/// 20,000 rows merged across the two (merged again only when a list changes).
fn two_providers(c: &mut Criterion) {
    const SECOND_KEY: &str = "bench-second-key";
    let dir = tempfile::tempdir().expect("tempdir");
    let first = Simulator::start(SimConfig {
        accounts: vec![(KEY.into(), 1000.into())],
        offers: generated_catalogue(10_000),
        ..SimConfig::default()
    })
    .expect("simulator");
    let mut dearer = generated_catalogue(10_000);
    for o in &mut dearer {
        o.price += rust_decimal::Decimal::new(7, 2);
    }
    let second = Simulator::start(SimConfig {
        accounts: vec![(SECOND_KEY.into(), 1000.into())],
        offers: dearer,
        ..SimConfig::default()
    })
    .expect("second simulator");
    let mut settings = instaotp_desktop::settings::Settings::default();
    settings.providers = vec![instaotp_desktop::settings::ProviderEntry {
        id: "backup".into(),
        name: "Backup".into(),
        api_url: second.url(),
    }];
    settings.save(dir.path()).expect("settings");
    let keychain = Arc::new(MemoryKeychain::with_key(KEY));
    instaotp_desktop::platform::keychain::Keychain::save(
        &*keychain.provider_entry("backup"),
        SECOND_KEY,
    )
    .expect("key");
    let mut config = AppConfig::new(dir.path().to_path_buf(), keychain);
    config.api_url_override = Some(first.url());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(move |cc| App::new(&cc.egui_ctx, config));
    wait(&mut h, "2 x 10,000 offers", |a| {
        a.shown_offer_count() == 10_000
            && a.provider_sessions()
                .any(|(_, s)| s.offers().rows().len() == 10_000)
    });
    h.state_mut().run_command(Command::SortBy(Some(
        instaotp_desktop::offers::Column::Price,
    )));
    h.run_steps(3);

    let window = Window::new();
    for _ in 0..5 {
        window.frame(h.state_mut(), Vec::new());
    }
    c.bench_function("window/services_frame_2x10k_still", |b| {
        b.iter(|| window.frame(h.state_mut(), Vec::new()))
    });
    window.frame(
        h.state_mut(),
        vec![egui::Event::PointerMoved(egui::pos2(500.0, 400.0))],
    );
    let mut wheel = Wheel::default();
    c.bench_function("window/services_frame_2x10k_scrolling", |b| {
        b.iter(|| window.frame(h.state_mut(), vec![wheel.next()]))
    });
    c.bench_function("kittest/services_frame_2x10k_still", |b| {
        b.iter(|| h.step())
    });
}

fn runtime_for(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let _enter = rt.enter();
    services(c);
    two_providers(c);
}

criterion_group! {
    name = frames;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = runtime_for, orders
}
criterion_main!(frames);
