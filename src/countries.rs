//! Country names for the numeric ids of the protocol family (`22` is India).

use std::collections::HashMap;
use std::sync::LazyLock;

static NAMES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../assets/countries.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once('\t'))
        .map(|(id, name)| (id.trim(), name.trim()))
        .collect()
});

/// The name for a numeric id; any other value (an unknown id, or a name already) as it is.
pub fn country_name(value: &str) -> &str {
    NAMES.get(value.trim()).copied().unwrap_or(value)
}

/// One key per country, whether a server sends its numeric id (`22`) or its name (`India`,
/// `india `): its name, in lower case. Offers are grouped, filtered and compared by it.
pub fn country_key(value: &str) -> String {
    country_name(value.trim()).trim().to_lowercase()
}

/// The same country, written as an id or as a name.
pub fn same_country(a: &str, b: &str) -> bool {
    country_key(a) == country_key(b)
}

/// The dialling code for the countries staff use most, to copy a phone without it.
pub fn dialling_code(country: &str) -> Option<&'static str> {
    Some(match country_name(country) {
        "India" => "91",
        "Russia" | "Kazakhstan" => "7",
        "USA" | "USA (virtual)" | "Canada" => "1",
        "United Kingdom" => "44",
        "Indonesia" => "62",
        "Philippines" => "63",
        "Malaysia" => "60",
        "Vietnam" => "84",
        "Ukraine" => "380",
        "Poland" => "48",
        "Brazil" => "55",
        "Pakistan" => "92",
        "Bangladesh" => "880",
        "Nepal" => "977",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row: two ways a server may write a country → the same one?
    #[test]
    fn an_id_and_a_name_are_the_same_country() {
        let rows = [
            ("22", "India", true),
            ("22", "india ", true),
            (" 22", "INDIA", true),
            ("22", "22", true),
            ("22", "0", false),
            ("India", "Indonesia", false),
            ("Atlantis", "atlantis", true),
        ];
        for (a, b, same) in rows {
            assert_eq!(same_country(a, b), same, "{a:?} {b:?}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(country_name("22"), "India");
        assert_eq!(country_name("0"), "Russia");
        assert_eq!(country_name("India"), "India");
        assert_eq!(country_name("99999"), "99999");
        assert_eq!(dialling_code("22"), Some("91"));
        assert_eq!(dialling_code("India"), Some("91"));
    }
}
