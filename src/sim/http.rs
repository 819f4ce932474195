//! A minimal, hand-written HTTP/1.1 server for the simulator.
//!
//! One request per connection (`Connection: close`), so faults such as truncated bodies and
//! dropped connections are simple to produce. Nothing read from the socket can make it panic.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::form_urlencoded;

use super::Shared;
use super::fault::{Fault, GARBAGE_BODY, HUGE_CHUNK, SERVER_ERROR_PAGE, rate_limit_body};
use super::state::LoggedRequest;

/// Largest accepted request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to drain what the client still sends after the reply, before closing.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";

/// A connection the simulator serves: plain TCP, or TLS over it (test builds).
pub(crate) trait Conn: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// Resets the connection (a TCP RST), as a crashed proxy does.
    fn reset(self);
}

impl Conn for TcpStream {
    fn reset(self) {
        // A zero linger makes closing send RST instead of FIN.
        let _unused = self.set_zero_linger();
    }
}

/// How a connection ends after its reply.
enum Ending {
    /// Shut down cleanly (over TLS: with `close_notify`).
    Close,
    /// Dropped without a word: over TLS, no `close_notify`.
    Drop,
    /// Reset (TCP RST).
    Reset,
}

/// The TLS side of the server, when it serves HTTPS.
#[cfg(feature = "test-support")]
pub(crate) type Tls = tokio_rustls::TlsAcceptor;
/// Without the test builds' TLS the simulator serves plain HTTP only.
#[cfg(not(feature = "test-support"))]
pub(crate) type Tls = std::convert::Infallible;

/// Accepts connections forever, one task per connection.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, tls: Option<Tls>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let shared = Arc::clone(&shared);
                let tls = tls.clone();
                tokio::spawn(async move { accept(stream, shared, tls).await });
            }
            Err(e) => {
                tracing::debug!("simulator accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Serves one connection, over TLS when the server has it.
async fn accept(stream: TcpStream, shared: Arc<Shared>, tls: Option<Tls>) {
    match tls {
        None => handle_connection(stream, shared).await,
        #[cfg(feature = "test-support")]
        Some(acceptor) => {
            if shared.take_handshake_failure() {
                // Read the client's hello, then hang up: the handshake fails before any request.
                let mut stream = stream;
                let mut hello = [0u8; 512];
                let _read = stream.read(&mut hello).await;
                return stream.reset();
            }
            match tokio::time::timeout(HEAD_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(stream)) => handle_connection(stream, shared).await,
                Ok(Err(e)) => tracing::debug!("simulator TLS handshake failed: {e}"),
                Err(_) => tracing::debug!("simulator TLS handshake timed out"),
            }
        }
        #[cfg(not(feature = "test-support"))]
        Some(never) => match never {},
    }
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
    Incomplete,
}

/// Where the head ends (after the blank line), if it does.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

async fn read_head(stream: &mut impl Conn) -> io::Result<Head> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = head_end(&buf) {
            if end > MAX_HEAD {
                return Ok(Head::TooLarge);
            }
            buf.truncate(end);
            return Ok(Head::Complete(buf));
        }
        if buf.len() > MAX_HEAD {
            return Ok(Head::TooLarge);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(Head::Incomplete);
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// The parts of a request line the simulator uses.
struct RequestLine<'a> {
    method: &'a [u8],
    path: &'a [u8],
    query: &'a [u8],
}

fn parse_request_line(head: &[u8]) -> Option<RequestLine<'_>> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut parts = line.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let method = parts.next()?;
    let target = parts.next()?;
    if let Some(version) = parts.next()
        && !version.starts_with(b"HTTP/")
    {
        return None;
    }
    if parts.next().is_some() || !method.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    // Absolute form: drop scheme and authority.
    let target = [&b"http://"[..], &b"https://"[..]]
        .iter()
        .find_map(|scheme| target.strip_prefix(*scheme))
        .map(|rest| {
            let slash = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
            rest.get(slash..).unwrap_or_default()
        })
        .unwrap_or(target);
    let target = target.split(|&b| b == b'#').next().unwrap_or_default();
    let (path, query) = match target.iter().position(|&b| b == b'?') {
        Some(i) => (
            target.get(..i).unwrap_or_default(),
            target.get(i + 1..).unwrap_or_default(),
        ),
        None => (target, &[][..]),
    };
    Some(RequestLine {
        method,
        path,
        query,
    })
}

/// All query parameters; a repeated name keeps its last value, like PHP.
fn parse_query(query: &[u8]) -> BTreeMap<String, String> {
    form_urlencoded::parse(query)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn head_bytes(status: u16, content_type: &str, content_length: usize, extra: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {}\r\nServer: instaotp-sim\r\nContent-Type: {content_type}\r\nContent-Length: {content_length}\r\n{extra}Connection: close\r\n\r\n",
        reason(status)
    )
    .into_bytes()
}

async fn send(stream: &mut impl Conn, status: u16, content_type: &str, body: &[u8]) {
    let mut out = head_bytes(status, content_type, body.len(), "");
    out.extend_from_slice(body);
    if let Err(e) = stream.write_all(&out).await {
        tracing::debug!("simulator write failed: {e}");
    }
}

fn html_page(status: u16, text: &str) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>\n"
    )
}

/// A content type for a body given verbatim.
fn guess_content_type(body: &str) -> &'static str {
    match body.trim_start().chars().next() {
        Some('{') | Some('[') => JSON,
        Some('<') => HTML,
        _ => TEXT,
    }
}

/// Closes the write side, then reads (and discards) what the client still sends for a moment,
/// so that closing does not reset the connection before the client has read the reply.
async fn close(mut stream: impl Conn) {
    let _unused = stream.shutdown().await;
    let drain = async {
        let mut buf = [0u8; 4096];
        let mut total = 0usize;
        while let Ok(n) = stream.read(&mut buf).await {
            total += n;
            if n == 0 || total > 1 << 20 {
                break;
            }
        }
    };
    let _unused = tokio::time::timeout(DRAIN_TIMEOUT, drain).await;
}

async fn handle_connection(mut stream: impl Conn, shared: Arc<Shared>) {
    let head = match tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(Head::Complete(head))) => head,
        Ok(Ok(Head::TooLarge)) => {
            let page = html_page(400, "Request header too large.");
            send(&mut stream, 400, HTML, page.as_bytes()).await;
            return close(stream).await;
        }
        Ok(Ok(Head::Incomplete)) | Ok(Err(_)) | Err(_) => return,
    };
    let Some(line) = parse_request_line(&head) else {
        let page = html_page(400, "Malformed request.");
        send(&mut stream, 400, HTML, page.as_bytes()).await;
        return close(stream).await;
    };
    let params = parse_query(line.query);
    let action = params.get("action").cloned().unwrap_or_default();
    shared.log(LoggedRequest {
        action: action.clone(),
        path: String::from_utf8_lossy(line.path).into_owned(),
        params: params.clone(),
        at: Instant::now(),
        referer: header(&head, "referer"),
    });
    if !line.path.ends_with(b"handler_api.php") {
        let page = html_page(404, "The requested URL was not found on this server.");
        send(&mut stream, 404, HTML, page.as_bytes()).await;
        return close(stream).await;
    }
    if line.method != b"GET" {
        let page = html_page(405, "Only GET is allowed.");
        send(&mut stream, 405, HTML, page.as_bytes()).await;
        return close(stream).await;
    }
    if let Some(secs) = shared.rate_limited() {
        let body = rate_limit_body(Some(secs));
        let mut out = head_bytes(429, JSON, body.len(), &format!("Retry-After: {secs}\r\n"));
        out.extend_from_slice(body.as_bytes());
        let _sent = stream.write_all(&out).await;
        return close(stream).await;
    }
    let fault = shared.take_fault(&action);
    if let Some(Fault::Late(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    let reply = match &fault {
        Some(f) if !f.processes() => None,
        _ => Some(shared.process(&params)),
    };
    let (content_type, body) = match &reply {
        Some(r) => (if r.json { JSON } else { TEXT }, r.body.as_bytes()),
        None => (TEXT, &[][..]),
    };
    match reply_with_fault(&mut stream, fault, &head, content_type, body).await {
        Ending::Close => close(stream).await,
        Ending::Drop => drop(stream),
        Ending::Reset => stream.reset(),
    }
}

/// The value of header `name` (lower case) in the request head.
fn header(head: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(head)
        .lines()
        .skip(1)
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
}

/// Sends the reply, or what the fault makes of it.
async fn reply_with_fault(
    stream: &mut impl Conn,
    fault: Option<Fault>,
    head: &[u8],
    content_type: &str,
    body: &[u8],
) -> Ending {
    match fault {
        Some(Fault::CloseWithoutNotify) => return Ending::Drop,
        Some(Fault::ResetMidBody) => {
            let mut out = head_bytes(200, content_type, body.len(), "");
            out.extend_from_slice(body.get(..body.len() / 2).unwrap_or_default());
            let _sent = stream.write_all(&out).await;
            let _sent = stream.flush().await;
            return Ending::Reset;
        }
        None | Some(Fault::Late(_)) => send(stream, 200, content_type, body).await,
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            send(stream, 200, content_type, body).await;
        }
        Some(Fault::ServerError) => send(stream, 500, HTML, SERVER_ERROR_PAGE.as_bytes()).await,
        Some(Fault::TooManyRequests) => {
            let body = rate_limit_body(None);
            let mut out = head_bytes(429, JSON, body.len(), "Retry-After: 1\r\n");
            out.extend_from_slice(body.as_bytes());
            let _unused = stream.write_all(&out).await;
        }
        Some(Fault::RateLimitedFor {
            header,
            json_seconds,
        }) => {
            let body = rate_limit_body(json_seconds);
            let extra = header.map_or(String::new(), |h| format!("Retry-After: {h}\r\n"));
            let mut out = head_bytes(429, JSON, body.len(), &extra);
            out.extend_from_slice(body.as_bytes());
            let _sent = stream.write_all(&out).await;
        }
        Some(Fault::EchoRequest(status)) => {
            let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
            let line = String::from_utf8_lossy(line);
            let page = html_page(status, &format!("Bad request: {}", line.trim_end()));
            send(stream, status, HTML, page.as_bytes()).await;
        }
        Some(Fault::Redirect { status, location }) => {
            let page = html_page(status, "Moved.");
            let mut out = head_bytes(
                status,
                HTML,
                page.len(),
                &format!("Location: {location}\r\n"),
            );
            out.extend_from_slice(page.as_bytes());
            let _sent = stream.write_all(&out).await;
        }
        Some(Fault::HugeChunked(size)) => send_chunked(stream, size).await,
        Some(Fault::Garbage) => send(stream, 200, TEXT, GARBAGE_BODY).await,
        Some(Fault::Empty) => send(stream, 200, TEXT, b"").await,
        Some(Fault::Truncated) => {
            let mut out = head_bytes(200, content_type, body.len() + 1024, "");
            out.extend_from_slice(body.get(..body.len() / 2).unwrap_or_default());
            let _unused = stream.write_all(&out).await;
        }
        Some(Fault::Huge(size)) => send_huge(stream, size).await,
        Some(Fault::Drop) | Some(Fault::DropAfterProcessing) => {}
        Some(Fault::AfterSale { status, body: page }) => {
            // The real reply names the order: ACCESS_NUMBER:<id>:<phone>.
            let real = String::from_utf8_lossy(body);
            let id = real.split(':').nth(1).unwrap_or_default();
            let page = page.replace("{id}", id);
            send(stream, status, guess_content_type(&page), page.as_bytes()).await;
        }
        Some(Fault::Reply { status, body }) => {
            send(stream, status, guess_content_type(&body), body.as_bytes()).await
        }
    }
    Ending::Close
}

/// Streams a `size`-byte body in chunked transfer encoding, with no `Content-Length`.
async fn send_chunked(stream: &mut impl Conn, size: usize) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nServer: instaotp-sim\r\nContent-Type: {TEXT}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b'A'; HUGE_CHUNK];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        let mut out = format!("{n:x}\r\n").into_bytes();
        out.extend_from_slice(chunk.get(..n).unwrap_or_default());
        out.extend_from_slice(b"\r\n");
        if stream.write_all(&out).await.is_err() {
            return;
        }
        left -= n;
    }
    let _sent = stream.write_all(b"0\r\n\r\n").await;
}

/// Streams a `size`-byte body in chunks.
async fn send_huge(stream: &mut impl Conn, size: usize) {
    if stream
        .write_all(&head_bytes(200, TEXT, size, ""))
        .await
        .is_err()
    {
        return;
    }
    let line = b"ACCESS_BALANCE:0.00 this body is far too large for any reply of the protocol\n";
    let chunk: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(HUGE_CHUNK.min(size))
        .collect();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        if stream
            .write_all(chunk.get(..n).unwrap_or_default())
            .await
            .is_err()
        {
            return;
        }
        left -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        let r = parse_request_line(
            b"GET /api/v1/handler_api.php?a=1&b=%20x HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.method, b"GET");
        assert_eq!(r.path, b"/api/v1/handler_api.php");
        assert_eq!(r.query, b"a=1&b=%20x");
        let r = parse_request_line(
            b"GET http://127.0.0.1:80/x/handler_api.php?q#frag HTTP/1.1\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.path, b"/x/handler_api.php");
        assert_eq!(r.query, b"q");
        assert!(parse_request_line(b"\r\n\r\n").is_none());
        assert!(parse_request_line(b"GET\r\n\r\n").is_none());
        assert!(parse_request_line(b"GET / FOO/1.1\r\n\r\n").is_none());
        assert!(parse_request_line(b"\xff\xfe / HTTP/1.1\r\n\r\n").is_none());
        let q = parse_query(b"api_key=k&action=get%FFx&action=getBalance&x");
        assert_eq!(q["action"], "getBalance");
        assert_eq!(q["x"], "");
        assert_eq!(parse_query(b"a=%ff%fe")["a"], "\u{fffd}\u{fffd}");
    }

    #[test]
    fn head_ends() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nbody"), Some(18));
        assert_eq!(head_end(b"GET /\n\n"), Some(7));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
