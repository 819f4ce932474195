//! The real window under Xvfb: one app per data folder (a second start hands over to the first,
//! whose window becomes the active one, and exits at once), and the window's size and position
//! come back at the next start.
//!
//! Needs an X server (Xvfb, started here), a window manager (openbox, started here: raising a
//! window is the window manager's job) and xdotool, so it is ignored by plain `cargo test`;
//! `.ci/run` runs it inside a private D-Bus session.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Display {
    name: String,
    xvfb: Child,
    wm: Option<Child>,
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(wm) = &mut self.wm {
            let _unused = wm.kill();
            let _unused = wm.wait();
        }
        let _unused = self.xvfb.kill();
        let _unused = self.xvfb.wait();
    }
}

fn display(n: u32) -> Display {
    let name = format!(":{}", 100 + (std::process::id() + n) % 400);
    let xvfb = Command::new("Xvfb")
        .args([
            name.as_str(),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (apt-get install xvfb)");
    std::thread::sleep(Duration::from_secs(1));
    Display {
        name,
        xvfb,
        wm: None,
    }
}

/// A display with a window manager, which activating a window needs.
fn display_with_wm(n: u32) -> Display {
    let mut d = display(n);
    d.wm = Some(
        Command::new("openbox")
            .env("DISPLAY", &d.name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox (apt-get install openbox)"),
    );
    std::thread::sleep(Duration::from_secs(1));
    d
}

fn xdo(d: &Display, args: &[&str]) -> String {
    let out = Command::new("timeout")
        .arg("30")
        .arg("xdotool")
        .args(args)
        .env("DISPLAY", &d.name)
        .output()
        .expect("xdotool");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn app(d: &Display, data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_instaotp-desktop"));
    c.args(["--data-dir", &data.to_string_lossy()])
        .args(["--api-url", "http://127.0.0.1:9/api"])
        .args(["--keychain-service", "instaotp-desktop-test-window"])
        .env("DISPLAY", &d.name)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// The ids of the app's windows now.
fn windows(d: &Display) -> Vec<String> {
    xdo(d, &["search", "--name", "InstaOTP Desktop"])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Starts the app and waits for its window (and a few frames).
fn start(d: &Display, data: &Path) -> (Child, String) {
    let child = app(d, data).spawn().expect("the app");
    let wid = xdo(d, &["search", "--sync", "--name", "InstaOTP Desktop"])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(!wid.is_empty(), "the window did not open");
    std::thread::sleep(Duration::from_secs(2));
    (child, wid)
}

fn log_text(data: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(data.join("logs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    text
}

/// "width height" of a window, from `xdotool getwindowgeometry`.
fn size(d: &Display, wid: &str) -> String {
    let geometry = xdo(d, &["getwindowgeometry", wid]);
    geometry
        .lines()
        .find_map(|l| l.trim().strip_prefix("Geometry: "))
        .unwrap_or_default()
        .to_owned()
}

#[test]
#[ignore = "needs Xvfb, openbox and xdotool; run by .ci/run"]
fn a_second_start_hands_over_to_the_running_app_and_exits() {
    let d = display_with_wm(1);
    let data = tempfile::tempdir().unwrap();
    let (mut first, first_wid) = start(&d, data.path());

    // Another data folder is another app, with its own window; it is the active one now.
    let other = tempfile::tempdir().unwrap();
    let mut second = app(&d, other.path()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while windows(&d).len() < 2 {
        assert!(
            Instant::now() < deadline,
            "a second data folder opens its own window"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let other_wid = windows(&d).into_iter().find(|w| *w != first_wid).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    xdo(&d, &["windowactivate", "--sync", &other_wid]);
    assert_eq!(xdo(&d, &["getactivewindow"]).trim(), other_wid);

    // Started again on the first folder: it hands over and exits; the first window comes up.
    let started = Instant::now();
    let status = app(&d, data.path()).status().expect("second start");
    let took = started.elapsed();
    assert!(status.success(), "the second start exits 0: {status:?}");
    assert!(
        took < Duration::from_secs(2),
        "the second start took {took:?}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while xdo(&d, &["getactivewindow"]).trim() != first_wid {
        assert!(
            Instant::now() < deadline,
            "the first window did not become active"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(windows(&d).len(), 2, "no third window");
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first app still runs"
    );
    let log = log_text(data.path());
    assert!(log.contains("opened again: coming to the front"), "{log}");

    second.kill().unwrap();
    let _unused = second.wait();
    first.kill().unwrap();
    let _unused = first.wait();
}

#[test]
#[ignore = "needs Xvfb and xdotool; run by .ci/run"]
fn the_window_comes_back_with_its_size() {
    let d = display(2);
    let data = tempfile::tempdir().unwrap();
    let (mut app1, wid) = start(&d, data.path());
    xdo(&d, &["windowsize", "--sync", &wid, "900", "640"]);
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(size(&d, &wid), "900x640");
    // Closed as a person does (Ctrl+Q): the window's state is written on the way out.
    xdo(&d, &["windowfocus", "--sync", &wid]);
    xdo(&d, &["key", "--window", &wid, "ctrl+q"]);
    let deadline = Instant::now() + Duration::from_secs(15);
    while app1.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the app did not close");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        data.path().join("window.ron").exists(),
        "window state kept in the data folder"
    );

    let (mut app2, wid2) = start(&d, data.path());
    assert_eq!(size(&d, &wid2), "900x640", "the size came back");
    app2.kill().unwrap();
    let _unused = app2.wait();
}

/// The window's `_NET_WM_STATE`, as the window manager set it (xprop).
fn wm_state(d: &Display, wid: &str) -> String {
    let out = Command::new("xprop")
        .args(["-id", wid, "_NET_WM_STATE"])
        .env("DISPLAY", &d.name)
        .output()
        .expect("xprop (apt-get install x11-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Maximises a window as a person does from its title bar (wmctrl asks the window manager).
fn maximise(d: &Display, wid: &str) {
    let status = Command::new("wmctrl")
        .args(["-i", "-r", wid, "-b", "add,maximized_vert,maximized_horz"])
        .env("DISPLAY", &d.name)
        .status()
        .expect("wmctrl (apt-get install wmctrl)");
    assert!(status.success());
}

#[test]
#[ignore = "needs Xvfb, openbox, wmctrl and xprop; run by .ci/run"]
fn a_maximised_window_comes_back_maximised() {
    let d = display_with_wm(3);
    let data = tempfile::tempdir().unwrap();
    let (mut app1, wid) = start(&d, data.path());
    assert!(
        !wm_state(&d, &wid).contains("MAXIMIZED"),
        "not maximised at first"
    );
    maximise(&d, &wid);
    std::thread::sleep(Duration::from_secs(2));
    assert!(wm_state(&d, &wid).contains("_NET_WM_STATE_MAXIMIZED_VERT"));
    xdo(&d, &["windowactivate", "--sync", &wid]);
    xdo(&d, &["key", "--window", &wid, "ctrl+q"]);
    let deadline = Instant::now() + Duration::from_secs(15);
    while app1.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the app did not close");
        std::thread::sleep(Duration::from_millis(100));
    }
    let kept = std::fs::read_to_string(data.path().join("window.ron")).unwrap_or_default();
    assert!(
        kept.contains("maximized:true") || kept.contains("maximized: true"),
        "{kept}"
    );

    let (mut app2, wid2) = start(&d, data.path());
    let state = wm_state(&d, &wid2);
    assert!(
        state.contains("_NET_WM_STATE_MAXIMIZED_VERT")
            && state.contains("_NET_WM_STATE_MAXIMIZED_HORZ"),
        "the window came back maximised: {state}"
    );
    app2.kill().unwrap();
    let _unused = app2.wait();
}
