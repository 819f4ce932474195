//! Several providers' offer lists shown as one table: which offer is the best value for its
//! service and country across all of them, and what each list has to buy instead of a sold-out
//! offer. Worked out when the merged table is built again (a list changed), never per frame.
//! Lists are compared only with lists whose prices are in the same currency.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::{OfferList, rank_of};
use crate::api::Offer;

/// (currency, service, country) — a country written as an id or a name is one country.
type Kind = (String, String, String);

fn kind_of(currency: &str, offer: &Offer) -> Kind {
    (
        currency.to_owned(),
        offer.service_code.clone(),
        crate::countries::country_key(&offer.country),
    )
}

/// How many offers of a kind have a price per delivered code, and the lowest so far (where).
type Lowest = (usize, Option<((usize, usize), Decimal)>);

/// What the lists tell together.
#[derive(Debug, Default)]
pub struct Across {
    /// (list, offer index) of each offer that is the best value across the lists.
    best: HashSet<(usize, usize)>,
    /// For each list and kind, its best offer to buy instead (any server): its index.
    instead: HashMap<(usize, Kind), usize>,
    currencies: Vec<String>,
}

impl Across {
    /// `currencies[i]` is what list `i`'s prices are in.
    pub fn of(lists: &[&OfferList], currencies: &[String]) -> Self {
        let currency = |l: usize| currencies.get(l).map_or("", String::as_str);
        // The best value: the lowest price per delivered code where at least two offers of the
        // kind have one (as within one list), the earlier list first on a tie.
        let mut lowest: HashMap<Kind, Lowest> = HashMap::new();
        let mut instead: HashMap<(usize, Kind), (usize, (bool, Decimal))> = HashMap::new();
        for (l, list) in lists.iter().enumerate() {
            for (i, o) in list.offers().iter().enumerate() {
                if o.sold_out() || !o.has_usual_price() {
                    continue;
                }
                let kind = kind_of(currency(l), o);
                let delivery = list.delivery_at(i);
                if let Some(per_code) = delivery.record.and_then(|r| r.price_per_code(o.price)) {
                    let entry = lowest.entry(kind.clone()).or_insert((0, None));
                    entry.0 += 1;
                    if entry.1.is_none_or(|(_, low)| per_code < low) {
                        entry.1 = Some(((l, i), per_code));
                    }
                }
                let rank = rank_of(o, delivery);
                if rank.0 {
                    // A server whose recent numbers all went without a code: never offered.
                    continue;
                }
                let held = instead.entry((l, kind)).or_insert((i, rank));
                if rank < held.1 {
                    *held = (i, rank);
                }
            }
        }
        let best = lowest
            .into_values()
            .filter_map(|(count, low)| low.filter(|_| count >= 2).map(|(at, _)| at))
            .collect();
        Self {
            best,
            instead: instead.into_iter().map(|(k, (i, _))| (k, i)).collect(),
            currencies: currencies.to_vec(),
        }
    }

    /// Whether the offer at `index` of list `list` is the best value across the lists.
    pub fn is_best(&self, list: usize, index: usize) -> bool {
        self.best.contains(&(list, index))
    }

    /// What to buy instead of the sold-out `offer` of list `list`: the lowest rank among its own
    /// list's next best (`own`) and each other list's best of the kind, at most `ceiling`;
    /// its own list first on a tie. Returns (list, offer).
    pub fn instead<'a>(
        &self,
        lists: &[&'a OfferList],
        list: usize,
        offer: &Offer,
        own: Option<&'a Offer>,
        ceiling: Option<Decimal>,
    ) -> Option<(usize, &'a Offer)> {
        let currency = self.currencies.get(list).map_or("", String::as_str);
        let kind = kind_of(currency, offer);
        let mut candidates = Vec::new();
        if let (Some(o), Some(own_list)) = (own, lists.get(list)) {
            candidates.push(((list, o), own_list.instead_rank(o)));
        }
        for (l, other) in lists.iter().enumerate().filter(|(l, _)| *l != list) {
            let found = self
                .instead
                .get(&(l, kind.clone()))
                .and_then(|&i| other.offers().get(i))
                .filter(|o| ceiling.is_none_or(|c| o.price <= c));
            if let Some(o) = found {
                candidates.push(((l, o), other.instead_rank(o)));
            }
        }
        candidates
            .into_iter()
            .min_by(|a, b| a.1.cmp(&b.1))
            .map(|(found, _)| found)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{offer, record};
    use super::*;
    use crate::orders::delivery::{OfferKey, Summary};
    use std::collections::BTreeSet;

    fn list(offers: Vec<Offer>) -> OfferList {
        let mut l = OfferList::default();
        l.set_offers(offers, &BTreeSet::new());
        l
    }

    /// Without delivery records the price decides what to buy instead; a list in another
    /// currency is never compared.
    #[test]
    fn a_sold_out_offer_is_replaced_by_the_cheapest_of_every_list_of_its_currency() {
        let mut sold = offer("1", "wa", "WhatsApp", 1250, "22");
        sold.qty = 0;
        let first = list(vec![sold.clone(), offer("2", "wa", "WhatsApp", 1100, "22")]);
        let second = list(vec![
            offer("2", "wa", "WhatsApp", 990, "India"),
            offer("3", "tg", "Telegram", 100, "22"),
        ]);
        let third = list(vec![offer("1", "wa", "WhatsApp", 500, "22")]);
        let lists = [&first, &second, &third];
        let rupees = |n: usize| vec!["₹".to_owned(); n];
        // (currencies, ceiling, chosen (list, price))
        let mut dollars = rupees(3);
        dollars[2] = "$".to_owned();
        let table = [
            (rupees(3), None, Some((2, 500))),
            (dollars.clone(), None, Some((1, 990))),
            (dollars.clone(), Some(1000), Some((1, 990))),
            (dollars.clone(), Some(980), None),
        ];
        for (currencies, ceiling, chosen) in table {
            let across = Across::of(&lists, &currencies);
            let own = first.next_best_at(0, ceiling.map(|c| Decimal::new(c, 2)));
            let found = across
                .instead(&lists, 0, &sold, own, ceiling.map(|c| Decimal::new(c, 2)))
                .map(|(l, o)| (l, o.price));
            let want = chosen.map(|(l, p)| (l, Decimal::new(p, 2)));
            assert_eq!(found, want, "{currencies:?} {ceiling:?}");
        }
        // Its own list's next best wins a tie.
        let twin = list(vec![offer("5", "wa", "WhatsApp", 1100, "22")]);
        let lists = [&first, &twin];
        let across = Across::of(&lists, &rupees(2));
        let own = first.next_best_at(0, None);
        assert_eq!(
            across.instead(&lists, 0, &sold, own, None).map(|(l, _)| l),
            Some(0)
        );
        // Nothing is the best value without records.
        assert!(!across.is_best(0, 1) && !across.is_best(1, 0));
    }

    /// One best value per service and country across the lists: the lowest price per
    /// delivered code of all of them, though each list alone marks its own.
    #[test]
    fn the_best_value_is_one_across_the_lists() {
        let with_records = |offers: Vec<Offer>, records: &[(&str, u32, u32)]| {
            let mut l = list(offers);
            let mut summary = Summary::default();
            for &(server, got, orders) in records {
                summary
                    .records
                    .insert(OfferKey::new("wa", "22", server), record(got, orders, true));
            }
            l.set_delivery(summary, &BTreeSet::new());
            l
        };
        // 12.50 at 9/10: 13.89 a code; 11.00 at 3/10: 36.67 a code.
        let first = with_records(
            vec![
                offer("1", "wa", "WhatsApp", 1250, "22"),
                offer("2", "wa", "WhatsApp", 1100, "22"),
            ],
            &[("1", 9, 10), ("2", 3, 10)],
        );
        // 9.90 at 9/10: 11.00 a code, alone in its list (no mark of its own).
        let second = with_records(
            vec![offer("2", "wa", "WhatsApp", 990, "22")],
            &[("2", 9, 10)],
        );
        assert!(first.delivery_at(0).best_value && !second.delivery_at(0).best_value);
        let lists = [&first, &second];
        // (currencies, the best value (list, index))
        let table = [(vec!["₹", "₹"], (1, 0)), (vec!["₹", "$"], (0, 0))];
        for (currencies, best) in table {
            let currencies: Vec<String> = currencies.into_iter().map(str::to_owned).collect();
            let across = Across::of(&lists, &currencies);
            let marked: Vec<(usize, usize)> = [(0, 0), (0, 1), (1, 0)]
                .into_iter()
                .filter(|&(l, i)| across.is_best(l, i))
                .collect();
            assert_eq!(marked, [best], "{currencies:?}");
        }
    }
}
