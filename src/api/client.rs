//! The one HTTP client of the app: builds requests, reads replies within limits, masks the key.

use std::fmt;
use std::time::Duration;

use url::Url;

use super::error::ApiError;
use super::reply::{self, MAX_BODY_BYTES};
use super::retry_after;
use super::secret::ApiKey;
use super::types::{
    Balance, Offer, OrderStatus, Purchase, SetAction, SetStatusReply, StatusEncoding,
};

pub const DEFAULT_API_URL: &str = "https://instaotp.in/api/v1/handler_api.php";
/// The provider's website, where staff see their orders.
pub const WEBSITE: &str = "https://instaotp.in";

/// How a [`Client`] talks to the provider.
#[derive(Clone)]
pub struct ClientConfig {
    pub api_url: String,
    pub key: ApiKey,
    pub encoding: StatusEncoding,
    pub connect_timeout: Duration,
    /// The whole request, reply included.
    pub timeout: Duration,
    /// How many more times a read (balance, services, status) is asked after a transient failure.
    pub read_retries: u32,
    /// The first pause before a retry; it doubles each time.
    pub retry_backoff: Duration,
    /// At most this many requests start in any second, retries included (the provider's rate
    /// limit).
    pub requests_per_second: usize,
    /// The provider takes `maxPrice` on `getNumber` (refusing with `WRONG_MAX_PRICE` when the
    /// number would cost more): sent only where it is known to ([`accepts_max_price`]).
    pub max_price_param: bool,
}

/// Providers of the protocol family known to accept `maxPrice` on `getNumber` (PROTOCOL.md):
/// Grizzly and DaisySMS. InstaOTP's reference does not list it, so it is not sent there; the
/// app's price ceiling is kept on this computer in any case.
pub fn accepts_max_price(api_url: &str) -> bool {
    super::host_of(api_url).is_some_and(|host| {
        ["grizzlysms.com", "daisysms.com"]
            .iter()
            .any(|known| host == *known || host.ends_with(&format!(".{known}")))
    })
}

impl ClientConfig {
    pub fn new(api_url: impl Into<String>, key: ApiKey) -> Self {
        let api_url = api_url.into();
        Self {
            max_price_param: accepts_max_price(&api_url),
            api_url,
            key,
            encoding: StatusEncoding::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            read_retries: 2,
            retry_backoff: Duration::from_millis(500),
            requests_per_second: 4,
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api_url", &self.key.mask(&self.api_url))
            .field("key", &self.key)
            .field("encoding", &self.encoding)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Checks an API address: a valid URL, `https` unless the host is this computer, with nothing
/// after `?` or `#` and no user name or password (where a key pasted into the address would
/// sit, to be saved in the settings file).
pub fn validate_api_url(api_url: &str) -> Result<Url, ApiError> {
    let url = Url::parse(api_url.trim()).map_err(|e| ApiError::InvalidUrl(e.to_string()))?;
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(ApiError::UrlWithExtras);
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ApiError::InsecureUrl),
        other => Err(ApiError::InvalidUrl(format!("unsupported scheme {other}"))),
    }
}

/// The host an address points to (lower case), to say where the key would go.
pub fn host_of(api_url: &str) -> Option<String> {
    Url::parse(api_url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Follows a redirect only to the same scheme, host and port (so never https to http), at most
/// 5 times; any other stops, and [`Client`] turns the 3xx into [`ApiError::Redirect`].
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let follow = attempt
            .previous()
            .first()
            .is_some_and(|first| may_follow(first, attempt.url(), attempt.previous().len()));
        if follow {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A redirect from the first address to `next` after `hops` redirects may be followed: same
/// scheme, host and port (an origin), and not too many.
fn may_follow(first: &Url, next: &Url, hops: usize) -> bool {
    first.origin() == next.origin() && hops <= 5
}

/// The test CA every client built afterwards trusts, and only it (test builds only: the shipped
/// app trusts the system's roots and nothing else, and never turns verification off).
#[cfg(feature = "test-support")]
static TEST_CA: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

/// Makes clients built from now on in this process trust `pem` (and no other root).
#[cfg(feature = "test-support")]
pub fn trust_test_ca(pem: &[u8]) {
    let _first = TEST_CA.set(pem.to_vec());
}

#[cfg(feature = "test-support")]
fn with_test_ca(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    match TEST_CA
        .get()
        .and_then(|pem| reqwest::Certificate::from_pem(pem).ok())
    {
        Some(ca) => builder.tls_certs_only([ca]),
        None => builder,
    }
}

#[cfg(not(feature = "test-support"))]
fn with_test_ca(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
}

/// A cheap-to-clone handle; clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    config: ClientConfig,
    budget: super::budget::RequestBudget,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let base = validate_api_url(&config.api_url)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("InstaOTP-Desktop/", env!("CARGO_PKG_VERSION")))
            // The key is in the URL: it must reach no other address, not even as a Referer.
            .redirect(same_origin_redirects())
            .referer(false)
            // No library retry (reqwest resends "refused" HTTP/2 requests by default): a purchase
            // or a cancel is sent exactly once; reads are retried by `send` itself, in the budget.
            .retry(reqwest::retry::never())
            .https_only(!is_loopback(&base));
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        let http = with_test_ca(builder)
            .build()
            .map_err(|e| ApiError::Transport(config.key.mask(&e.without_url().to_string())))?;
        let budget = super::budget::RequestBudget::new(config.requests_per_second);
        Ok(Self {
            http,
            base,
            config,
            budget,
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The request budget every clone of this client shares.
    pub fn budget(&self) -> &super::budget::RequestBudget {
        &self.budget
    }

    pub async fn balance(&self) -> Result<Balance, ApiError> {
        self.read("getBalance", &[], reply::parse_balance).await
    }

    pub async fn services(
        &self,
        server: Option<&str>,
        country: Option<&str>,
    ) -> Result<Vec<Offer>, ApiError> {
        let mut params = Vec::new();
        if let Some(s) = server {
            params.push(("server", s));
        }
        if let Some(c) = country {
            params.push(("country", c));
        }
        self.read("getService", &params, reply::parse_services)
            .await
    }

    /// Buys a number. Spends money and is not idempotent, so it is sent exactly once: a lost reply
    /// comes back as an error for which [`ApiError::reply_lost`] is true.
    pub async fn buy(
        &self,
        service: &str,
        country: &str,
        server: &str,
    ) -> Result<Purchase, ApiError> {
        self.buy_at_most(service, country, server, None).await
    }

    /// A purchase that may cost at most `max_price` (the price the list showed), where the
    /// provider takes that limit; elsewhere the same as [`Client::buy`].
    pub async fn buy_at_most(
        &self,
        service: &str,
        country: &str,
        server: &str,
        max_price: Option<rust_decimal::Decimal>,
    ) -> Result<Purchase, ApiError> {
        let max = max_price
            .filter(|_| self.config.max_price_param)
            .map(|m| m.to_string());
        let mut params = vec![
            ("service", service),
            ("country", country),
            ("server", server),
        ];
        if let Some(max) = &max {
            params.push(("maxPrice", max.as_str()));
        }
        let (status, body) = self.send("getNumber", &params).await?;
        reply::parse_number(status, &body)
    }

    pub async fn status(&self, order_id: &str) -> Result<OrderStatus, ApiError> {
        self.read("getStatus", &[("id", order_id)], reply::parse_status)
            .await
    }

    /// Every open order of the account in one reply (a family action InstaOTP does not list: see
    /// [`super::active::Offered`]). Asked once: the caller asks again later.
    pub async fn active_activations(
        &self,
    ) -> Result<Vec<super::active::ActiveActivation>, ApiError> {
        let (status, body) = self.send("getActiveActivations", &[]).await?;
        super::active::parse_active(status, &body)
    }

    /// Cancels, finishes or asks for another SMS; sent once, never retried.
    pub async fn set_status(
        &self,
        order_id: &str,
        action: SetAction,
    ) -> Result<SetStatusReply, ApiError> {
        let Some(status) = self.config.encoding.encode(action) else {
            return Err(ApiError::provider(super::ProviderError::InvalidStatus));
        };
        let (code, body) = self
            .send("setStatus", &[("id", order_id), ("status", status)])
            .await?;
        reply::parse_set_status(code, &body)
    }

    /// A read: asked again, with a growing pause, after a transient failure.
    async fn read<T>(
        &self,
        action: &str,
        params: &[(&str, &str)],
        parse: fn(u16, &[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut pause = self.config.retry_backoff;
        let mut attempt = 0;
        loop {
            let result = match self.send(action, params).await {
                Ok((status, body)) => parse(status, &body),
                Err(e) => Err(e),
            };
            if let Err(ApiError::Provider {
                error: super::ProviderError::RateLimit,
                ..
            }) = &result
            {
                // The provider's word for a 429: every request of this client waits.
                self.budget.pause(super::error::DEFAULT_RATE_LIMIT_PAUSE);
            }
            match result {
                Err(e) if e.is_transient() && attempt < self.config.read_retries => {
                    attempt += 1;
                    tracing::info!(action, attempt, error = %e, "transient failure, asking again");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
                other => return other,
            }
        }
    }

    /// One request; the body is read up to [`MAX_BODY_BYTES`].
    async fn send(
        &self,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), ApiError> {
        let mut url = self.base.clone();
        url.query_pairs_mut()
            .append_pair("api_key", self.config.key.expose())
            .append_pair("action", action)
            .extend_pairs(params);
        // Every request, retries included, waits its turn in the shared budget. An action the
        // person asked for (a purchase, a cancel, a finish) never waits behind a "too many
        // requests" pause unseen: it is refused at once, unsent.
        if matches!(action, "getNumber" | "setStatus") {
            self.budget
                .acquire_unless_paused()
                .await
                .map_err(|left| ApiError::Paused { left })?;
        } else {
            self.budget.acquire().await;
        }
        let started = std::time::Instant::now();
        let mut response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if response
            .content_length()
            .is_some_and(|len| len > MAX_BODY_BYTES as u64)
        {
            return Err(ApiError::TooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::TooLarge {
                    limit: MAX_BODY_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            action,
            status,
            bytes = body.len(),
            ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "reply"
        );
        // The one place reply text enters the app: from here on (excerpts, raw replies, orders,
        // logs, exports) nothing can carry the key.
        let body = self
            .config
            .key
            .mask(&String::from_utf8_lossy(&body))
            .into_bytes();
        if (300..400).contains(&status) {
            return Err(self.redirect_error(&headers));
        }
        if status == 429 {
            let header = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after::from_header(v, jiff::Timestamp::now()));
            let json = retry_after::from_json(&String::from_utf8_lossy(&body));
            let retry_after = header.or(json);
            // Every request of this client waits, not only the one that was refused.
            self.budget
                .pause(retry_after.unwrap_or(super::error::DEFAULT_RATE_LIMIT_PAUSE));
            return Err(ApiError::RateLimited { retry_after });
        }
        Ok((status, body))
    }

    /// A redirect that was not followed, named by where it pointed.
    fn redirect_error(&self, headers: &reqwest::header::HeaderMap) -> ApiError {
        let target = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|location| self.base.join(location).ok());
        let host = match &target {
            Some(url) => match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{}://{host}:{port}", url.scheme()),
                (Some(host), None) => format!("{}://{host}", url.scheme()),
                _ => url.scheme().to_owned(),
            },
            None => "an unknown address".to_owned(),
        };
        ApiError::Redirect {
            host: reply::excerpt(&self.config.key.mask(&host)),
        }
    }

    /// A transport failure as an [`ApiError`], with the URL (and so the key) left out.
    fn transport_error(&self, error: reqwest::Error) -> ApiError {
        let phase = if error.is_connect() {
            Phase::Connecting
        } else {
            Phase::AfterWriting
        };
        let timed_out = error.is_timeout();
        let chain = self.config.key.mask(&error_chain(&error.without_url()));
        transport_failure(phase, timed_out, chain)
    }
}

/// Where a request was when its connection failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Finding the server, connecting, or the TLS handshake: the request was not written, so
    /// the provider cannot have acted on it.
    Connecting,
    /// The request may have been written: the provider may have acted on it.
    AfterWriting,
}

/// What a failed connection means. Only a failure while connecting proves that the request never
/// reached the provider; after that, a TLS error (a close without `close_notify`, say) is as
/// unclear as any broken connection.
pub(crate) fn transport_failure(phase: Phase, timed_out: bool, chain: String) -> ApiError {
    let lower = chain.to_lowercase();
    match phase {
        Phase::Connecting
            if lower.contains("dns")
                || lower.contains("failed to lookup")
                || lower.contains("name or service not known") =>
        {
            ApiError::Dns(chain)
        }
        Phase::Connecting
            if lower.contains("certificate")
                || lower.contains("tls")
                || lower.contains("handshake") =>
        {
            ApiError::Tls(chain)
        }
        Phase::Connecting if timed_out => ApiError::Connect(format!("timed out: {chain}")),
        Phase::Connecting => ApiError::Connect(chain),
        Phase::AfterWriting if timed_out => ApiError::Timeout,
        Phase::AfterWriting => ApiError::Transport(chain),
    }
}

/// The error and its sources on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod address_tests {
    use super::*;

    /// Every row: an address as typed → accepted?
    #[test]
    fn an_address_with_a_query_or_a_user_is_refused() {
        let rows = [
            ("https://instaotp.in/api/v1/handler_api.php", true),
            ("  https://instaotp.in/api/v1/handler_api.php  ", true),
            ("http://127.0.0.1:8080/api/v1/handler_api.php", true),
            (
                "https://instaotp.in/api/v1/handler_api.php?api_key=SECRET",
                false,
            ),
            ("https://instaotp.in/api/v1/handler_api.php?", false),
            ("https://instaotp.in/api/v1/handler_api.php#SECRET", false),
            ("https://SECRET@instaotp.in/api/v1/handler_api.php", false),
            (
                "https://user:SECRET@instaotp.in/api/v1/handler_api.php",
                false,
            ),
            ("http://instaotp.in/api/v1/handler_api.php", false),
            ("ftp://instaotp.in/", false),
        ];
        for (address, ok) in rows {
            let result = validate_api_url(address);
            assert_eq!(result.is_ok(), ok, "{address}: {result:?}");
            if let Err(e) = result {
                assert!(!e.to_string().contains("SECRET"), "{address}: {e}");
            }
        }
    }
}

#[cfg(test)]
mod transport_tests {
    use super::*;

    #[test]
    fn max_price_goes_only_to_providers_known_to_take_it() {
        let rows = [
            ("https://instaotp.in/api/v1/handler_api.php", false),
            ("https://api.grizzlysms.com/stubs/handler_api.php", true),
            ("https://daisysms.com/stubs/handler_api.php", true),
            ("https://notdaisysms.com/stubs/handler_api.php", false),
            (
                "https://daisysms.com.evil.example/stubs/handler_api.php",
                false,
            ),
            ("http://127.0.0.1:8080/api", false),
            ("not a url", false),
        ];
        for (url, takes) in rows {
            assert_eq!(accepts_max_price(url), takes, "{url}");
        }
    }

    /// Every row: where it failed, whether it timed out, what the library said → refusal?
    #[test]
    fn only_a_failure_while_connecting_proves_nothing_was_sold() {
        use Phase::{AfterWriting, Connecting};
        let rows: [(Phase, bool, &str, bool); 12] = [
            (
                Connecting,
                false,
                "dns error: failed to lookup address",
                true,
            ),
            (
                Connecting,
                false,
                "tcp connect error: Connection refused",
                true,
            ),
            (Connecting, true, "operation timed out", true),
            (
                Connecting,
                false,
                "invalid peer certificate: UnknownIssuer",
                true,
            ),
            (Connecting, false, "tls handshake eof", true),
            (
                Connecting,
                false,
                "received fatal alert: HandshakeFailure",
                true,
            ),
            (
                AfterWriting,
                false,
                "peer closed connection without sending TLS close_notify",
                false,
            ),
            (AfterWriting, false, "connection reset by peer", false),
            (
                AfterWriting,
                false,
                "connection closed before message completed",
                false,
            ),
            (AfterWriting, true, "operation timed out", false),
            (AfterWriting, false, "error decoding response body", false),
            (AfterWriting, false, "certificate expired", false),
        ];
        for (phase, timed_out, chain, refusal) in rows {
            let e = transport_failure(phase, timed_out, chain.to_owned());
            assert_eq!(e.is_refusal(), refusal, "{phase:?} {chain}: {e:?}");
            assert_eq!(e.reply_lost(), !refusal, "{phase:?} {chain}: {e:?}");
        }
    }
}

#[cfg(test)]
mod redirect_tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_redirect_from_https_to_http_or_another_host_is_never_followed() {
        let api = url("https://instaotp.in/api/v1/handler_api.php");
        assert!(may_follow(
            &api,
            &url("https://instaotp.in/api/v2/handler_api.php"),
            1
        ));
        assert!(!may_follow(
            &api,
            &url("http://instaotp.in/api/v1/handler_api.php"),
            1
        ));
        assert!(!may_follow(
            &api,
            &url("https://evil.example/api/v1/handler_api.php"),
            1
        ));
        assert!(!may_follow(&api, &url("https://instaotp.in:8443/api"), 1));
        assert!(!may_follow(
            &api,
            &url("https://instaotp.in.evil.example/"),
            1
        ));
        assert!(
            !may_follow(&api, &url("https://instaotp.in/api"), 6),
            "too many"
        );
    }
}
