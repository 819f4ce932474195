//! The key stored and read back through the real OS keychain (Secret Service on Linux).
//! Needs an unlocked keychain, so it is ignored by plain `cargo test`; `.ci/run` runs it inside a
//! private D-Bus session with gnome-keyring.

use instaotp_desktop::keychain::{Keychain, OsKeychain};

#[test]
#[ignore = "needs a running Secret Service; run by .ci/run"]
fn the_key_round_trips_through_the_secret_service() {
    let keychain = OsKeychain;
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
