//! One app per data folder, so two windows never work on one orders database. The first start
//! holds a lock on `instance.lock` and listens on a loopback port written (with a random token)
//! to `instance.addr`; a second start finds the lock taken, tells the first one to come to the
//! front, and exits. Works alike on Linux, Windows and macOS with the standard library only.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const LOCK_FILE: &str = "instance.lock";
const ADDR_FILE: &str = "instance.addr";
/// How long a second start waits for the first one to answer.
const HAND_OVER_WAIT: Duration = Duration::from_secs(1);
const GREETING: &str = "SHOW";

/// What this start is.
pub enum Claim {
    /// The only app on this data folder: keep the guard for as long as the app runs.
    First(Instance),
    /// Another app runs on this data folder and was asked to come to the front.
    HandedOver,
    /// Another app holds the folder but did not answer (starting, or stuck).
    Busy,
}

/// The running app's side: the lock, and the requests of later starts to come to the front.
pub struct Instance {
    _lock: File,
    shown: mpsc::Receiver<()>,
    /// Woken when a later start asks; set once the window exists.
    ctx: Arc<OnceLock<egui::Context>>,
}

impl Instance {
    /// Wakes `ctx` when a later start asks for the window.
    pub fn attach(&self, ctx: &egui::Context) {
        let _already = self.ctx.set(ctx.clone()).is_err();
    }

    /// A later start asked for the window since the last call.
    pub fn asked_to_show(&self) -> bool {
        self.shown.try_iter().count() > 0
    }
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Instance")
    }
}

/// Claims `data_dir` for this process, or hands over to the app that has it.
pub fn claim(data_dir: &Path) -> std::io::Result<Claim> {
    crate::private_files::create_dir(data_dir)?;
    let lock = crate::private_files::file_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(hand_over(data_dir)),
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let token = token();
    let addr = listener.local_addr()?;
    std::fs::write(data_dir.join(ADDR_FILE), format!("{addr} {token}\n"))?;
    let (tx, shown) = mpsc::channel();
    let ctx: Arc<OnceLock<egui::Context>> = Arc::new(OnceLock::new());
    let wake = ctx.clone();
    std::thread::Builder::new()
        .name("single-instance".into())
        .spawn(move || listen(&listener, &token, &tx, &wake))?;
    Ok(Claim::First(Instance {
        _lock: lock,
        shown,
        ctx,
    }))
}

fn listen(
    listener: &TcpListener,
    token: &str,
    tx: &mpsc::Sender<()>,
    ctx: &OnceLock<egui::Context>,
) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _timeout = stream.set_read_timeout(Some(HAND_OVER_WAIT));
        let mut line = String::new();
        // One short line: nothing longer than a greeting is read.
        let read = BufReader::new(std::io::Read::take(&stream, 256))
            .read_line(&mut line)
            .is_ok_and(|n| n > 0);
        if read && line.trim() == format!("{GREETING} {token}") {
            if tx.send(()).is_err() {
                return; // the app is gone
            }
            if let Some(ctx) = ctx.get() {
                ctx.request_repaint();
            }
            let _answered = stream.write_all(b"OK\n").is_ok();
        }
    }
}

/// Asks the app holding the folder to come to the front.
fn hand_over(data_dir: &Path) -> Claim {
    let Ok(text) = std::fs::read_to_string(data_dir.join(ADDR_FILE)) else {
        return Claim::Busy;
    };
    let mut parts = text.split_whitespace();
    let (Some(addr), Some(token)) = (parts.next(), parts.next()) else {
        return Claim::Busy;
    };
    let Ok(addr) = addr.parse::<SocketAddr>() else {
        return Claim::Busy;
    };
    // Only this computer: a tampered file cannot send the greeting elsewhere.
    if !addr.ip().is_loopback() {
        return Claim::Busy;
    }
    let asked = TcpStream::connect_timeout(&addr, HAND_OVER_WAIT).and_then(|mut stream| {
        stream.set_read_timeout(Some(HAND_OVER_WAIT))?;
        stream.write_all(format!("{GREETING} {token}\n").as_bytes())?;
        let mut answer = String::new();
        BufReader::new(&stream).read_line(&mut answer)?;
        Ok(answer.trim() == "OK")
    });
    match asked {
        Ok(true) => Claim::HandedOver,
        Ok(false) => Claim::Busy,
        Err(e) => {
            tracing::warn!("the running app did not answer: {e}");
            Claim::Busy
        }
    }
}

/// A random token, so only a start that can read the data folder can ask for the window.
fn token() -> String {
    crate::orders::account::new_secret()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_second_claim_hands_over_to_the_first_and_a_released_folder_is_free_again() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path()).unwrap() else {
            panic!("the first claim holds the folder");
        };
        assert!(!first.asked_to_show());
        assert!(matches!(claim(dir.path()).unwrap(), Claim::HandedOver));
        let start = std::time::Instant::now();
        while !first.asked_to_show() {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no hand-over seen"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // Another folder is another app.
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(claim(other.path()).unwrap(), Claim::First(_)));
        drop(first);
        assert!(matches!(claim(dir.path()).unwrap(), Claim::First(_)));
    }

    #[test]
    fn a_wrong_token_is_not_obeyed() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path()).unwrap() else {
            panic!("first");
        };
        let text = std::fs::read_to_string(dir.path().join(ADDR_FILE)).unwrap();
        let addr: SocketAddr = text.split_whitespace().next().unwrap().parse().unwrap();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(b"SHOW not-the-token\n").unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let mut answer = String::new();
        let _closed = BufReader::new(&stream).read_line(&mut answer).is_err();
        assert_eq!(answer, "");
        assert!(!first.asked_to_show());
    }
}
