//! What to buy instead: the next server for a replacement, and the next best offer when the one
//! chosen is sold out or refused for stock or price. Plain functions of the offer list and the
//! delivery record, with table tests.

use rust_decimal::Decimal;

use super::OfferList;
use crate::api::Offer;

/// The next server to try for a number of `like`'s service and country: an offer on a server not
/// in `tried`, with stock and a usual price, the lowest `rank` first (then the lowest server).
/// The app ranks by the delivery record (`OfferList::replacement_rank`): the next *best* server,
/// not merely the next cheapest.
pub fn next_offer<'a, K: Ord>(
    offers: &'a [Offer],
    like: &Offer,
    tried: &[String],
    rank: impl Fn(&Offer) -> K,
) -> Option<&'a Offer> {
    offers
        .iter()
        .filter(|o| same_kind(o, like))
        .filter(|o| !o.sold_out() && o.has_usual_price() && !tried.contains(&o.server))
        .min_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then_with(|| server_order(&a.server).cmp(&server_order(&b.server)))
        })
}

/// The same service in the same country (however each server writes the country).
fn same_kind(o: &Offer, like: &Offer) -> bool {
    o.service_code == like.service_code && crate::countries::same_country(&o.country, &like.country)
}

/// Numeric servers by number, then the others by name.
fn server_order(server: &str) -> (u8, u64, &str) {
    match server.parse::<u64>() {
        Ok(n) => (0, n, server),
        Err(_) => (1, 0, server),
    }
}

impl OfferList {
    /// What to buy instead of `like` (sold out, or refused for stock or price): the best other
    /// server for its service and country — the lowest price per delivered code by the delivery
    /// record, the price where there is no record — with stock, at most `ceiling`, and never a
    /// server whose recent numbers all went without a code.
    pub fn next_best(&self, like: &Offer, ceiling: Option<Decimal>) -> Option<&Offer> {
        self.next_best_excluding(like, std::slice::from_ref(&like.server), ceiling)
    }

    /// As [`OfferList::next_best`], past every server in `tried`.
    pub fn next_best_excluding(
        &self,
        like: &Offer,
        tried: &[String],
        ceiling: Option<Decimal>,
    ) -> Option<&Offer> {
        let best = self.best_instead(0..self.offers().len(), like, tried, ceiling)?;
        self.offers().get(best)
    }

    /// For each offer that is sold out, the index of its next best offer (no ceiling): worked out
    /// once per load, so a sold-out row can offer it without a search in every frame.
    pub(super) fn next_best_indices(&self) -> Vec<Option<usize>> {
        let mut by_kind: std::collections::HashMap<(&str, String), Vec<usize>> =
            std::collections::HashMap::new();
        for (i, o) in self.offers().iter().enumerate() {
            by_kind
                .entry((
                    o.service_code.as_str(),
                    crate::countries::country_key(&o.country),
                ))
                .or_default()
                .push(i);
        }
        self.offers()
            .iter()
            .map(|like| {
                if !like.sold_out() {
                    return None;
                }
                let group = by_kind.get(&(
                    like.service_code.as_str(),
                    crate::countries::country_key(&like.country),
                ))?;
                let tried = std::slice::from_ref(&like.server);
                self.best_instead(group.iter().copied(), like, tried, None)
            })
            .collect()
    }

    /// Among the offers at `candidates`, the one to buy instead of `like`: its service and
    /// country on a server not in `tried`, with stock, a usual price, at most `ceiling`, and not
    /// a server known to deliver nothing; the lowest cost per delivered code, then the lowest
    /// server. Each offer's record is the one worked out at load (no search per offer).
    fn best_instead(
        &self,
        candidates: impl Iterator<Item = usize>,
        like: &Offer,
        tried: &[String],
        ceiling: Option<Decimal>,
    ) -> Option<usize> {
        candidates
            .filter_map(|i| {
                let o = self.offers().get(i)?;
                Some((i, o, super::rank_of(o, self.delivery_at(i))))
            })
            .filter(|(_, o, (silent, _))| {
                !*silent
                    && same_kind(o, like)
                    && !tried.contains(&o.server)
                    && !o.sold_out()
                    && o.has_usual_price()
                    && ceiling.is_none_or(|c| o.price <= c)
            })
            .min_by(|a, b| {
                a.2.cmp(&b.2)
                    .then_with(|| server_order(&a.1.server).cmp(&server_order(&b.1.server)))
            })
            .map(|(i, _, _)| i)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use std::collections::BTreeSet;

    use rust_decimal::Decimal;

    use super::super::tests::{offer, record};
    use super::super::{OfferKey, OfferList, Summary};

    /// WhatsApp in India on five servers, with their records:
    /// 1: ₹12.50, 9/10 (13.89 a code) · 2: ₹11.00, 3/10 (36.67 a code) · 3: ₹5.00, 0/6 (never
    /// delivers) · 4: ₹13.00, no record · 5: ₹9.00, sold out.
    fn list() -> OfferList {
        let mut list = OfferList::default();
        let none = BTreeSet::new();
        let mut sold_out = offer("5", "wa", "WhatsApp", 900, "22");
        sold_out.qty = 0;
        list.set_offers(
            vec![
                offer("1", "wa", "WhatsApp", 1250, "22"),
                offer("2", "wa", "WhatsApp", 1100, "22"),
                offer("3", "wa", "WhatsApp", 500, "22"),
                offer("4", "wa", "WhatsApp", 1300, "22"),
                sold_out,
                offer("1", "tg", "Telegram", 100, "22"),
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
        list
    }

    #[test]
    fn the_next_best_is_the_lowest_cost_per_code_under_the_ceiling_never_a_silent_server() {
        let list = list();
        let offers = list.offers().to_vec();
        // (refused server, ceiling in paise, the server offered instead)
        let rows: [(usize, Option<i64>, Option<&str>); 7] = [
            (4, None, Some("4")),       // sold out: 13.00 (no record) beats 13.89 a code
            (3, None, Some("1")),       // 4 refused: 13.89 a code, then 36.67
            (0, None, Some("4")),       // 1 refused: 13.00, never the silent ₹5.00 server
            (4, Some(1250), Some("1")), // ceiling ₹12.50: server 4 (₹13.00) is above it
            (4, Some(1200), Some("2")), // ceiling ₹12.00: only server 2 (₹11.00) is under it
            (4, Some(1000), None),      // ceiling ₹10.00: nothing that delivers is under it
            (5, None, None),            // Telegram: no other server
        ];
        for (refused, ceiling, want) in rows {
            let ceiling = ceiling.map(|c| Decimal::new(c, 2));
            let got = list
                .next_best(&offers[refused], ceiling)
                .map(|o| o.server.as_str());
            assert_eq!(
                got, want,
                "instead of server {} under {ceiling:?}",
                offers[refused].server
            );
        }
    }

    #[test]
    fn a_sold_out_offer_knows_its_next_best_without_searching_in_each_frame() {
        let list = list();
        let indices = list.next_best_indices();
        assert_eq!(indices[4], Some(3), "server 5 sold out: server 4");
        assert!(
            indices
                .iter()
                .enumerate()
                .all(|(i, n)| i == 4 || n.is_none()),
            "only sold-out offers have one: {indices:?}"
        );
        assert_eq!(
            list.next_best(&list.offers()[4], None)
                .map(|o| o.server.clone()),
            Some("4".to_owned()),
            "the same answer as the search"
        );
    }
}
