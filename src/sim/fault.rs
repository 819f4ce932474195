//! Faults the simulator can inject instead of (or around) a normal reply.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// A misbehaviour of the server for one action (see [`super::Simulator::set_fault`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Process normally, wait this long, then reply.
    Slow(Duration),
    /// Hold the request this long, then process it and reply (what happens meanwhile, such as
    /// an SMS arriving, counts).
    Late(Duration),
    /// HTTP 500 with an HTML error page; the action is not processed.
    ServerError,
    /// HTTP 429 with `{"title":"RATE_LIMIT","details":"Too many requests"}`; not processed.
    TooManyRequests,
    /// HTTP 200 with junk bytes (invalid UTF-8 included); not processed.
    Garbage,
    /// Process, send a `Content-Length` larger than the body, send part of the real reply, close.
    Truncated,
    /// HTTP 200 with an empty body; not processed.
    Empty,
    /// HTTP 200 with a body of this many bytes, streamed; not processed.
    Huge(usize),
    /// Close the connection without any reply; not processed.
    Drop,
    /// Process the action (a purchase happens, money is charged), then close without a reply.
    DropAfterProcessing,
    /// Process the action, then drop the connection without a reply and, over HTTPS, without
    /// TLS `close_notify` (as a proxy or a server that crashed does).
    CloseWithoutNotify,
    /// Process the action, send the head and half the body, then reset the connection (RST).
    ResetMidBody,
    /// HTTP 429 with these `Retry-After` header and JSON `retry_after_seconds` values (each only
    /// when given); not processed.
    RateLimitedFor {
        /// The `Retry-After` header as sent: seconds or an HTTP date.
        header: Option<String>,
        /// The `retry_after_seconds` of the JSON body.
        json_seconds: Option<u64>,
    },
    /// An HTML error page with this status that echoes the request line, query (and so the api
    /// key) included, as some misconfigured servers do; not processed.
    EchoRequest(u16),
    /// A redirect with this status to `location`; not processed.
    Redirect {
        /// 301, 302, 303, 307 or 308.
        status: u16,
        /// The `Location` header as sent.
        location: String,
    },
    /// HTTP 200 with a body of this many bytes in chunked transfer encoding, with no
    /// `Content-Length`; not processed.
    HugeChunked(usize),
    /// Process the action (a purchase happens, money is charged), then reply with this status
    /// and body instead of the real reply; `{id}` in the body becomes the order's id. "Sold,
    /// then the reply is lost" in its many forms.
    AfterSale {
        /// The HTTP status code.
        status: u16,
        /// The body, `{id}` replaced.
        body: String,
    },
    /// Reply with exactly this status and body; not processed.
    Reply {
        /// The HTTP status code.
        status: u16,
        /// The body, sent as it is.
        body: String,
    },
}

impl Fault {
    /// Whether the action is carried out before the fault shows.
    pub(crate) fn processes(&self) -> bool {
        matches!(
            self,
            Fault::Slow(_)
                | Fault::Late(_)
                | Fault::Truncated
                | Fault::DropAfterProcessing
                | Fault::CloseWithoutNotify
                | Fault::ResetMidBody
                | Fault::AfterSale { .. }
        )
    }
}

/// The action name that matches every action.
pub(crate) const ANY_ACTION: &str = "*";

/// Persistent and one-shot faults, by action.
#[derive(Default)]
pub(crate) struct FaultTable {
    persistent: HashMap<String, Fault>,
    once: HashMap<String, VecDeque<Fault>>,
}

impl FaultTable {
    /// Sets or clears the persistent fault of an action.
    pub fn set(&mut self, action: &str, fault: Option<Fault>) {
        match fault {
            Some(f) => {
                self.persistent.insert(action.to_owned(), f);
            }
            None => {
                self.persistent.remove(action);
            }
        }
    }

    /// Queues a fault for the next request of an action only.
    pub fn once(&mut self, action: &str, fault: Fault) {
        self.once
            .entry(action.to_owned())
            .or_default()
            .push_back(fault);
    }

    /// The fault for a request of `action`, consuming a one-shot one:
    /// one-shot before persistent, the exact action before `"*"`.
    pub fn take(&mut self, action: &str) -> Option<Fault> {
        for name in [action, ANY_ACTION] {
            if let Some(f) = self.once.get_mut(name).and_then(VecDeque::pop_front) {
                return Some(f);
            }
        }
        [action, ANY_ACTION]
            .iter()
            .find_map(|name| self.persistent.get(*name).cloned())
    }
}

/// The HTML page of [`Fault::ServerError`].
pub(crate) const SERVER_ERROR_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request.</p><hr><address>Apache Server at instaotp.in Port 443</address></body></html>\n";

/// The JSON body of [`Fault::TooManyRequests`] and [`Fault::RateLimitedFor`].
pub(crate) fn rate_limit_body(retry_after_seconds: Option<u64>) -> String {
    // A struct rather than `json!`, so the keys keep this order.
    #[derive(serde::Serialize)]
    struct Body {
        title: &'static str,
        details: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after_seconds: Option<u64>,
    }
    let body = Body {
        title: "RATE_LIMIT",
        details: "Too many requests",
        retry_after_seconds,
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// The body of [`Fault::Garbage`]: binary junk, invalid UTF-8, half a status word and broken JSON.
pub(crate) const GARBAGE_BODY: &[u8] =
    b"\xff\xfe\x00\x01ACCESS_\xc3\x28\x80\x80{\"1\":[{\"id\":\xe2\x82 }}}\r\n\x1b[31m\xf0\x9f\x92";

/// The chunk size used to stream [`Fault::Huge`] bodies.
pub(crate) const HUGE_CHUNK: usize = 64 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_then_persistent() {
        let mut t = FaultTable::default();
        assert_eq!(t.take("getBalance"), None);
        t.set("*", Some(Fault::Empty));
        t.once("getBalance", Fault::Drop);
        t.once("getBalance", Fault::Garbage);
        assert_eq!(t.take("getBalance"), Some(Fault::Drop));
        assert_eq!(t.take("getBalance"), Some(Fault::Garbage));
        assert_eq!(t.take("getBalance"), Some(Fault::Empty));
        t.set("getBalance", Some(Fault::ServerError));
        assert_eq!(t.take("getBalance"), Some(Fault::ServerError));
        assert_eq!(t.take("getStatus"), Some(Fault::Empty));
        t.set("*", None);
        t.set("getBalance", None);
        assert_eq!(t.take("getBalance"), None);
        assert!(String::from_utf8(GARBAGE_BODY.to_vec()).is_err());
    }
}
