//! Every screen at every size staff use: 800×600 and 1280×800, at text sizes 1.0 and 1.6 (and
//! the smallest, 0.8). On each screen no control is cut off at the side or drawn outside the
//! window, no two controls overlap, and the controls that matter (tabs, Buy, Copy code, Save)
//! are whole on screen. Checked on the widget rectangles egui laid out, not on pixels.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{TestApp, fast_sim, start_app_sized, write_settings};
use egui::Rect;
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;

const WAIT: Duration = Duration::from_secs(20);

/// One laid-out control: its name, where it is drawn, and the part of it that can be seen.
#[derive(Debug, Clone)]
struct Control {
    name: String,
    layer: egui::LayerId,
    rect: Rect,
    shown: Rect,
}

/// The controls (anything that can be clicked, dragged or typed in) of the last frame.
fn controls(t: &TestApp) -> (Rect, Vec<Control>) {
    // Names come from the accessibility tree: the node drawn at the same place.
    let named: Vec<(Rect, String)> = t
        .harness
        .query_all(egui_kittest::kittest::By::new().predicate(|n| n.label().is_some()))
        .filter(|n| n.accesskit_node().bounding_box().is_some())
        .map(|n| (n.rect(), n.accesskit_node().label().unwrap_or_default()))
        .collect();
    let name_at = |r: Rect| {
        named
            .iter()
            .find(|(at, _)| (at.min - r.min).length() < 1.0 && (at.max - r.max).length() < 1.0)
            .map(|(_, n)| n.clone())
    };
    let ctx = &t.harness.ctx;
    let screen = ctx.content_rect();
    let list = ctx.viewport(|v| {
        let widgets = &v.prev_pass.widgets;
        let mut out = Vec::new();
        for (layer, rects) in widgets.layers() {
            for w in rects {
                if !w.visible || !w.sense.interactive() || !w.interact_rect.is_positive() {
                    continue;
                }
                let name = name_at(w.rect).unwrap_or_else(|| format!("{:?}", w.id));
                out.push(Control {
                    name,
                    layer: *layer,
                    rect: w.rect,
                    shown: w.interact_rect,
                });
            }
        }
        out
    });
    (screen, list)
}

/// Fails with every fault found on the screen now shown.
pub(crate) fn check(t: &mut TestApp, screen_name: &str, must_be_whole: &[&str]) {
    t.harness.run_steps(3);
    let (screen, list) = controls(t);
    let mut faults = Vec::new();
    for c in &list {
        let inside = screen.expand(0.5);
        if !inside.contains_rect(c.shown) {
            faults.push(format!(
                "{:?} drawn outside the window {screen:?}: {:?}",
                c.name, c.shown
            ));
        }
        // Scrolled part-way out at the top or bottom is fine; cut at the side is not.
        if c.shown.width() + 1.0 < c.rect.width() {
            faults.push(format!(
                "{:?} cut at the side: {:.0} of {:.0} wide",
                c.name,
                c.shown.width(),
                c.rect.width()
            ));
        }
    }
    for (i, a) in list.iter().enumerate() {
        for b in list.iter().skip(i + 1) {
            if a.layer != b.layer
                || a.shown.contains_rect(b.shown)
                || b.shown.contains_rect(a.shown)
            {
                continue;
            }
            let common = a.shown.intersect(b.shown);
            if common.is_positive() && common.area() > 4.0 {
                faults.push(format!(
                    "{:?} {:?} overlaps {:?} {:?}",
                    a.name, a.shown, b.name, b.shown
                ));
            }
        }
    }
    for name in must_be_whole {
        let whole = list.iter().any(|c| {
            c.name.starts_with(name)
                && c.shown.width() + 1.0 >= c.rect.width()
                && c.shown.height() + 1.0 >= c.rect.height()
        });
        if !whole {
            faults.push(format!("no whole {name:?} on screen"));
        }
    }
    assert!(
        faults.is_empty(),
        "{screen_name} at {screen:?} (text size {}):\n{}",
        t.harness.ctx.zoom_factor(),
        faults.join("\n")
    );
}

/// Walks every screen of a signed-in app in a window of `size` at text size `scale`.
fn walk_screens(size: egui::Vec2, scale: f32) {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_secs(2)),
    );
    write_settings(dir.path(), |s| {
        s.cancel_lock_secs = 120;
        s.poll_interval_secs = 1;
        s.text_scale = scale;
    });
    let mut t = TestApp::signed_in_sized(dir.path(), &sim, size);
    let at = format!("{}×{} at {scale}", size.x, size.y);
    check(
        &mut t,
        &format!("Services {at}"),
        &["Services", "Orders", "Settings", "Buy WhatsApp"],
    );

    t.open_buy("whatsapp", "WhatsApp");
    check(
        &mut t,
        &format!("Buy dialog {at}"),
        &["Buy for ", "Don't buy"],
    );
    t.confirm_buy();
    t.run_until("the purchase", WAIT, |h| !h.state().is_buying());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("the second purchase", WAIT, |h| !h.state().is_buying());
    t.click_tab("Orders");
    t.wait_for_text("Copy code", WAIT);
    check(&mut t, &format!("Orders {at}"), &["Copy code", "Finish"]);
    t.click("One line each");
    t.harness.run_steps(3);
    check(
        &mut t,
        &format!("Orders, one line each, {at}"),
        &["Copy code", "Finish", "Copy number"],
    );

    t.click_tab("Settings");
    check(&mut t, &format!("Settings {at}"), &["Change key"]);
    // The end of the page, scrolled to.
    let middle = t.harness.ctx.content_rect().center();
    t.harness.hover_at(middle);
    for _ in 0..10 {
        t.scroll(-400.0);
    }
    check(
        &mut t,
        &format!("Settings, scrolled down, {at}"),
        &["Open log folder"],
    );
}

#[test]
fn every_screen_fits_800_by_600_at_text_size_1() {
    walk_screens(egui::vec2(800.0, 600.0), 1.0);
}

#[test]
fn every_screen_fits_800_by_600_at_text_size_1_6() {
    walk_screens(egui::vec2(800.0, 600.0), 1.6);
}

#[test]
fn every_screen_fits_1280_by_800_at_text_size_1() {
    walk_screens(egui::vec2(1280.0, 800.0), 1.0);
}

#[test]
fn every_screen_fits_1280_by_800_at_text_size_1_6() {
    walk_screens(egui::vec2(1280.0, 800.0), 1.6);
}

#[test]
fn every_screen_fits_800_by_600_at_the_smallest_text() {
    walk_screens(egui::vec2(800.0, 600.0), 0.8);
}

#[test]
fn the_welcome_screen_fits_800_by_600_at_text_size_1_6() {
    let dir = tempfile::tempdir().unwrap();
    write_settings(dir.path(), |s| s.text_scale = 1.6);
    let mut t = start_app_sized(
        dir.path(),
        &crate::common::dead_url(),
        Arc::new(MemoryKeychain::default()),
        Vec::new(),
        egui::vec2(800.0, 600.0),
    );
    t.run_until("the welcome screen", WAIT, |h| {
        h.state().screen() == instaotp_desktop::app::Screen::Welcome
    });
    check(
        &mut t,
        "Welcome 800×600 at 1.6",
        &["API key", "Check and save"],
    );
}
