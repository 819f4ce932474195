//! What the app says: confirmations fade into the Activity list, a problem said again is one
//! counted line, at most three lines show, and a reply the app did not understand is shown once,
//! folded under "Details".

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

mod common;

use std::time::Duration;

use common::{TestApp, fast_sim};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::app::MessageKind;
use instaotp_desktop::sim::{Fault, Simulator};

const WAIT: Duration = Duration::from_secs(15);

fn ready(dir: &std::path::Path) -> (Simulator, TestApp) {
    let sim = fast_sim(dir, Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir, &sim);
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    (sim, t)
}

/// The balance is asked for again and answered with `fault`; waits for the answer.
fn balance_fails(t: &mut TestApp, sim: &Simulator, fault: Fault) {
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    let asked = sim.count("getBalance");
    sim.fault_once("getBalance", fault);
    t.click("⟳ Refresh balance");
    t.run_until("the balance answered", WAIT, |h| {
        sim.count("getBalance") > asked && h.state().is_idle()
    });
}

fn shown_texts(t: &TestApp) -> Vec<String> {
    t.app()
        .shown_messages()
        .iter()
        .map(|m| m.text.clone())
        .collect()
}

#[test]
fn a_confirmation_fades_after_a_few_seconds_and_stays_in_activity() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, mut t) = ready(dir.path());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| {
        h.state()
            .shown_messages()
            .iter()
            .any(|m| m.text.starts_with("Bought "))
    });
    let bought = t
        .app()
        .shown_messages()
        .iter()
        .find(|m| m.text.starts_with("Bought "))
        .unwrap()
        .clone();
    assert_eq!(bought.kind, MessageKind::Success);
    assert!(t.has_text(&bought.text));
    // Each kittest frame is a quarter of a second of input time: 12 frames are 3 s.
    t.harness.run_steps(12);
    assert!(
        shown_texts(&t).contains(&bought.text),
        "gone too soon: {:?}",
        shown_texts(&t)
    );
    t.harness.run_steps(12);
    assert!(
        !shown_texts(&t).contains(&bought.text),
        "still there after 6 s"
    );
    assert!(!t.has_text(&bought.text), "still on screen");
    // In the Activity list, with its time.
    t.click("Activity");
    t.wait_for_text(&bought.text, WAIT);
    let now = instaotp_desktop::orders::now_millis();
    let tz = instaotp_desktop::orders::history::local_time_zone();
    let times = [
        instaotp_desktop::orders::history::time_of_day(now, &tz),
        instaotp_desktop::orders::history::time_of_day(now - 60_000, &tz),
    ];
    assert!(
        times.iter().any(|time| t.has_text(time)),
        "no time like {times:?} in Activity"
    );
    assert!(t.app().activity_texts().contains(&bought.text));
}

#[test]
fn the_same_problem_is_one_line_with_a_count_and_its_reply_once_under_details() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, mut t) = ready(dir.path());
    for _ in 0..3 {
        balance_fails(&mut t, &sim, Fault::EchoRequest(403));
    }
    let shown = t.app().shown_messages().to_vec();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    let problem = &shown[0];
    assert_eq!(problem.kind, MessageKind::Error);
    assert_eq!(problem.count, 3);
    assert!(problem.text.contains("error 403"), "{}", problem.text);
    assert!(t.has_text("×3, last "), "no count on screen");
    // The reply is not in the sentence, and folded: on screen only once "Details" is opened.
    let raw = problem.raw.clone().expect("the reply is kept");
    assert!(raw.contains("GET"), "{raw}");
    assert!(!problem.text.contains(&raw));
    assert!(!t.has_text("InstaOTP replied"));
    t.click("Details");
    assert_eq!(
        t.harness
            .query_all_by_label_contains("InstaOTP replied")
            .count(),
        1
    );
    // Problems do not fade.
    t.harness.run_steps(40);
    assert_eq!(t.app().shown_messages().len(), 1);
    // Dismissed, it is gone; the Activity list still has it.
    t.click("✖");
    assert!(t.app().shown_messages().is_empty());
    assert!(t.app().activity_texts().contains(&problem.text));
}

#[test]
fn at_most_three_lines_show_then_n_more() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, mut t) = ready(dir.path());
    let faults = [
        Fault::EchoRequest(403),
        Fault::EchoRequest(404),
        Fault::Garbage,
        Fault::Redirect {
            status: 302,
            location: "https://elsewhere.example/".into(),
        },
        Fault::EchoRequest(401),
    ];
    for fault in faults {
        balance_fails(&mut t, &sim, fault);
    }
    assert_eq!(t.app().shown_messages().len(), 5, "{:?}", shown_texts(&t));
    assert_eq!(t.harness.query_all_by_label("✖").count(), 3);
    assert!(t.has_text("2 more"));
    t.click("2 more");
    assert_eq!(t.harness.query_all_by_label("✖").count(), 5);
    t.click("Show fewer");
    assert_eq!(t.harness.query_all_by_label("✖").count(), 3);
    // The newest are the ones shown.
    let newest = &t.app().shown_messages()[4].text;
    assert!(t.has_text(newest));
}
