//! A release feed and download server on 127.0.0.1 for the update tests: fixed files by path,
//! an installer at `/setup.exe` that answers `Range` requests (and, when asked, is cut off half
//! way once), every request's head kept; and the minisign signing of a feed.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub(crate) struct FeedServer {
    pub url: String,
    heads: Arc<Mutex<Vec<String>>>,
    /// The next `/setup.exe` without `Range` announces the whole length and sends half.
    pub cut: Arc<AtomicBool>,
}

fn reply(status: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

impl FeedServer {
    /// Serves `files` by path and `installer` at `/setup.exe`.
    pub fn start(files: HashMap<String, Vec<u8>>, installer: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let cut = Arc::new(AtomicBool::new(false));
        let (seen, cut_first) = (heads.clone(), cut.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                seen.lock().unwrap().push(head.clone());
                let range_from = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("range: bytes=")
                            .map(str::to_owned)
                    })
                    .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
                let answer = match (path.as_str(), range_from) {
                    ("/setup.exe", Some(from)) if from < installer.len() => {
                        let range = format!(
                            "Content-Range: bytes {from}-{}/{}\r\n",
                            installer.len() - 1,
                            installer.len()
                        );
                        reply("206 Partial Content", &range, &installer[from..])
                    }
                    ("/setup.exe", _) if cut_first.swap(false, Ordering::SeqCst) => {
                        // The whole length announced, half of it sent, then closed.
                        let mut r = reply("200 OK", "", &installer);
                        r.truncate(r.len() - installer.len() / 2);
                        r
                    }
                    ("/setup.exe", _) => reply("200 OK", "", &installer),
                    _ => match files.get(&path) {
                        Some(body) => reply("200 OK", "", body),
                        None => reply("404 Not Found", "", b""),
                    },
                };
                let _sent = stream.write_all(&answer);
            }
        });
        Self { url, heads, cut }
    }

    /// Every request's head, in order.
    pub fn requests(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// The requests for the installer.
    pub fn installer_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|h| h.starts_with("GET /setup.exe"))
            .collect()
    }
}

/// The feed and its signature as served at `/feed.json` and `/feed.json.minisig`, signed with a
/// fresh key (another fresh key with `sign_with_other`), and the public key the app is given.
pub(crate) fn signed_files(
    feed: &[u8],
    sign_with_other: bool,
) -> (HashMap<String, Vec<u8>>, String) {
    let keys = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let other = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let signer = if sign_with_other { &other } else { &keys };
    let signature = minisign::sign(
        Some(&signer.pk),
        &signer.sk,
        std::io::Cursor::new(feed),
        Some("InstaOTP Desktop release feed"),
        None,
    )
    .unwrap()
    .into_string();
    let files = HashMap::from([
        ("/feed.json".to_owned(), feed.to_vec()),
        ("/feed.json.minisig".to_owned(), signature.into_bytes()),
    ]);
    (files, keys.pk.to_base64())
}
