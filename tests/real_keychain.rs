//! The key stored and read back through the real OS keychain (Secret Service on Linux).
//! Needs an unlocked keychain, so it is ignored by plain `cargo test`; `.ci/run` runs it inside a
//! private D-Bus session with gnome-keyring. It uses a service name of its own, so running it on a
//! staff computer never touches the key saved there.

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

use instaotp_desktop::platform::keychain::{Keychain, OsKeychain};

#[test]
#[ignore = "needs a running Secret Service; run by .ci/run"]
fn the_key_round_trips_through_the_secret_service() {
    let keychain = OsKeychain::new("instaotp-desktop-test");
    keychain.delete().expect("clean start");
    assert_eq!(keychain.load().expect("load"), None);
    keychain.save("real-keychain-test-key").expect("save");
    assert_eq!(
        keychain.load().expect("load").as_deref(),
        Some("real-keychain-test-key")
    );
    keychain.save("replaced-key").expect("replace");
    assert_eq!(
        keychain.load().expect("load").as_deref(),
        Some("replaced-key")
    );
    keychain.delete().expect("delete");
    assert_eq!(keychain.load().expect("load"), None);
}
