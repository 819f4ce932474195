//! Seeded chaos: a fault on a share of requests, each drawn from every kind the simulator knows,
//! "sold, then the reply is lost" included. A draw depends only on the seed, the action and how
//! many requests of that action came before, so a seed names one sequence of faults for each
//! action (the purchases' faults do not move with the timing of the polls between them).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::catalogue::mix;
use super::fault::Fault;

/// An nginx "bad gateway" page, as a proxy sends it when the server behind it went away.
pub(crate) const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// A 503 page from a proxy in front of the server.
const UNAVAILABLE_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\r\n";

/// How the chaos mode behaves (see [`super::Simulator::set_chaos`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chaos {
    /// Names the sequence of faults.
    pub seed: u64,
    /// The share of requests that get a fault, in percent (100 and above: every request).
    pub rate_percent: u8,
    /// How long a [`Fault::Slow`] holds its reply (longer than the client's time-out makes a
    /// purchase "sold, then lost").
    pub slow: Duration,
    /// The size of [`Fault::Huge`] and [`Fault::HugeChunked`] bodies.
    pub huge_bytes: usize,
}

impl Chaos {
    /// Chaos with a 3 s slow reply and 512 KiB huge bodies.
    pub fn new(seed: u64, rate_percent: u8) -> Self {
        Chaos {
            seed,
            rate_percent,
            slow: Duration::from_secs(3),
            huge_bytes: 512 * 1024,
        }
    }

    /// Every kind of fault, with a short name for reports.
    pub fn kinds(&self) -> Vec<(&'static str, Fault)> {
        vec![
            ("slow", Fault::Slow(self.slow)),
            ("500 page", Fault::ServerError),
            ("429", Fault::TooManyRequests),
            ("garbage", Fault::Garbage),
            ("cut body (processed)", Fault::Truncated),
            ("empty body", Fault::Empty),
            ("huge body", Fault::Huge(self.huge_bytes)),
            ("dropped", Fault::Drop),
            ("reset after processing", Fault::DropAfterProcessing),
            (
                "429 with Retry-After",
                Fault::RateLimitedFor {
                    header: Some("1".to_owned()),
                    json_seconds: Some(1),
                },
            ),
            ("page echoing the request", Fault::EchoRequest(400)),
            (
                "redirect elsewhere",
                Fault::Redirect {
                    status: 302,
                    location: "http://127.0.0.1:9/elsewhere".to_owned(),
                },
            ),
            ("huge chunked body", Fault::HugeChunked(self.huge_bytes)),
            (
                "502 page after processing",
                Fault::AfterSale {
                    status: 502,
                    body: GATEWAY_PAGE.to_owned(),
                },
            ),
            (
                "ACCESS_NUMBER:{id} without the number",
                Fault::AfterSale {
                    status: 200,
                    body: "ACCESS_NUMBER:{id}".to_owned(),
                },
            ),
            (
                "503 page",
                Fault::Reply {
                    status: 503,
                    body: UNAVAILABLE_PAGE.to_owned(),
                },
            ),
            // Over HTTPS: the connection dropped without TLS `close_notify`, or reset halfway
            // through the body (over plain HTTP, a close and a reset).
            (
                "closed without close_notify (processed)",
                Fault::CloseWithoutNotify,
            ),
            ("reset mid-body (processed)", Fault::ResetMidBody),
        ]
    }
}

/// What the chaos mode did so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChaosReport {
    /// Requests the chaos mode saw.
    pub requests: u64,
    /// Faults injected, by kind name.
    pub by_kind: BTreeMap<&'static str, u64>,
    /// Faults injected on purchases (`getNumber`), by kind name.
    pub on_purchase: BTreeMap<&'static str, u64>,
}

impl ChaosReport {
    /// All faults injected.
    pub fn faults(&self) -> u64 {
        self.by_kind.values().sum()
    }
}

/// The chaos mode's running state: pure, no clock, no I/O.
pub(crate) struct ChaosState {
    chaos: Chaos,
    kinds: Vec<(&'static str, Fault)>,
    /// Requests seen so far, by action.
    seen: HashMap<String, u64>,
}

/// FNV-1a: a stable hash of an action name (std's hasher may change between releases).
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl ChaosState {
    pub fn new(chaos: Chaos) -> Self {
        let kinds = chaos.kinds();
        ChaosState {
            chaos,
            kinds,
            seen: HashMap::new(),
        }
    }

    /// The fault (if any) for one more request of `action`, counted in `report`.
    pub fn next(&mut self, action: &str, report: &mut ChaosReport) -> Option<Fault> {
        report.requests += 1;
        let seen = self.seen.entry(action.to_owned()).or_default();
        let n = *seen;
        *seen += 1;
        let draw = mix(self.chaos.seed ^ mix(name_hash(action) ^ mix(n)));
        if draw % 100 >= u64::from(self.chaos.rate_percent) {
            return None;
        }
        let count = u64::try_from(self.kinds.len()).unwrap_or(1).max(1);
        let index = usize::try_from((draw >> 32) % count).unwrap_or(0);
        let (name, fault) = self.kinds.get(index)?;
        *report.by_kind.entry(name).or_default() += 1;
        if action == "getNumber" {
            *report.on_purchase.entry(name).or_default() += 1;
        }
        Some(fault.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: u64, rate: u8, n: usize) -> (Vec<Option<Fault>>, ChaosReport) {
        let mut state = ChaosState::new(Chaos::new(seed, rate));
        let mut report = ChaosReport::default();
        let faults = (0..n)
            .map(|i| {
                state.next(
                    if i % 4 == 0 { "getNumber" } else { "getStatus" },
                    &mut report,
                )
            })
            .collect();
        (faults, report)
    }

    #[test]
    fn a_seed_names_one_sequence_at_about_the_rate_with_every_kind() {
        let (a, report) = draws(42, 20, 5000);
        let (b, _) = draws(42, 20, 5000);
        let (c, _) = draws(43, 20, 5000);
        assert_eq!(a, b, "same seed, same faults");
        assert_ne!(a, c, "another seed, other faults");
        assert_eq!(report.requests, 5000);
        let faults = report.faults();
        assert!((850..=1150).contains(&faults), "about 20 %: {faults}");
        assert_eq!(faults, a.iter().flatten().count() as u64);
        let kinds = Chaos::new(42, 20).kinds();
        assert_eq!(report.by_kind.len(), kinds.len(), "every kind: {report:?}");
        assert!(report.on_purchase.values().sum::<u64>() < faults);
        // The purchases' faults do not depend on the other requests between them.
        let mut alone = ChaosState::new(Chaos::new(42, 20));
        let mut r = ChaosReport::default();
        let purchases: Vec<_> = (0..1250).map(|_| alone.next("getNumber", &mut r)).collect();
        let mixed: Vec<_> = a.iter().step_by(4).cloned().collect();
        assert_eq!(purchases, mixed);
        for sold_then_lost in [
            "reset after processing",
            "502 page after processing",
            "ACCESS_NUMBER:{id} without the number",
            "cut body (processed)",
            "closed without close_notify (processed)",
            "reset mid-body (processed)",
        ] {
            assert!(
                report.by_kind.contains_key(sold_then_lost),
                "{sold_then_lost}"
            );
        }
    }

    #[test]
    fn the_rate_bounds() {
        let (none, report) = draws(7, 0, 500);
        assert!(none.iter().all(Option::is_none));
        assert_eq!(report.faults(), 0);
        let (all, _) = draws(7, 100, 500);
        assert!(all.iter().all(Option::is_some));
        let (all, _) = draws(7, 255, 50);
        assert!(all.iter().all(Option::is_some));
    }
}
