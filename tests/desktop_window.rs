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

/// Frames per tab with five open orders: the real window, the default renderer (glow),
/// software rendering under Xvfb. The app counts its frames and logs each at debug level
/// (`frame frame=N tab=T`); this counts them over 30 s on each tab while the five orders are
/// polled every 5 s. Budgets: a tab whose content does not change (Services, Settings) draws no
/// frame, one allowed for a changed label ("updated … ago", a tab's count); Orders, with its
/// countdowns, at most one a second. 30 s a tab, because the labels that may change ("updated …
/// ago") change at most once a minute and a poll comes every 5 s: six polls per tab are
/// enough to see a poll that wakes the window, and the whole test stays under two minutes.
/// Needs an unlocked Secret Service too (the key is read from the keychain, as at a real start).
mod frames_with_open_orders {
    use std::path::Path;
    use std::process::Child;
    use std::time::{Duration, Instant};

    use instaotp_desktop::api::{ApiKey, Client, ClientConfig};
    use instaotp_desktop::orders::{Order, OrderStore, account::account_of, now_millis};
    use instaotp_desktop::platform::keychain::{Keychain, OsKeychain};
    use instaotp_desktop::sim::{SimConfig, Simulator};

    use super::{Display, app, display, log_text, xdo};

    const KEY: &str = "frames-test-key";
    /// A keychain entry of this test's own: neither a person's key nor the other tests' entry.
    const KEYCHAIN: &str = "instaotp-desktop-test-frames";
    const WINDOW: Duration = Duration::from_secs(30);

    /// Five numbers bought from the simulator over HTTP with the app's own client and written
    /// into the data folder's orders database for the key's account, as the app writes a
    /// purchase: open orders whose code never comes. Returns their ids.
    fn buy_open_orders(sim: &Simulator, data: &Path, n: usize) -> Vec<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let key = ApiKey::new(KEY);
            let client = Client::new(ClientConfig::new(sim.url(), key.clone())).unwrap();
            let offers = client.services(None, None).await.unwrap();
            let offer = offers
                .into_iter()
                .find(|o| o.qty >= n as u64)
                .expect("an offer with numbers left");
            let store = OrderStore::open(&data.join("orders.sqlite")).unwrap();
            let account = account_of(&store.account_secret().unwrap(), &key, &sim.url());
            let mut ids = Vec::new();
            for _ in 0..n {
                let purchase = client
                    .buy(&offer.service_code, &offer.country, &offer.server)
                    .await
                    .unwrap();
                let mut order = Order::new(&offer, purchase, now_millis());
                order.account = Some(account.clone());
                store.save(&order).unwrap();
                ids.push(order.order_id);
            }
            ids
        })
    }

    /// The frames the app logged so far: (frame number, tab).
    fn frames(data: &Path) -> Vec<(u64, String)> {
        log_text(data)
            .lines()
            .filter_map(|line| {
                let mut fields = line.split(" frame frame=").nth(1)?.split_whitespace();
                let n = fields.next()?.parse().ok()?;
                let tab = fields.next()?.strip_prefix("tab=")?.to_owned();
                Some((n, tab))
            })
            .collect()
    }

    fn last_frame(data: &Path) -> u64 {
        frames(data).iter().map(|f| f.0).max().unwrap_or(0)
    }

    fn wait_for(what: &str, timeout: Duration, cond: impl Fn() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(start.elapsed() < timeout, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens a tab with its shortcut, lets it settle, and returns the tabs of the frames drawn
    /// in the next 30 s.
    fn frames_on(d: &Display, data: &Path, shortcut: &str, tab: &str) -> Vec<String> {
        let before = last_frame(data);
        xdo(d, &["key", "--clearmodifiers", shortcut]);
        wait_for(
            &format!("a frame of {tab}"),
            Duration::from_secs(10),
            || frames(data).iter().any(|(n, t)| *n > before && t == tab),
        );
        // The key's release and any short animation of the switch are over.
        std::thread::sleep(Duration::from_secs(3));
        let start = last_frame(data);
        std::thread::sleep(WINDOW);
        frames(data)
            .into_iter()
            .filter(|(n, _)| *n > start)
            .map(|(_, t)| t)
            .collect()
    }

    /// Starts the app on the test's simulator, signed in with the key from the keychain, with
    /// frames logged, and waits until the offers are on screen; the window has the keyboard and
    /// the pointer is away from it.
    fn start_signed_in(d: &Display, data: &Path, sim: &Simulator) -> Child {
        // The test's simulator and keychain entry (the last value of an option counts).
        let app = app(d, data)
            .args(["--api-url", &sim.url(), "--keychain-service", KEYCHAIN])
            .env("INSTAOTP_LOG", "info,instaotp_desktop::app=debug")
            .env_remove("INSTAOTP_RENDERER")
            .spawn()
            .expect("the app");
        let wid = xdo(d, &["search", "--sync", "--name", "InstaOTP Desktop"])
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(!wid.is_empty(), "the window did not open");
        wait_for("the offers on screen", Duration::from_secs(30), || {
            log_text(data).contains("first frame with offers")
        });
        xdo(d, &["windowfocus", "--sync", &wid]);
        // No hover: the pointer leaves the window (1100×720 at the top left of 1280×800).
        xdo(d, &["mousemove", "1279", "799"]);
        app
    }

    #[test]
    #[ignore = "needs Xvfb, xdotool and a Secret Service; run by .ci/run"]
    fn with_five_orders_open_each_tab_draws_within_its_frame_budget() {
        let d = display(7);
        let data = tempfile::tempdir().unwrap();
        let sim = Simulator::start(SimConfig {
            accounts: vec![(KEY.into(), "1000".parse().unwrap())],
            code_delay: None,
            ..SimConfig::default()
        })
        .unwrap();
        let ids = buy_open_orders(&sim, data.path(), 5);
        let keychain = OsKeychain::new(KEYCHAIN);
        keychain.save(KEY).expect("an unlocked Secret Service");

        let mut app = start_signed_in(&d, data.path(), &sim);
        let measured_from = Instant::now();

        let services = frames_on(&d, data.path(), "ctrl+1", "Services");
        let orders = frames_on(&d, data.path(), "ctrl+2", "Orders");
        let settings = frames_on(&d, data.path(), "ctrl+3", "Settings");

        eprintln!(
            "frames in 30 s with five open orders: Services {}, Orders {}, Settings {}",
            services.len(),
            orders.len(),
            settings.len()
        );
        let log = log_text(data.path());
        assert!(log.contains("renderer=Glow"), "measured on glow:\n{log}");
        // The five orders were open and polled all along (every 5 s), each on its own.
        for id in &ids {
            let polls = sim
                .requests()
                .iter()
                .filter(|r| {
                    r.action == "getStatus"
                        && r.at >= measured_from
                        && r.params.get("id") == Some(id)
                })
                .count();
            assert!(polls >= 10, "order {id} polled {polls} times in 90 s");
        }
        for (tab, drawn) in [
            ("Services", &services),
            ("Orders", &orders),
            ("Settings", &settings),
        ] {
            assert!(
                drawn.iter().all(|t| t == tab),
                "{tab}: frames of another tab {drawn:?}"
            );
        }
        assert!(
            services.len() <= 1,
            "Services drew {} frames in 30 s where nothing changes (budget: 1 for a label)",
            services.len()
        );
        assert!(
            settings.len() <= 1,
            "Settings drew {} frames in 30 s where nothing changes (budget: 1 for a label)",
            settings.len()
        );
        assert!(
            orders.len() <= 31,
            "Orders drew {} frames in 30 s (budget: one a second for the countdowns)",
            orders.len()
        );
        // The countdowns of the five orders tick: the orders are on screen, and the counter
        // counts (a loose floor: a loaded machine may draw a tick late, not skip many).
        assert!(
            orders.len() >= 20,
            "Orders drew only {} frames in 30 s: no countdowns?",
            orders.len()
        );

        app.kill().unwrap();
        let _unused = app.wait();
        keychain.delete().unwrap();
    }
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
