//! The delivery record: for each service × country × server, how many of the numbers bought in
//! the last 30 days got a code, and how soon. Read from the `deliveries` table (kept by triggers
//! on `orders`, see `schema.rs`) on the worker, when an order gets a code or ends and at start;
//! never in a frame.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Millis, Order, OrderState, OrderStore, StoreError};

/// The record covers this long: the last 30 days.
pub const WINDOW_MS: Millis = 30 * 86_400_000;
/// Fewer orders than this tell nothing: shown as "—".
pub const SHOWN_FROM: u32 = 3;
/// "Best value" needs at least this many orders behind an offer's rate.
pub const BEST_VALUE_FROM: u32 = 5;

/// What an offer is, for its record: service code, country, server (as the provider sends them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfferKey {
    pub service: String,
    pub country: String,
    pub server: String,
}

impl OfferKey {
    pub fn new(service: &str, country: &str, server: &str) -> Self {
        Self {
            service: service.to_owned(),
            country: country.to_owned(),
            server: server.to_owned(),
        }
    }

    pub fn of_offer(offer: &crate::api::Offer) -> Self {
        Self::new(&offer.service_code, &offer.country, &offer.server)
    }
}

/// One offer's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    /// Orders that got a code or ended without one (open ones are not counted yet).
    pub orders: u32,
    pub got_code: u32,
    /// Median seconds from purchase to the first code, over the orders that got one.
    pub median_secs: Option<u64>,
    /// When the newest order of this offer was bought.
    pub newest: Millis,
    /// The newest order is within the last 30 days. Otherwise the figures are those of the 30
    /// days before it, shown greyed.
    pub fresh: bool,
}

impl Record {
    /// Enough orders to say anything.
    pub fn is_shown(&self) -> bool {
        self.orders >= SHOWN_FROM
    }

    /// What one delivered code costs at `price`: price ÷ success rate, with enough recent orders
    /// behind the rate, and at least one code.
    pub fn price_per_code(&self, price: Decimal) -> Option<Decimal> {
        if !self.fresh || self.orders < BEST_VALUE_FROM || self.got_code == 0 {
            return None;
        }
        price
            .checked_mul(Decimal::from(self.orders))?
            .checked_div(Decimal::from(self.got_code))
    }

    /// Orders better delivered first: a higher rate, then more orders behind it, then sooner.
    pub fn better_than(&self, other: &Self) -> std::cmp::Ordering {
        let rate = |r: &Self| (u64::from(r.got_code), u64::from(r.orders.max(1)));
        let ((a_got, a_n), (b_got, b_n)) = (rate(self), rate(other));
        (b_got * a_n)
            .cmp(&(a_got * b_n))
            .then(other.orders.cmp(&self.orders))
            .then(
                self.median_secs
                    .unwrap_or(u64::MAX)
                    .cmp(&other.median_secs.unwrap_or(u64::MAX)),
            )
    }
}

/// Every offer's record and the price last paid for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub records: HashMap<OfferKey, Record>,
    /// The price of the newest order of each offer (a favourite's "was 3.12").
    pub last_paid: HashMap<OfferKey, Decimal>,
}

/// One row of the `deliveries` table.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    pub key: OfferKey,
    pub bought_at: Millis,
    /// `Some(true)`: a code came; `Some(false)`: ended without one; `None`: open.
    pub got_code: Option<bool>,
    pub seconds: Option<i64>,
    pub price: Option<Decimal>,
}

/// The median of `values` (sorted here); for an even count the mean of the two middle ones,
/// rounded up ("usually within" errs on the slow side).
pub fn median(values: &mut [u64]) -> Option<u64> {
    values.sort_unstable();
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => values.get(mid).copied(),
        _ => Some((values.get(mid - 1).copied()? + values.get(mid).copied()?).div_ceil(2)),
    }
}

/// One order as the record counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Outcome {
    bought_at: Millis,
    got_code: Option<bool>,
    seconds: Option<i64>,
}

/// Builds the summary from rows grouped by offer, each group newest first.
#[derive(Default)]
struct Grouper {
    summary: Summary,
    key: Option<OfferKey>,
    rows: Vec<Outcome>,
}

impl Grouper {
    /// Whether the row of `(service, country, server)` starts a new group.
    fn is_new(&self, service: &str, country: &str, server: &str) -> bool {
        self.key
            .as_ref()
            .is_none_or(|k| k.service != service || k.country != country || k.server != server)
    }

    /// Starts the group of `key` (after finishing the one before), newest order first.
    fn start(&mut self, key: OfferKey, last_paid: Option<Decimal>, now: Millis) {
        self.finish(now);
        if let Some(price) = last_paid {
            self.summary.last_paid.insert(key.clone(), price);
        }
        self.key = Some(key);
    }

    fn push(&mut self, outcome: Outcome) {
        self.rows.push(outcome);
    }

    fn finish(&mut self, now: Millis) {
        if let Some(key) = self.key.take() {
            self.summary.records.insert(key, record_of(&self.rows, now));
        }
        self.rows.clear();
    }

    fn done(mut self, now: Millis) -> Summary {
        self.finish(now);
        self.summary
    }
}

/// The records from `rows` grouped by offer, each group newest first.
pub fn summarize(rows: impl IntoIterator<Item = DeliveryRow>, now: Millis) -> Summary {
    let mut grouper = Grouper::default();
    for row in rows {
        let DeliveryRow {
            key,
            bought_at,
            got_code,
            seconds,
            price,
        } = row;
        if grouper.is_new(&key.service, &key.country, &key.server) {
            grouper.start(key, price, now);
        }
        grouper.push(Outcome {
            bought_at,
            got_code,
            seconds,
        });
    }
    grouper.done(now)
}

/// One offer's record from its rows, newest first.
fn record_of(rows: &[Outcome], now: Millis) -> Record {
    let newest = rows.first().map_or(0, |r| r.bought_at);
    let fresh = now.saturating_sub(newest) <= WINDOW_MS;
    let end = if fresh { now } else { newest };
    let start = end.saturating_sub(WINDOW_MS);
    let mut record = Record {
        newest,
        fresh,
        ..Record::default()
    };
    let mut seconds = Vec::new();
    for row in rows.iter().take_while(|r| r.bought_at > start) {
        let Some(got) = row.got_code else { continue };
        record.orders += 1;
        if got {
            record.got_code += 1;
            if let Some(s) = row.seconds.and_then(|s| u64::try_from(s).ok()) {
                seconds.push(s);
            }
        }
    }
    record.median_secs = median(&mut seconds);
    record
}

/// What an order counts as in the record, as the `delivery_rows` view in `schema.rs` says:
/// `Some(true)` a code came (or the person finished it), `Some(false)` ended refunded without
/// one, `None` not counted (open, not bought, not confirmed, or gone without a code).
pub fn outcome(order: &Order) -> Option<bool> {
    if matches!(
        order.state,
        OrderState::NotBought | OrderState::NotConfirmed
    ) {
        return None;
    }
    if order.code.is_some()
        || order.code_at.is_some()
        || order.first_code_at.is_some()
        || matches!(
            order.state,
            OrderState::Finished | OrderState::EndedWithCode
        )
    {
        Some(true)
    } else if order.state.refunded() {
        Some(false)
    } else {
        None
    }
}

/// One service's figures in the history, over the orders a period keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRecord {
    pub service: String,
    pub orders: u32,
    pub got_code: u32,
    pub median_secs: Option<u64>,
}

/// Tallies the history's orders per service (by name), then [`ServiceTally::finish`].
#[derive(Debug, Default)]
pub struct ServiceTally {
    by_service: HashMap<String, (u32, u32, Vec<u64>)>,
}

impl ServiceTally {
    pub fn add(&mut self, order: &Order) {
        let Some(got) = outcome(order) else { return };
        let entry = self
            .by_service
            .entry(order.service_name.clone())
            .or_default();
        entry.0 += 1;
        if got {
            entry.1 += 1;
            if let Some(s) = order.seconds_to_code().and_then(|s| u64::try_from(s).ok()) {
                entry.2.push(s);
            }
        }
    }

    /// The services, the most ordered first.
    pub fn finish(self) -> Vec<ServiceRecord> {
        let mut all: Vec<ServiceRecord> = self
            .by_service
            .into_iter()
            .map(|(service, (orders, got_code, mut secs))| ServiceRecord {
                service,
                orders,
                got_code,
                median_secs: median(&mut secs),
            })
            .collect();
        all.sort_by(|a, b| {
            b.orders
                .cmp(&a.orders)
                .then_with(|| a.service.cmp(&b.service))
        });
        all
    }
}

impl OrderStore {
    /// Every offer's delivery record as of `now`, from the `deliveries` table: one pass over
    /// its index, newest first within each offer; strings are copied once per offer, not per row.
    pub fn delivery_summary(&self, now: Millis) -> Result<Summary, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT service, country, server, bought_at, got_code, seconds, price
                 FROM deliveries
                 ORDER BY service DESC, country DESC, server DESC, bought_at DESC",
            )?;
            let mut rows = stmt.query([])?;
            let mut grouper = Grouper::default();
            while let Some(row) = rows.next()? {
                let (service, country, server) = (
                    row.get_ref(0)?.as_str()?,
                    row.get_ref(1)?.as_str()?,
                    row.get_ref(2)?.as_str()?,
                );
                if grouper.is_new(service, country, server) {
                    let key = OfferKey::new(service, country, server);
                    let price = row.get_ref(6)?.as_str()?.parse().ok();
                    grouper.start(key, price, now);
                }
                grouper.push(Outcome {
                    bought_at: row.get(3)?,
                    got_code: row.get::<_, Option<i64>>(4)?.map(|g| g != 0),
                    seconds: row.get(5)?,
                });
            }
            Ok(grouper.done(now))
        })
    }
}

#[cfg(test)]
mod tests;
