//! What the app says: confirmations fade into the Activity list, a problem said again is one
//! counted line, at most three lines show, and a reply the app did not understand is shown once,
//! folded under "Details".

use std::time::Duration;

use crate::common::{TestApp, fast_sim};
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
    // The notes' corner grows upward over a frame or two (it is anchored at the bottom).
    t.harness.run_steps(3);
    assert_eq!(t.harness.query_all_by_label("✖").count(), 5);
    t.click("Show fewer");
    t.harness.run_steps(3);
    assert_eq!(t.harness.query_all_by_label("✖").count(), 3);
    // The newest are the ones shown.
    let newest = &t.app().shown_messages()[4].text;
    assert!(t.has_text(newest));
}

/// The rectangle of the first widget named `label` (its accessibility bounds).
fn rect_of(t: &TestApp, label: &str) -> egui::Rect {
    let node = t
        .harness
        .query_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("no {label:?}"));
    node.rect()
}

/// Nothing moves under the pointer: a note appearing and fading, and a code arriving, leave the
/// buttons where they were (a second click on "Copy code" once landed on "Copy number").
#[test]
fn notes_and_codes_never_move_the_buttons_under_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", Duration::from_secs(20), |h| {
        h.state().orders().iter().any(|o| !o.is_attempt())
    });
    let id = t.app().orders()[0].order_id.clone();
    // The tabs after Orders keep their place when its name changes ("1 code ready").
    let settings_tab = rect_of(&t, "Settings");
    sim.deliver_code(&id, "540802");
    t.click_tab("Orders");
    t.wait_for_text("540802", Duration::from_secs(20));
    assert!(t.has_text("Orders (1 code ready)"));
    assert_eq!(
        rect_of(&t, "Settings"),
        settings_tab,
        "the Settings tab moved"
    );
    // Let the purchase's own note fade first: from here on, every rectangle is compared.
    t.run_until("no notes", Duration::from_secs(20), |h| {
        h.state().shown_messages().is_empty()
    });
    let labels = ["Copy code", "Copy number", "Finish"];
    let before: Vec<egui::Rect> = labels.iter().map(|l| rect_of(&t, l)).collect();
    t.click("Copy code");
    assert!(!t.app().shown_messages().is_empty(), "a note is shown");
    // The pressed button says so on itself, in the same place and size.
    assert_eq!(
        rect_of(&t, "Copied ✓"),
        before[0],
        "the pressed button moved"
    );
    for (label, was) in labels.iter().zip(&before).skip(1) {
        assert_eq!(
            rect_of(&t, label),
            *was,
            "{label} moved when the note appeared"
        );
    }
    // Pressed again, it copies again.
    t.click("Copied ✓");
    t.run_until("the notes fade", Duration::from_secs(20), |h| {
        h.state().shown_messages().is_empty()
    });
    assert!(!t.has_text("Copied ✓"), "back to its name after a moment");
    for (label, was) in labels.iter().zip(&before) {
        assert_eq!(
            rect_of(&t, label),
            *was,
            "{label} moved when the note faded"
        );
    }

    // On Services, a code arriving for another number moves no Buy button.
    t.click_tab("Services");
    t.wait_for_offers();
    t.buy("paytm", "Paytm");
    t.run_until("bought", Duration::from_secs(20), |h| {
        h.state()
            .orders()
            .iter()
            .filter(|o| !o.is_attempt())
            .count()
            == 2
    });
    t.click_tab("Services");
    t.run_until("no notes", Duration::from_secs(20), |h| {
        h.state().shown_messages().is_empty()
    });
    let buy = "Buy Paytm";
    let first = t
        .harness
        .query_all_by_label_contains(buy)
        .next()
        .map(|n| n.rect())
        .unwrap();
    let second = t.app().orders()[0].order_id.clone();
    sim.deliver_code(&second, "112233");
    t.wait_for_text("Code 112233 arrived for Paytm", Duration::from_secs(20));
    let after = t
        .harness
        .query_all_by_label_contains(buy)
        .next()
        .map(|n| n.rect())
        .unwrap();
    assert_eq!(after, first, "the Buy button moved when a code arrived");
}
