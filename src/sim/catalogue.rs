//! The simulator's catalogue of offers: a hand-written default one and a large generated one,
//! plus the deterministic phone numbers the simulator hands out.

use rust_decimal::Decimal;

/// One offer of the catalogue, as `getService` lists it under its server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimOffer {
    /// The server key the offer is listed under (`"1"`, `"2"`, ...).
    pub server: String,
    /// The service code (`"wa"`, `"tg"`, ...), sent back as `service=` by `getNumber`.
    pub id: String,
    /// The display name of the service (any script).
    pub name: String,
    /// The price of one number.
    pub price: Decimal,
    /// How many numbers are left; 0 means sold out (`NO_NUMBERS`).
    pub qty: u64,
    /// The country, usually a numeric id (`"22"` is India) but a name on some servers.
    pub country: String,
    /// The provider, usually a numeric id but a name on some servers.
    pub provider: String,
}

impl SimOffer {
    fn new(
        server: &str,
        id: &str,
        name: &str,
        cents: i64,
        qty: u64,
        country: &str,
        provider: &str,
    ) -> Self {
        SimOffer {
            server: server.to_owned(),
            id: id.to_owned(),
            name: name.to_owned(),
            price: Decimal::new(cents, 2),
            qty,
            country: country.to_owned(),
            provider: provider.to_owned(),
        }
    }
}

/// `(server, service code, name, price in cents, qty, country, provider)`.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    u64,
    &'static str,
    &'static str,
);

const DEFAULT_ROWS: &[Row] = &[
    // Server 1: mostly India, numeric country and provider ids, like the reference's example.
    ("1", "vk", "Вконтакте/VKConnect", 312, 1052, "22", "1"),
    ("1", "wa", "WhatsApp", 1250, 340, "22", "1"),
    ("1", "tg", "Telegram", 899, 0, "22", "1"),
    ("1", "am", "Amazon", 99, 5120, "22", "1"),
    ("1", "go", "Google, YouTube, Gmail", 450, 812, "22", "1"),
    ("1", "pm", "Paytm", 300, 2200, "22", "2"),
    ("1", "fk", "Flipkart", 275, 1430, "22", "2"),
    ("1", "ig", "Instagram + Threads", 520, 96, "22", "1"),
    ("1", "fb", "Facebook", 480, 0, "22", "1"),
    ("1", "sw", "Swiggy", 199, 760, "22", "2"),
    ("1", "zo", "Zomato", 199, 655, "22", "2"),
    ("1", "ph", "PhonePe", 350, 1204, "22", "2"),
    ("1", "hs", "डिज़्नी+ हॉटस्टार", 150, 980, "22", "2"),
    ("1", "wb", "微信 WeChat", 2500, 14, "22", "1"),
    ("1", "ya", "Яндекс", 410, 87, "0", "3"),
    ("1", "vk", "Вконтакте/VKConnect", 1800, 230, "0", "3"),
    ("1", "wa", "WhatsApp", 6500, 45, "12", "4"),
    ("1", "tg", "Telegram", 4200, 120, "16", "5"),
    // Server 2: India and the rest of the world.
    ("2", "wa", "WhatsApp", 1100, 2890, "22", "7"),
    ("2", "tg", "Telegram", 950, 1500, "22", "7"),
    ("2", "am", "Amazon", 120, 0, "22", "7"),
    ("2", "go", "Google, YouTube, Gmail", 399, 3300, "22", "8"),
    ("2", "ig", "Instagram + Threads", 610, 410, "22", "8"),
    ("2", "ot", "Any other / Другие", 50, 9999, "22", "8"),
    ("2", "mt", "मीशो Meesho", 180, 640, "22", "8"),
    ("2", "mm", "Microsoft", 720, 64, "12", "9"),
    ("2", "go", "Google, YouTube, Gmail", 1575, 230, "12", "9"),
    ("2", "am", "Amazon", 890, 18, "16", "9"),
    ("2", "wa", "WhatsApp", 1390, 700, "6", "10"),
    ("2", "ni", "Gojek", 230, 1800, "6", "10"),
    ("2", "ka", "Shopee", 275, 380, "6", "10"),
    ("2", "av", "Avito / Авито", 640, 0, "0", "11"),
    ("2", "ds", "Discord", 310, 520, "0", "11"),
    // Server 3: like the other published copy of the reference, country and provider are names.
    ("3", "wa", "WhatsApp", 1199, 150, "India", "Tempnum"),
    ("3", "tg", "Telegram", 999, 0, "India", "Tempnum"),
    ("3", "pm", "Paytm", 325, 75, "India", "Tempnum"),
    ("3", "fk", "Flipkart", 260, 440, "India", "Tempnum"),
    ("3", "ph", "PhonePe", 340, 210, "India", "Tempnum"),
    ("3", "dr", "OpenAI / ChatGPT", 1450, 33, "India", "Tempnum"),
    ("3", "zo", "Zomato", 210, 98, "India", "Tempnum"),
    ("3", "wb", "微信 WeChat", 2750, 5, "India", "Tempnum"),
];

/// The default catalogue: about 40 offers over servers `"1"`, `"2"` and `"3"`, India (`"22"`) first
/// and most common, some sold out, and server `"3"` giving country and provider as names.
pub fn default_catalogue() -> Vec<SimOffer> {
    DEFAULT_ROWS
        .iter()
        .map(|&(server, id, name, cents, qty, country, provider)| {
            SimOffer::new(server, id, name, cents, qty, country, provider)
        })
        .collect()
}

/// Service codes and names used by [`generated_catalogue`].
const GENERATED_SERVICES: &[(&str, &str)] = &[
    ("wa", "WhatsApp"),
    ("tg", "Telegram"),
    ("am", "Amazon"),
    ("go", "Google, YouTube, Gmail"),
    ("pm", "Paytm"),
    ("fk", "Flipkart"),
    ("ig", "Instagram + Threads"),
    ("fb", "Facebook"),
    ("sw", "Swiggy"),
    ("zo", "Zomato"),
    ("ph", "PhonePe"),
    ("vk", "Вконтакте/VKConnect"),
    ("ya", "Яндекс"),
    ("wb", "微信 WeChat"),
    ("hs", "डिज़्नी+ हॉटस्टार"),
    ("mt", "मीशो Meesho"),
    ("mm", "Microsoft"),
    ("ds", "Discord"),
    ("tw", "Twitter / X"),
    ("ub", "Uber"),
    ("ol", "Ola"),
    ("nf", "Netflix"),
    ("sp", "Spotify"),
    ("dr", "OpenAI / ChatGPT"),
    ("ni", "Gojek"),
    ("ka", "Shopee"),
    ("av", "Avito / Авито"),
    ("me", "LINE ライン"),
    ("kt", "KakaoTalk 카카오톡"),
    ("ts", "PayPal"),
    ("ot", "Any other / Другие"),
    ("ma", "Mail.ru"),
    ("ok", "Одноклассники"),
    ("lf", "TikTok/Douyin 抖音"),
    ("bl", "BIGO LIVE"),
    ("ew", "Nike"),
    ("dh", "eBay"),
    ("mb", "Yahoo"),
    ("ac", "DoorDash"),
    ("ij", "Revolut"),
];

/// Number of numeric country ids used by [`generated_catalogue`] (`"22"` first, then 0.. upwards).
const GENERATED_COUNTRIES: u64 = 60;

fn generated_country(index: u64) -> String {
    // India first, then the other ids in order, skipping 22.
    match index {
        0 => "22".to_owned(),
        i if i <= 22 => (i - 1).to_string(),
        i => i.to_string(),
    }
}

/// A deterministic catalogue of `n` offers spread over servers `"1"`..=`"9"` and many numeric
/// countries; every 15th offer is sold out. Service/server/country triples stay unique.
pub fn generated_catalogue(n: usize) -> Vec<SimOffer> {
    let servers = 9u64;
    let services = GENERATED_SERVICES.len() as u64;
    let capacity = servers * services * GENERATED_COUNTRIES;
    (0..n as u64)
        .map(|i| {
            let server = (i % servers + 1).to_string();
            let service_index = (i / servers) % services;
            let country = generated_country((i / (servers * services)) % GENERATED_COUNTRIES);
            let round = i / capacity;
            let (code, name) = GENERATED_SERVICES
                .get(usize::try_from(service_index).unwrap_or(usize::MAX))
                .copied()
                .unwrap_or(("ot", "Any other"));
            let id = if round == 0 {
                code.to_owned()
            } else {
                format!("{code}{round}")
            };
            let mixed = mix(i);
            let cents = 10 + i64::try_from(mixed % 4990).unwrap_or(0);
            let qty = if i % 15 == 14 {
                0
            } else {
                1 + (mixed >> 20) % 5000
            };
            SimOffer {
                server,
                id,
                name: name.to_owned(),
                price: Decimal::new(cents, 2),
                qty,
                provider: (1 + (mixed >> 40) % 12).to_string(),
                country,
            }
        })
        .collect()
}

/// A 64-bit mixing function (splitmix64), for deterministic pseudo-random digits.
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `count` deterministic decimal digits derived from `seed`.
fn digits(seed: u64, count: usize) -> String {
    let mut state = mix(seed);
    let mut out = String::with_capacity(count);
    for _ in 0..count {
        out.push(char::from(b'0' + (state % 10) as u8));
        state = mix(state);
    }
    out
}

/// A deterministic phone number for the order numbered `seq` in `country`:
/// India gets `+91` and ten digits starting with 6-9, other known countries their own prefix.
pub(crate) fn phone_for(country: &str, seq: u64) -> String {
    let lead = |choices: &[char]| {
        let n = choices.len().max(1) as u64;
        choices
            .get(usize::try_from(mix(seq ^ 0xABCD) % n).unwrap_or(0))
            .copied()
            .unwrap_or('9')
    };
    match country.trim().to_ascii_lowercase().as_str() {
        "22" | "india" => format!("+91{}{}", lead(&['6', '7', '8', '9']), digits(seq, 9)),
        "0" | "russia" => format!("+79{}", digits(seq, 9)),
        "12" | "usa" => format!(
            "+1{}{}",
            lead(&['2', '3', '4', '5', '6', '7', '8', '9']),
            digits(seq, 9)
        ),
        "16" | "united kingdom" => format!("+447{}", digits(seq, 9)),
        "6" | "indonesia" => format!("+628{}", digits(seq, 10)),
        other => {
            let code = other
                .bytes()
                .fold(0u64, |acc, b| acc.wrapping_mul(31) + u64::from(b));
            format!("+{}{}", 200 + code % 700, digits(seq, 9))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn default_catalogue_shape() {
        let offers = default_catalogue();
        assert!((35..=45).contains(&offers.len()));
        assert_eq!(offers[0].country, "22");
        assert!(offers.iter().any(|o| o.qty == 0));
        assert!(
            offers
                .iter()
                .any(|o| o.server == "3" && o.country == "India")
        );
        let keys: HashSet<_> = offers
            .iter()
            .map(|o| (&o.server, &o.id, &o.country))
            .collect();
        assert_eq!(keys.len(), offers.len(), "offers must be unique");
    }

    #[test]
    fn generated_is_deterministic_and_unique() {
        let a = generated_catalogue(10_000);
        assert_eq!(a, generated_catalogue(10_000));
        assert_eq!(a.len(), 10_000);
        let keys: HashSet<_> = a.iter().map(|o| (&o.server, &o.id, &o.country)).collect();
        assert_eq!(keys.len(), a.len());
        assert!(a.iter().filter(|o| o.qty == 0).count() >= 10_000 / 16);
        let big = generated_catalogue(30_000);
        let keys: HashSet<_> = big.iter().map(|o| (&o.server, &o.id, &o.country)).collect();
        assert_eq!(keys.len(), big.len());
    }

    #[test]
    fn phones() {
        let p = phone_for("22", 100001);
        assert!(p.starts_with("+91") && p.len() == 13, "{p}");
        assert!(p[1..].bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(p, phone_for("22", 100001));
        assert_ne!(p, phone_for("22", 100002));
        let other = phone_for("77", 5);
        assert!(other.starts_with('+') && other[1..].bytes().all(|b| b.is_ascii_digit()));
    }
}
