//! The offers of the Services tab: loaded list, filter, sort. Recomputed only when the data or the
//! filter changes, never per frame.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::api::Offer;
use crate::countries::country_name;
use crate::orders::delivery::{OfferKey, Record, Summary};

pub mod across;
mod next_best;
pub use next_best::next_offer;

/// A stable name for an offer, for favourites.
pub fn offer_key(offer: &Offer) -> String {
    format!("{}|{}|{}", offer.server, offer.country, offer.service_code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Service,
    Code,
    Country,
    Server,
    Provider,
    Price,
    Stock,
    /// The delivery record (`orders::delivery`).
    Delivery,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Service,
        Column::Code,
        Column::Country,
        Column::Server,
        Column::Provider,
        Column::Price,
        Column::Stock,
        Column::Delivery,
    ];
}

/// What the delivery record says about one offer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferDelivery {
    pub record: Option<Record>,
    /// The lowest price per delivered code among the offers of its service and country.
    pub best_value: bool,
    /// The price of the newest order of this offer (a favourite says "was …" when it rose).
    pub last_paid: Option<Decimal>,
}

impl OfferDelivery {
    /// The price last paid, when `price` is higher now.
    pub fn was(&self, price: Decimal) -> Option<Decimal> {
        self.last_paid.filter(|&last| price > last)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub search: String,
    /// The raw country value, as the provider sends it.
    pub country: Option<String>,
    pub server: Option<String>,
    /// Offers marked "best value" before the others (after favourites).
    pub best_first: bool,
}

/// The loaded offers and the rows shown, in order.
#[derive(Default)]
pub struct OfferList {
    offers: Vec<Offer>,
    /// Lower-cased "name code" per offer, computed once per load.
    haystacks: Vec<String>,
    rows: Vec<usize>,
    countries: Vec<String>,
    servers: Vec<String>,
    filter: Filter,
    sort: Option<(Column, bool)>,
    /// The delivery record last read, and what it says per offer (same order as `offers`).
    delivery: Summary,
    deliveries: Vec<OfferDelivery>,
    /// For each sold-out offer, its next best (`next_best`), worked out once per load.
    next_best: Vec<Option<usize>>,
    /// Moves on every change of the rows or their figures (a merged table is built again).
    revision: u64,
}

impl OfferList {
    pub fn set_offers(&mut self, offers: Vec<Offer>, favourites: &BTreeSet<String>) {
        self.haystacks = offers
            .iter()
            .map(|o| format!("{} {}", o.name, o.service_code).to_lowercase())
            .collect();
        // One entry per country, however each server writes it (an id or a name): the id where
        // one server gives it.
        let mut by_key: std::collections::BTreeMap<String, String> = Default::default();
        for o in &offers {
            let entry = by_key
                .entry(crate::countries::country_key(&o.country))
                .or_insert_with(|| o.country.clone());
            if country_name(entry) == entry.as_str() && country_name(&o.country) != o.country {
                entry.clone_from(&o.country);
            }
        }
        let mut countries: Vec<String> = by_key.into_values().collect();
        countries.sort_by_cached_key(|c| country_name(c).to_lowercase());
        self.countries = countries;
        let mut servers: Vec<String> = offers
            .iter()
            .map(|o| o.server.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        servers.sort_by_key(|s| (s.parse::<u64>().unwrap_or(u64::MAX), s.clone()));
        self.servers = servers;
        self.offers = offers;
        self.deliveries = deliveries_of(&self.offers, &self.delivery);
        self.next_best = self.next_best_indices();
        self.refresh(favourites);
    }

    /// A new delivery record (read on the worker): each offer's figures and the best values.
    pub fn set_delivery(&mut self, summary: Summary, favourites: &BTreeSet<String>) {
        self.delivery = summary;
        self.deliveries = deliveries_of(&self.offers, &self.delivery);
        self.next_best = self.next_best_indices();
        self.refresh(favourites);
    }

    /// What the delivery record says about `offer` (an offer of the list, or one that is no
    /// longer listed: its record without a "best value").
    /// How `offer` ranks as something to buy instead: (its server delivers nothing, its price
    /// per delivered code), lower first.
    pub fn instead_rank(&self, offer: &Offer) -> (bool, Decimal) {
        rank_of(offer, self.delivery_of(offer))
    }

    pub fn delivery_of(&self, offer: &Offer) -> OfferDelivery {
        let listed = self.offers.iter().position(|o| {
            o.service_code == offer.service_code
                && o.country == offer.country
                && o.server == offer.server
                && o.provider == offer.provider
        });
        match listed.and_then(|i| self.deliveries.get(i)) {
            Some(d) => *d,
            None => {
                let key = OfferKey::of_offer(offer);
                OfferDelivery {
                    record: self.delivery.records.get(&key).copied(),
                    best_value: false,
                    last_paid: self.delivery.last_paid.get(&key).copied(),
                }
            }
        }
    }

    /// How good a server is for a replacement: what one delivered code is expected to cost there
    /// (its price ÷ its success rate, with enough recent orders behind the rate; its price when
    /// it has no such record yet), and last of all a server whose recent orders never got a code.
    /// Lower is better.
    pub fn replacement_rank(&self, offer: &Offer) -> (bool, Decimal) {
        rank_of(offer, self.delivery_of(offer))
    }

    /// What to buy instead of the sold-out offer at `index` (of [`OfferList::offers`]), at most
    /// `ceiling`.
    pub fn next_best_at(&self, index: usize, ceiling: Option<Decimal>) -> Option<&Offer> {
        let i = self.next_best.get(index).copied().flatten()?;
        self.offers
            .get(i)
            .filter(|o| ceiling.is_none_or(|c| o.price <= c))
    }

    /// What the delivery record says about the offer at `index` (of [`OfferList::rows`]).
    pub fn delivery_at(&self, index: usize) -> OfferDelivery {
        self.deliveries.get(index).copied().unwrap_or_default()
    }

    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }

    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The shown offers, in table order.
    pub fn shown(&self) -> impl Iterator<Item = &Offer> {
        self.rows.iter().filter_map(|&i| self.offers.get(i))
    }

    /// The offer an order was bought from, as the list has it now ("Buy again").
    pub fn offer_of(&self, order: &crate::orders::Order) -> Option<&Offer> {
        self.offers.iter().find(|o| {
            o.service_code == order.service_code
                && o.country == order.country
                && o.server == order.server
        })
    }

    pub fn countries(&self) -> &[String] {
        &self.countries
    }

    pub fn servers(&self) -> &[String] {
        &self.servers
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn sort(&self) -> Option<(Column, bool)> {
        self.sort
    }

    pub fn set_filter(&mut self, filter: Filter, favourites: &BTreeSet<String>) {
        if filter != self.filter {
            self.filter = filter;
            self.refresh(favourites);
        }
    }

    /// Takes another list's order (every provider's offers are sorted the same way).
    pub fn set_sort(&mut self, sort: Option<(Column, bool)>, favourites: &BTreeSet<String>) {
        if self.sort != sort {
            self.sort = sort;
            self.refresh(favourites);
        }
    }

    /// Back to the provider's order (favourites still first).
    pub fn sort_usual(&mut self, favourites: &BTreeSet<String>) {
        self.sort = None;
        self.refresh(favourites);
    }

    /// Sorts by `column`; the same column again reverses the order.
    pub fn sort_by(&mut self, column: Column, favourites: &BTreeSet<String>) {
        self.sort = match self.sort {
            Some((c, asc)) if c == column => Some((column, !asc)),
            _ => Some((column, true)),
        };
        self.refresh(favourites);
    }

    /// Recomputes the shown rows: filter, favourites first, then the chosen order.
    pub fn refresh(&mut self, favourites: &BTreeSet<String>) {
        let needle = self.filter.search.trim().to_lowercase();
        let filter = &self.filter;
        let mut rows: Vec<(usize, bool, &Offer)> = self
            .offers
            .iter()
            .zip(&self.haystacks)
            .enumerate()
            .filter(|(_, (o, haystack))| {
                (needle.is_empty() || haystack.contains(&needle))
                    && filter
                        .country
                        .as_ref()
                        .is_none_or(|c| crate::countries::same_country(&o.country, c))
                    && filter.server.as_ref().is_none_or(|s| &o.server == s)
            })
            .map(|(i, (o, _))| {
                let favourite = !favourites.is_empty() && favourites.contains(&offer_key(o));
                (i, favourite, o)
            })
            .collect();
        let sort = self.sort;
        let deliveries = &self.deliveries;
        let delivery = |i: usize| deliveries.get(i).copied().unwrap_or_default();
        let key = |i: usize, favourite: bool, offer| RowKey {
            favourite,
            best: filter.best_first && delivery(i).best_value,
            offer,
            delivery: delivery(i),
        };
        rows.sort_by(|a, b| row_order(&key(a.0, a.1, a.2), &key(b.0, b.1, b.2), sort));
        let rows = rows.into_iter().map(|(i, _, _)| i).collect();
        self.rows = rows;
        self.revision += 1;
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// How shown row `index` (an index into `offers()`) sorts against others.
    fn row_key(&self, index: usize, favourites: &BTreeSet<String>) -> Option<RowKey<'_>> {
        let offer = self.offers.get(index)?;
        let delivery = self.delivery_at(index);
        Some(RowKey {
            favourite: !favourites.is_empty() && favourites.contains(&offer_key(offer)),
            best: self.filter.best_first && delivery.best_value,
            offer,
            delivery,
        })
    }
}

/// What a row is sorted by.
struct RowKey<'a> {
    favourite: bool,
    best: bool,
    offer: &'a Offer,
    delivery: OfferDelivery,
}

/// Favourites first, then "best value" when asked, then the chosen column.
fn row_order(a: &RowKey<'_>, b: &RowKey<'_>, sort: Option<(Column, bool)>) -> Ordering {
    b.favourite
        .cmp(&a.favourite)
        .then_with(|| b.best.cmp(&a.best))
        .then_with(|| match sort {
            Some((column, asc)) => {
                let ord = match column {
                    Column::Delivery => compare_delivery(&a.delivery, &b.delivery),
                    _ => compare(a.offer, b.offer, column),
                };
                if asc { ord } else { ord.reverse() }
            }
            None => Ordering::Equal,
        })
}

/// The shown rows of several lists (one per provider, each filtered and sorted the same way) as
/// one table: (list, offer index) in the lists' order; rows that tie keep the earlier list first.
/// `best_across` (list, offer index) says which offers are the best value across the lists, where that
/// differs from each list's own mark (`offers::across`).
pub fn merged_rows(
    lists: &[&OfferList],
    favourites: &BTreeSet<String>,
    best_across: Option<&dyn Fn(usize, usize) -> bool>,
) -> Vec<(usize, usize)> {
    let sort = lists.first().and_then(|l| l.sort);
    let mut next = vec![0_usize; lists.len()];
    let total = lists.iter().map(|l| l.rows.len()).sum();
    let mut merged = Vec::with_capacity(total);
    loop {
        let mut best: Option<(usize, RowKey<'_>)> = None;
        for (list, offers) in lists.iter().enumerate() {
            let Some(key) = next
                .get(list)
                .and_then(|&n| offers.rows.get(n))
                .and_then(|&i| {
                    let mut key = offers.row_key(i, favourites)?;
                    if let Some(is_best) = best_across {
                        key.best = offers.filter.best_first && is_best(list, i);
                    }
                    Some(key)
                })
            else {
                continue;
            };
            let better = match &best {
                None => true,
                Some((_, held)) => row_order(&key, held, sort) == Ordering::Less,
            };
            if better {
                best = Some((list, key));
            }
        }
        let Some((list, _)) = best else {
            break;
        };
        if let (Some(n), Some(offers)) = (next.get_mut(list), lists.get(list)) {
            if let Some(&i) = offers.rows.get(*n) {
                merged.push((list, i));
            }
            *n += 1;
        }
    }
    merged
}

fn compare(a: &Offer, b: &Offer, column: Column) -> Ordering {
    match column {
        Column::Service => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        Column::Code => a.service_code.cmp(&b.service_code),
        Column::Country => country_name(&a.country).cmp(country_name(&b.country)),
        Column::Server => numeric_then_text(&a.server, &b.server),
        Column::Provider => numeric_then_text(&a.provider, &b.provider),
        Column::Price => a.price.cmp(&b.price),
        Column::Stock => a.qty.cmp(&b.qty),
        // Sorted with the records (`compare_delivery`).
        Column::Delivery => Ordering::Equal,
    }
}

/// The best delivered first: records with enough orders (recent ones before old ones), then
/// those with too few, then offers never bought.
fn compare_delivery(a: &OfferDelivery, b: &OfferDelivery) -> Ordering {
    let rank = |d: &OfferDelivery| match d.record {
        Some(r) if r.is_shown() && r.fresh => 0,
        Some(r) if r.is_shown() => 1,
        Some(_) => 2,
        None => 3,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| match (a.record, b.record) {
            (Some(x), Some(y)) => x.better_than(&y),
            _ => Ordering::Equal,
        })
}

/// [`OfferList::replacement_rank`] of `offer`, given what the delivery record says about it.
fn rank_of(offer: &Offer, delivery: OfferDelivery) -> (bool, Decimal) {
    let record = delivery.record;
    let never_delivers = record.is_some_and(|r| {
        r.fresh && r.orders >= crate::orders::delivery::BEST_VALUE_FROM && r.got_code == 0
    });
    let cost = record
        .and_then(|r| r.price_per_code(offer.price))
        .unwrap_or(offer.price);
    (never_delivers, cost)
}

/// An offer's index and its price per delivered code.
type Lowest = Option<(usize, Decimal)>;

/// Each offer's record, and the best value of each service and country: the lowest price per
/// delivered code, when at least two of its offers have enough recent orders to compare.
fn deliveries_of(offers: &[Offer], summary: &Summary) -> Vec<OfferDelivery> {
    let mut deliveries: Vec<OfferDelivery> = offers
        .iter()
        .map(|o| {
            let key = OfferKey::of_offer(o);
            OfferDelivery {
                record: summary.records.get(&key).copied(),
                best_value: false,
                last_paid: summary.last_paid.get(&key).copied(),
            }
        })
        .collect();
    // (service, country) → how many offers have a price per code, and the lowest so far; a
    // country written as an id by one server and as a name by another is one country.
    let mut best: HashMap<(&str, String), (usize, Lowest)> = HashMap::new();
    for (i, (o, d)) in offers.iter().zip(&deliveries).enumerate() {
        let Some(per_code) = d.record.and_then(|r| r.price_per_code(o.price)) else {
            continue;
        };
        if o.sold_out() || !o.has_usual_price() {
            continue;
        }
        let entry = best
            .entry((
                o.service_code.as_str(),
                crate::countries::country_key(&o.country),
            ))
            .or_insert((0, None));
        entry.0 += 1;
        if entry.1.is_none_or(|(_, lowest)| per_code < lowest) {
            entry.1 = Some((i, per_code));
        }
    }
    for (count, lowest) in best.into_values() {
        if let (true, Some((i, _))) = (count >= 2, lowest)
            && let Some(d) = deliveries.get_mut(i)
        {
            d.best_value = true;
        }
    }
    deliveries
}

fn numeric_then_text(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rust_decimal::Decimal;

    pub(crate) fn offer(server: &str, code: &str, name: &str, price: i64, country: &str) -> Offer {
        Offer {
            server: server.into(),
            service_code: code.into(),
            name: name.into(),
            price: Decimal::new(price, 2),
            price_sent: None,
            qty: 5,
            country: country.into(),
            provider: "1".into(),
        }
    }

    /// Two providers' lists as one table: in the chosen order across both, ties keeping the
    /// earlier provider first, favourites of either first, and nothing lost or repeated.
    #[test]
    fn two_providers_rows_merge_in_one_order() {
        let none = BTreeSet::new();
        let mut first = OfferList::default();
        first.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1200, "22"),
                offer("2", "tg", "Telegram", 800, "22"),
                offer("3", "vk", "VK", 300, "22"),
            ],
            &none,
        );
        let mut second = OfferList::default();
        second.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1100, "22"),
                offer("2", "tg", "Telegram", 800, "22"),
            ],
            &none,
        );
        let by_price = |list: &mut OfferList| list.set_sort(Some((Column::Price, true)), &none);
        // (sort, favourites, rows as (list, offer index))
        let usual: Vec<(usize, usize)> = vec![(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)];
        assert_eq!(merged_rows(&[&first, &second], &none, None), usual);
        by_price(&mut first);
        by_price(&mut second);
        assert_eq!(
            merged_rows(&[&first, &second], &none, None),
            [(0, 2), (0, 1), (1, 1), (1, 0), (0, 0)],
            "cheapest first; the tie at 8.00 keeps the first provider first"
        );
        let pinned: BTreeSet<String> = [offer_key(&offer("1", "wa", "WhatsApp", 0, "22"))].into();
        first.refresh(&pinned);
        second.refresh(&pinned);
        assert_eq!(
            merged_rows(&[&first, &second], &pinned, None),
            [(1, 0), (0, 0), (0, 2), (0, 1), (1, 1)],
            "the favourite of both providers first, cheaper first"
        );
        assert_eq!(merged_rows(&[&second], &none, None).len(), 2);
        assert!(merged_rows(&[], &none, None).is_empty());
        let before = first.revision();
        first.set_filter(
            Filter {
                search: "tele".into(),
                ..Filter::default()
            },
            &none,
        );
        assert!(first.revision() > before, "a new filter is a new revision");
        assert_eq!(merged_rows(&[&first, &second], &pinned, None).len(), 3);
    }

    /// One server writes India as `22`, another as `India`: one entry in the Country list, and
    /// choosing it shows the offers of both.
    #[test]
    fn a_country_written_as_an_id_and_as_a_name_is_listed_once() {
        let mut list = OfferList::default();
        let none = BTreeSet::new();
        list.set_offers(
            vec![
                offer("3", "tg", "Telegram", 999, "India"),
                offer("1", "tg", "Telegram", 899, "22"),
                offer("1", "vk", "VK", 312, "0"),
            ],
            &none,
        );
        assert_eq!(list.countries(), ["22", "0"]);
        list.set_filter(
            Filter {
                country: Some("22".into()),
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[0, 1]);
    }

    #[test]
    fn search_filter_sort_and_favourites() {
        let mut list = OfferList::default();
        let none = BTreeSet::new();
        list.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1250, "22"),
                offer("2", "wa", "WhatsApp", 990, "22"),
                offer("1", "vk", "Вконтакте/VKConnect", 312, "0"),
                offer("1", "tg", "Telegram", 500, "22"),
            ],
            &none,
        );
        assert_eq!(list.rows().len(), 4);
        list.set_filter(
            Filter {
                search: "WHATS".into(),
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[0, 1]);
        list.set_filter(
            Filter {
                search: "вкон".into(),
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[2]);
        list.set_filter(
            Filter {
                search: "TG".into(),
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[3]);
        list.set_filter(
            Filter {
                country: Some("22".into()),
                server: Some("1".into()),
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[0, 3]);
        list.set_filter(Filter::default(), &none);
        list.sort_by(Column::Price, &none);
        assert_eq!(list.rows(), &[2, 3, 1, 0]);
        list.sort_by(Column::Price, &none);
        assert_eq!(list.rows(), &[0, 1, 3, 2]);
        let favs: BTreeSet<String> = [offer_key(&list.offers()[2])].into();
        list.refresh(&favs);
        assert_eq!(list.rows()[0], 2, "favourite pinned to the top");
        assert_eq!(list.countries(), &["22".to_string(), "0".to_string()]);
    }

    pub(crate) fn record(got: u32, orders: u32, fresh: bool) -> Record {
        Record {
            orders,
            got_code: got,
            median_secs: Some(20),
            newest: 0,
            fresh,
        }
    }

    #[test]
    fn a_replacement_goes_to_the_lowest_cost_per_delivered_code_never_to_a_silent_server() {
        let mut list = OfferList::default();
        let none = BTreeSet::new();
        list.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1250, "22"), // 9/10: 13.89 a code
                offer("2", "wa", "WhatsApp", 1100, "22"), // 3/10: 36.67 a code
                offer("3", "wa", "WhatsApp", 500, "22"),  // 0/6: never delivers
                offer("4", "wa", "WhatsApp", 1300, "22"), // no record: its price
            ],
            &none,
        );
        let mut summary = Summary::default();
        for (server, got, n) in [("1", 9, 10), ("2", 3, 10), ("3", 0, 6)] {
            summary
                .records
                .insert(OfferKey::new("wa", "22", server), record(got, n, true));
        }
        list.set_delivery(summary, &none);
        let offers = list.offers().to_vec();
        let rank = |o: &Offer| list.replacement_rank(o);
        let like = &offers[2];
        // After server 3: 4 (no record yet: its price, 13.00), then 1 (13.89 a code), then 2
        // (36.67 a code).
        let order: Vec<&str> = {
            let mut tried = vec!["3".to_owned()];
            let mut order = Vec::new();
            while let Some(next) = next_offer(&offers, like, &tried, rank) {
                order.push(next.server.as_str());
                tried.push(next.server.clone());
            }
            order
        };
        assert_eq!(order, ["4", "1", "2"]);
        // The cheapest server, known to deliver nothing, comes after every other.
        let from_1 = next_offer(&offers, like, &["1".to_owned()], rank);
        assert_eq!(from_1.map(|o| o.server.as_str()), Some("4"));
        assert!(rank(&offers[2]) > rank(&offers[1]));
        // By price alone the silent server would have been chosen first.
        let by_price = next_offer(&offers, like, &[], |o| o.price);
        assert_eq!(by_price.map(|o| o.server.as_str()), Some("3"));
    }

    #[test]
    fn best_value_is_the_lowest_price_per_delivered_code_and_can_come_first() {
        let mut list = OfferList::default();
        let none = BTreeSet::new();
        list.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1250, "22"), // 9/10: 13.89 a code
                offer("2", "wa", "WhatsApp", 1100, "22"), // 3/10: 36.67 a code
                offer("3", "wa", "WhatsApp", 500, "22"),  // 2/4: too few orders
                offer("1", "tg", "Telegram", 500, "22"),  // alone: nothing to compare
                offer("1", "wa", "WhatsApp", 1250, "0"),  // another country, stale
            ],
            &none,
        );
        let mut summary = Summary::default();
        let mut set = |server: &str, code: &str, country: &str, r: Record| {
            summary
                .records
                .insert(OfferKey::new(code, country, server), r);
        };
        set("1", "wa", "22", record(9, 10, true));
        set("2", "wa", "22", record(3, 10, true));
        set("3", "wa", "22", record(2, 4, true));
        set("1", "tg", "22", record(5, 5, true));
        set("1", "wa", "0", record(5, 5, false));
        summary
            .last_paid
            .insert(OfferKey::new("wa", "22", "2"), Decimal::new(990, 2));
        list.set_delivery(summary, &none);
        let best: Vec<bool> = (0..5).map(|i| list.delivery_at(i).best_value).collect();
        assert_eq!(best, [true, false, false, false, false]);
        assert!(list.delivery_of(&list.offers()[0].clone()).best_value);
        // "was 9.90" only where the price went up.
        assert_eq!(
            list.delivery_at(1).was(Decimal::new(1100, 2)),
            Some(Decimal::new(990, 2))
        );
        assert_eq!(list.delivery_at(1).was(Decimal::new(900, 2)), None);
        // Sorted by price, the best value first when asked.
        list.sort_by(Column::Price, &none);
        assert_eq!(list.rows(), &[2, 3, 1, 0, 4]);
        list.set_filter(
            Filter {
                best_first: true,
                ..Filter::default()
            },
            &none,
        );
        assert_eq!(list.rows(), &[0, 2, 3, 1, 4]);
        // By delivery: recent records, the best delivered first (5/5, 9/10, 2/4, 3/10); then
        // the old one.
        list.set_filter(Filter::default(), &none);
        list.sort_by(Column::Delivery, &none);
        assert_eq!(list.rows(), &[3, 0, 2, 1, 4]);
    }
}
