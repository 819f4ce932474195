//! The offers of the Services tab: loaded list, filter, sort. Recomputed only when the data or the
//! filter changes, never per frame.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::api::Offer;
use crate::countries::country_name;

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
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Service,
        Column::Code,
        Column::Country,
        Column::Server,
        Column::Provider,
        Column::Price,
        Column::Stock,
    ];
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub search: String,
    /// The raw country value, as the provider sends it.
    pub country: Option<String>,
    pub server: Option<String>,
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
}

impl OfferList {
    pub fn set_offers(&mut self, offers: Vec<Offer>, favourites: &BTreeSet<String>) {
        self.haystacks = offers
            .iter()
            .map(|o| format!("{} {}", o.name, o.service_code).to_lowercase())
            .collect();
        let mut countries: Vec<String> = offers
            .iter()
            .map(|o| o.country.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
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
        self.refresh(favourites);
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
                    && filter.country.as_ref().is_none_or(|c| &o.country == c)
                    && filter.server.as_ref().is_none_or(|s| &o.server == s)
            })
            .map(|(i, (o, _))| {
                let favourite = !favourites.is_empty() && favourites.contains(&offer_key(o));
                (i, favourite, o)
            })
            .collect();
        let sort = self.sort;
        rows.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| match sort {
                Some((column, asc)) => {
                    let ord = compare(a.2, b.2, column);
                    if asc { ord } else { ord.reverse() }
                }
                None => Ordering::Equal,
            })
        });
        let rows = rows.into_iter().map(|(i, _, _)| i).collect();
        self.rows = rows;
    }
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
    }
}

fn numeric_then_text(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn offer(server: &str, code: &str, name: &str, price: i64, country: &str) -> Offer {
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
}
