//! The screens' view state: what is typed, picked and shown, kept by the app between frames and
//! edited by the screens (`crate::ui` draws it). Plain data and what it means as a purchase's
//! choices; nothing here draws.

use rust_decimal::Decimal;

use super::Tab;
use super::batch_buy::{BuyOptions, MAX_QUANTITY};
use super::replace::{MAX_REPLACEMENTS, ReplaceOptions};
use crate::offers::Filter;
use crate::orders::Order;
use crate::orders::history::HistoryFilter;
use crate::settings::Settings;

/// The screens' own state: what is typed, picked and shown. Not persisted.
#[derive(Default)]
pub struct ViewState {
    pub tab: Tab,
    pub welcome: WelcomeForm,
    pub services: ServicesForm,
    pub orders: OrdersForm,
    pub settings: SettingsForm,
    /// The buy confirmation's quantity and replace-if-no-code.
    pub buy: BuyForm,
    /// Every message is shown, not only the three newest ("N more" was clicked).
    pub all_messages: bool,
    /// A confirmation dialog was open in the last frame.
    pub dialog_was_open: bool,
}

impl ViewState {
    pub fn new(settings: &Settings) -> Self {
        let mut view = Self::default();
        view.settings.api_url = settings.api_url.clone();
        view
    }

    /// Forgets typed keys once one is in use (the key stays in memory only where it is needed).
    pub fn clear_key_forms(&mut self) {
        self.welcome = Default::default();
        self.settings.new_key.clear();
        self.settings.api_url_key.clear();
        self.settings.changing_key = false;
        self.settings.new_provider_key.clear();
    }
}

/// The welcome screen: the key as typed.
#[derive(Default)]
pub struct WelcomeForm {
    pub key: String,
    pub show_key: bool,
    pub error: Option<String>,
}

/// Services: the search and the pickers.
#[derive(Default)]
pub struct ServicesForm {
    pub search: String,
    pub country: Option<String>,
    pub server: Option<String>,
    pub country_search: String,
    /// Ctrl+F was pressed: the search takes the focus when next drawn.
    pub focus_search: bool,
    /// "Show best value first".
    pub best_first: bool,
    /// Only this provider's offers (its id; [`FIRST_PROVIDER_ID`] for InstaOTP), or all.
    pub provider: Option<String>,
    /// The rows of every provider's offers as one table, and what they were merged from.
    pub merged: MergedRows,
}

/// Stands for InstaOTP in the Services provider filter.
pub const FIRST_PROVIDER_ID: &str = "";

/// The offers table's rows when more than one provider is signed in: (provider, offer index),
/// provider 0 being InstaOTP. Merged again only when a list or the filter changes.
#[derive(Default)]
pub struct MergedRows {
    pub from: Vec<(u64, u64)>,
    pub provider: Option<String>,
    pub rows: Vec<(usize, usize)>,
    /// The best value and the ways on, across every provider (by provider index).
    pub across: crate::offers::across::Across,
}

impl ServicesForm {
    /// The offers the form asks to see; the app applies it to the offer list after the frame.
    pub fn filter(&self) -> Filter {
        Filter {
            search: self.search.clone(),
            country: self.country.clone(),
            server: self.server.clone(),
            best_first: self.best_first,
        }
    }
}

/// Orders: the history's filter and paging, the export, the not-confirmed cards' forms.
pub struct OrdersForm {
    pub history: HistoryFilter,
    /// How many history rows are laid out (newest first); "Show more" adds a page.
    pub history_shown: usize,
    /// "Delete history before" this day; `None` until shown (then 90 days ago).
    pub delete_before: Option<jiff::civil::Date>,
    /// The file the save dialog offers.
    pub export_path: String,
    /// "Add it by order id" of each not-confirmed purchase.
    pub adopt: std::collections::HashMap<String, AdoptForm>,
    /// Whose history is shown: another provider's (its id), or InstaOTP's (`None`).
    pub history_provider: Option<String>,
}

impl Default for OrdersForm {
    fn default() -> Self {
        Self {
            history: HistoryFilter::default(),
            history_shown: HISTORY_PAGE,
            delete_before: None,
            export_path: String::new(),
            adopt: Default::default(),
            history_provider: None,
        }
    }
}

/// History rows laid out at a time: every shown row costs layout in every frame.
pub const HISTORY_PAGE: usize = 50;

/// Settings: a key or an address being changed, amounts as typed.
#[derive(Default)]
pub struct SettingsForm {
    pub changing_key: bool,
    pub new_key: String,
    pub show_key: bool,
    pub api_url: String,
    /// The key typed again to send it to a new address (cleared once used).
    pub api_url_key: String,
    pub threshold: Option<String>,
    /// The price ceiling as typed (empty: no ceiling).
    pub max_price: Option<String>,
    /// Settings → Providers → Add: the form is open, and what is typed in it.
    pub adding_provider: bool,
    pub new_provider_name: String,
    pub new_provider_url: String,
    pub new_provider_key: String,
    /// Why the provider was not added, in words.
    pub provider_error: Option<String>,
}

impl SettingsForm {
    /// A provider was added: the form closes and forgets what was typed.
    pub fn clear_provider_form(&mut self) {
        self.adding_provider = false;
        self.new_provider_name.clear();
        self.new_provider_url.clear();
        self.new_provider_key.clear();
        self.provider_error = None;
    }
}

/// What the confirmation's controls hold; a new one for every confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyForm {
    pub quantity: u8,
    pub replace: bool,
    pub wait_secs: u64,
    pub max_replacements: u8,
    /// As typed; until then the limit follows the count and the next server's price.
    pub spend_limit: String,
    pub spend_limit_typed: bool,
    /// More than [`ASK_AGAIN_ABOVE`] numbers: Buy was pressed once, and the dialog asks again.
    pub asking_again: bool,
    /// "If this server has no numbers, try the next best", up to this price (as typed).
    pub fallback: bool,
    pub fallback_limit: String,
    /// This service's own price ceiling, as typed (`None` until the dialog first shows it).
    pub service_ceiling: Option<String>,
}

/// Buying more numbers than this at once is asked about a second time.
pub const ASK_AGAIN_ABOVE: u8 = 5;

impl Default for BuyForm {
    fn default() -> Self {
        Self::new(&Settings::default())
    }
}

impl BuyForm {
    pub fn new(settings: &Settings) -> Self {
        Self {
            quantity: 1,
            replace: false,
            wait_secs: settings.replace_wait_secs,
            max_replacements: 1,
            spend_limit: String::new(),
            spend_limit_typed: false,
            asking_again: false,
            fallback: false,
            fallback_limit: String::new(),
            service_ceiling: None,
        }
    }

    /// The choices as the purchase takes them; `None` while the spend limit is not an amount.
    pub fn options(&self) -> Option<BuyOptions> {
        let replace = if self.replace {
            Some(ReplaceOptions {
                wait_secs: self.wait_secs,
                max: self.max_replacements.clamp(1, MAX_REPLACEMENTS),
                spend_limit: parse_amount(&self.spend_limit)?,
                ceiling: None,
            })
        } else {
            None
        };
        let fallback = if self.fallback {
            Some(parse_amount(&self.fallback_limit)?)
        } else {
            None
        };
        Some(BuyOptions {
            quantity: self.quantity.clamp(1, MAX_QUANTITY),
            replace,
            fallback,
        })
    }
}

/// An amount as a person types it ("25", "25.50", "₹25", "₹ 1 000"); `None` when it is not one.
/// Only digits and one decimal point count: "25,50", "-5" or "1e3" are refused rather than read
/// as another amount (a spend limit a hundred times too high would be easy to miss).
pub fn parse_amount(typed: &str) -> Option<Decimal> {
    let body: String = typed
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '.' && c != '-' && c != ',')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    body.parse::<Decimal>()
        .ok()
        .filter(|d| crate::api::amount::is_usual(*d))
}

/// What is typed into "Add it by order id" for one attempt.
#[derive(Debug, Default, Clone)]
pub struct AdoptForm {
    pub open: bool,
    pub order_id: String,
    pub phone: String,
    pub error: Option<String>,
}

impl AdoptForm {
    /// A form for `attempt`, its order id already typed when the lost reply named it
    /// (`ACCESS_NUMBER:<id>` without the phone).
    pub fn for_attempt(attempt: &Order) -> Self {
        let order_id = attempt
            .raw_reply
            .as_deref()
            .and_then(|raw| raw.trim().strip_prefix("ACCESS_NUMBER:"))
            .and_then(|rest| rest.split(':').next())
            .filter(|id| crate::orders::plausible_order_id(id))
            .map(str::to_owned);
        Self {
            open: order_id.is_some(),
            order_id: order_id.unwrap_or_default(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_choices_become_options_only_with_an_amount_as_limit() {
        let mut form = BuyForm::new(&Settings::default());
        assert_eq!(
            form.options().unwrap(),
            BuyOptions::default(),
            "one, no replacing"
        );
        form.quantity = 40;
        assert_eq!(form.options().unwrap().quantity, MAX_QUANTITY);
        form.replace = true;
        form.spend_limit = "₹25.50".into();
        let replace = form.options().unwrap().replace.unwrap();
        assert_eq!(replace.spend_limit, Decimal::new(2550, 2));
        assert_eq!(replace.wait_secs, 300);
        form.spend_limit = "a lot".into();
        assert!(form.options().is_none());
        form.spend_limit = "1.2.3".into();
        assert!(form.options().is_none());
    }

    #[test]
    fn an_amount_is_read_as_typed_or_refused_never_read_as_another() {
        assert_eq!(parse_amount("25"), Some(Decimal::new(25, 0)));
        assert_eq!(parse_amount(" ₹ 1 000.50 "), Some(Decimal::new(100_050, 2)));
        // Each of these once became another amount: 2550, 5, 13.
        assert_eq!(parse_amount("25,50"), None);
        assert_eq!(parse_amount("-5"), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(parse_amount(""), None);
    }
}
