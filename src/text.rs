//! Every sentence a person reads, in one place: one wording per situation, plurals and
//! durations built by the helpers below (the cancel lock is a setting, so "2 minutes" is never
//! written by hand). Screens and the app call these; the protocol and storage layers keep none.
//! This module uses no other of the app: it words the values it is given (amounts, names,
//! counts, seconds); `app::describe` picks the sentence for a domain value (an error, a state).

use std::fmt::Display;

/// "1 order" / "3 orders".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A length of time in words: "2 minutes", "90 seconds", "1 hour 5 minutes".
pub fn duration(secs: u64) -> String {
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let part =
        |n: u64, one: &str, many: &str| count(usize::try_from(n).unwrap_or(usize::MAX), one, many);
    match (hours, minutes, seconds) {
        (0, 0, s) => part(s, "second", "seconds"),
        (0, m, 0) => part(m, "minute", "minutes"),
        (0, m, s) if m < 2 => format!(
            "{} {}",
            part(m, "minute", "minutes"),
            part(s, "second", "seconds")
        ),
        (0, m, _) => part(m, "minute", "minutes"),
        (h, 0, _) => part(h, "hour", "hours"),
        (h, m, _) => format!(
            "{} {}",
            part(h, "hour", "hours"),
            part(m, "minute", "minutes")
        ),
    }
}

/// In place of the number, when InstaOTP sold one without saying which.
pub const NUMBER_ON_WEBSITE: &str =
    "Bought. InstaOTP did not send the number: see it on the InstaOTP website.";

/// What an order cost when nothing was charged yet: its list price, said as such.
pub fn list_price(amount: &str) -> String {
    format!("{amount} (list price)")
}

/// The status line while a "too many requests" pause lasts.
pub fn slowed_down(left: &str) -> String {
    format!("InstaOTP asked the app to slow down: waiting for InstaOTP, {left}")
}

pub const NOT_KNOWN_YET: &str = "InstaOTP does not know this order right now. The app asks again in a minute before taking it as closed; check it on the InstaOTP website if this stays.";
pub const KEY_ONLY_HERE: &str =
    "Only this computer buys with this key (no other computer, not the website)";
pub const KEY_ONLY_HERE_HINT: &str = "When ticked, the app may read your balance as proof that a purchase went through, and may take a number InstaOTP lists as yours by itself. Leave it off if anyone else uses the key: then you are always asked.";
/// Ctrl+Q with numbers waiting for their code.
pub fn quit_title(waiting: usize) -> String {
    format!(
        "Quit with {} waiting for a code?",
        count(waiting, "number", "numbers")
    )
}
pub const QUIT_BODY: &str = "They stay open at InstaOTP, but nothing shows their code until you start the app again (it follows them then).";
pub const QUIT_ANYWAY: &str = "Quit";
pub const STAY: &str = "Stay";
/// Under a new API address on another host: where the key would go.
pub fn api_url_elsewhere(host: &str) -> String {
    format!(
        "Your API key will be sent to {host}. Change this only if InstaOTP told you so in writing: anyone who asks you to change it on the phone may be after your money."
    )
}
pub const API_URL_KEY_AGAIN_LABEL: &str = "Type your API key again";
pub const API_URL_KEY_AGAIN: &str = "The address was not changed: to send your key to another place, type your API key again under the address.";
pub const UNFINISHED_TITLE: &str = "Left undone when the app was closed";
pub const UNFINISHED_NOTHING_MORE: &str =
    "Nothing more was bought or cancelled since. Go on, or leave it as it is.";
pub const UNFINISHED_GO_ON: &str = "Go on";
pub const UNFINISHED_GO_ON_HINT: &str = "Numbers that get no code are watched again; the numbers still to buy are shown in the usual confirmation first.";
pub const UNFINISHED_LEAVE: &str = "Leave it";

/// A run of purchases the last run did not finish.
pub fn unfinished_batch(
    service: &str,
    country: &str,
    server: &str,
    bought: u8,
    wanted: u8,
    left: u8,
    price: &str,
) -> String {
    format!(
        "Buying {wanted} {service} numbers ({country}, server {server}, {price} each): {bought} bought, {left} not asked for yet."
    )
}

/// A replace-if-no-code plan the last run did not finish.
pub fn unfinished_plan(service: &str, watched: usize, due: usize) -> String {
    let numbers = |n: usize| {
        if n == 1 {
            "1 number".to_owned()
        } else {
            format!("{n} numbers")
        }
    };
    match (watched, due) {
        (w, 0) => format!(
            "Replacing {service} numbers that get no code: {} still watched.",
            numbers(w)
        ),
        (0, d) => format!(
            "Replacing {service} numbers that get no code: {} cancelled and refunded, not replaced yet.",
            numbers(d)
        ),
        (w, d) => format!(
            "Replacing {service} numbers that get no code: {} still watched, {} cancelled and refunded, not replaced yet.",
            numbers(w),
            numbers(d)
        ),
    }
}

/// Beside a Cancel still locked: when it can be pressed (not when it happens by itself).
pub fn cancel_in(clock: &str) -> String {
    format!("You can cancel in {clock}")
}

pub const FINISH_AFTER_CODE: &str = "Finish works once the code arrives.";

/// `m:ss` for a countdown.
pub fn clock(ms: i64) -> String {
    let secs = ms.max(0).saturating_add(999) / 1000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// "5 s ago", "3 min ago", "2 h ago".
pub fn ago(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

/// "just now", "3 min ago": for "updated …" labels, which then change at most once a minute.
pub fn ago_coarse(secs: u64) -> String {
    if secs < 60 {
        "just now".to_owned()
    } else {
        ago(secs)
    }
}

// --- starting ----------------------------------------------------------------------------------

pub fn could_not_start(why: &str) -> String {
    format!("InstaOTP Desktop could not start.\n\n{why}")
}

/// No renderer could open the window. What each driver answered is technical: it goes to the log,
/// and the dialog says where the log is.
pub fn no_window(log_folder: &std::path::Path) -> String {
    format!(
        "The window could not be opened: no graphics driver worked. Update the graphics driver, or start the app on the computer itself rather than over remote desktop.\n\nWhat each driver answered is in the log, in {}.",
        log_folder.display()
    )
}

// --- signing in ---------------------------------------------------------------------------------

pub const PASTE_KEY_FIRST: &str = "Paste your API key first.";
/// The one sentence for a key InstaOTP refuses, wherever it shows (welcome, Settings, a reply).
pub const KEY_REFUSED: &str = "InstaOTP did not accept this key. Copy it again from your InstaOTP account page (Profile > API) and paste it as your key.";
pub const KEYCHAIN_LOCKED_ON_LOAD: &str = "The system keychain is not available or is locked, so a saved key cannot be read. Unlock it (log in again), or paste your key below to use it for this session only.";
pub const KEYCHAIN_LOCKED_ON_SAVE: &str = "The system keychain is not available or is locked, so the key cannot be saved. Unlock it (log in again), or use the key for this session only.";
pub const KEYCHAIN_FAILED: &str =
    "The system keychain could not store the key. You can use the key for this session only.";

pub const KEY_SAVED: &str = "Key checked and saved in the system keychain.";
pub const KEY_REMOVED: &str = "The key was removed from this computer.";
pub const OPENING_KEYCHAIN: &str = "Opening the system keychain…";
pub const WELCOME_TITLE: &str = "Welcome to InstaOTP Desktop";
pub const WELCOME_WHAT: &str = "Buy virtual numbers, receive SMS codes and manage your orders.";
pub const WELCOME_HOW: &str =
    "To start, paste the API key from your InstaOTP account (Profile > API).";
pub const WELCOME_DEMO: &str =
    "No account yet, or just looking? The demo shows the whole app with pretend numbers.";
pub const USE_FOR_SESSION: &str = "Use this key for this session only";
pub const KEY_IN_KEYCHAIN: &str = "Your key is saved in this computer's system keychain.";
pub const KEY_SESSION_ONLY: &str = "Your key is used for this session only; it is not saved.";
pub const KEY_DEMO: &str = "The demo uses a pretend key.";
pub const REMOVE_KEY_TITLE: &str = "Remove the API key?";
pub const REMOVE_KEY_BODY: &str = "The key is deleted from this computer's keychain. You will need to paste it again to use the app.";

// --- the demo -----------------------------------------------------------------------------------

pub const DEMO_BANNER: &str = "DEMO — nothing here is real, no money is spent";
pub const DEMO_STARTED: &str = "Demo started: nothing here is real and no money is spent.";

pub fn demo_failed(e: &dyn Display) -> String {
    format!("The demo could not start ({e}).")
}

// --- connection, balance, offers ----------------------------------------------------------------

pub const CONNECTED: &str = "Connected to InstaOTP";
pub const CONNECTED_DEMO: &str = "The demo: a pretend InstaOTP on this computer, no money is spent";
pub const NOT_CONNECTED: &str = "Not connected";
pub const WORKING: &str = "Working…";
pub const BALANCE_LOW_HINT: &str =
    "Your balance is below the warning level set in Settings. Top up on the InstaOTP website.";
pub const NO_OFFERS: &str = "InstaOTP has no offers right now. Refresh in a little while.";
pub const NO_MATCH: &str =
    "No offer matches. Clear the search or choose another country or server.";
pub const COLUMN_SERVICE: &str = "Service";
pub const COLUMN_CODE: &str = "Code";
pub const COLUMN_COUNTRY: &str = "Country";
pub const COLUMN_SERVER: &str = "Server";
pub const COLUMN_PROVIDER: &str = "Source";
pub const COLUMN_PRICE: &str = "Price";
pub const COLUMN_STOCK: &str = "Stock";
pub const COLUMN_DELIVERY: &str = "Delivery";

// Delivery record ------------------------------------------------------------------------------

/// A short time for a table cell: "40 s", "3 min", "2 h".
pub fn short_secs(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} s"),
        120..7200 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

/// An offer's delivery record in figures: of the numbers bought there that ended, how many got
/// a code and how soon (`app::describe` reads them from the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub orders: u32,
    pub got_code: u32,
    pub median_secs: Option<u64>,
    /// Enough numbers ended to say anything.
    pub enough: bool,
    /// The newest number is within the last 30 days.
    pub fresh: bool,
}

/// The Delivery cell: "11/12 · 40 s", "0/2"; "no record yet" when no number has ended.
pub fn delivery_cell(record: Option<Delivered>) -> String {
    // Every number that ended counts, a few as much as many: "0/2" says two got no code.
    match record.filter(|r| r.orders > 0) {
        None => NO_RECORD_YET.to_owned(),
        Some(r) => match r.median_secs {
            Some(secs) => format!("{}/{} · {}", r.got_code, r.orders, short_secs(secs)),
            None => format!("{}/{}", r.got_code, r.orders),
        },
    }
}

pub const BEST_VALUE: &str = "best value";
pub const BEST_VALUE_HINT: &str = "The lowest price per delivered code for this service and country (price ÷ share of numbers that got a code, last 30 days)";
pub const SHOW_BEST_VALUE_FIRST: &str = "Show best value first";
pub const DELIVERY_COLUMN_HINT: &str = "Numbers bought here in the last 30 days that got a code, of all that ended, and the usual time to the code. Greyed: the last order was more than 30 days ago.";
pub fn active_orders(n: usize) -> String {
    format!("Active orders ({n})")
}
/// The whole SMS, beside the code taken from it.
pub fn sms_text(sms: &str) -> String {
    format!("SMS: {sms}")
}
pub const COMPACT_ORDERS: &str = "One line each";
pub const COMPACT_ORDERS_HINT: &str =
    "Show each open number on one line, to see many at once. Untick for the full cards.";
pub fn expires_in(clock: &str) -> String {
    format!("Expires in {clock}")
}

pub const EXPORT_XLSX: &str = "Export history for Excel";
pub const EXPORT_CSV: &str = "Export history as CSV";
pub const EXPORT_HINT_BUTTON: &str = "Saves the orders listed above, as filtered";

/// The button offered with a refusal for stock or price: "Buy on server 2 for ₹11.00 instead
/// (got a code 9 of 10)".
pub fn buy_instead(server: &str, price: &str, record: Option<Delivered>) -> String {
    format!(
        "Buy on server {server} for {price} instead{}",
        record_note(record)
    )
}
/// " (got a code 9 of 10)", or nothing without a record.
fn record_note(record: Option<Delivered>) -> String {
    record
        .map(|r| format!(" (got a code {} of {})", r.got_code, r.orders))
        .unwrap_or_default()
}
/// The way on when another provider sells it for less per delivered code.
pub fn buy_instead_from(
    provider: &str,
    server: &str,
    price: &str,
    record: Option<Delivered>,
) -> String {
    format!(
        "Buy from {provider} on server {server} for {price} instead{}",
        record_note(record)
    )
}
pub const OTHER_SERVER: &str = "Other server…";
/// Try-the-next-best, going on.
pub fn trying_next_best(from: &str, to: &str, price: &str) -> String {
    format!("Server {from} had no numbers: trying server {to} ({price})…")
}
pub const FALLBACK_CHECKBOX: &str = "If this server has no numbers, try the next best";
pub const FALLBACK_UP_TO: &str = "up to";
pub fn fallback_hint(tries: u8) -> String {
    format!(
        "At most {tries} other servers are asked, one after another, each for one number at most this price. It stops at the first number bought or the first unclear answer."
    )
}
/// A sold-out row whose best way on is another provider's.
pub fn other_provider_hint(provider: &str, server: &str, price: &str) -> String {
    format!(
        "Sold out here. {provider} has it on server {server} for {price}: opens its confirmation."
    )
}
pub fn other_server_hint(server: &str, price: &str) -> String {
    format!("Sold out here. Server {server} has it for {price}: opens its confirmation.")
}
pub const MAX_PRICE_LABEL: &str = "Never pay more than";
pub fn service_ceiling_label(service: &str) -> String {
    format!("Never pay more than this for one {service} number:")
}
pub const NO_LIMIT: &str = "no limit";
pub const SERVICE_CEILING_HINT: &str = "This service's own limit, kept in Settings: offers above it are greyed and never bought. Empty: the limit in Settings applies.";
pub const MAX_PRICE_SUFFIX: &str = "for one number";
pub const MAX_PRICE_HINT: &str = "Offers above this price are marked and cannot be bought, by you or by the app (several numbers, replacements). Empty: no limit.";
pub fn above_ceiling(max: &str) -> String {
    format!("Above your limit of {max} for one number (Settings)")
}
pub fn ceiling_refused(max: &str) -> String {
    format!(
        "Not bought: the price is above your limit of {max} for one number. Change the limit in Settings if you mean it."
    )
}

pub const UPDATES_TITLE: &str = "New versions";
pub const UPDATES_NOT_BUILT_IN: &str = "This copy does not look for new versions by itself. Ask whoever installed it for the newest one.";
pub const AUTO_UPDATE_LABEL: &str = "Look for a new version by itself (at start, then once a day)";
pub const AUTO_UPDATE_HINT: &str =
    "Only the app's version and the kind of computer are sent, never your key or your orders.";
pub const CHECK_UPDATES: &str = "Check for updates";
pub const UP_TO_DATE: &str = "This is the newest version.";
pub const OPEN_DOWNLOAD_PAGE: &str = "Open download page";
pub fn update_available(version: &str) -> String {
    format!("Version {version} is available")
}
pub fn whats_new(notes: &str) -> String {
    format!("What's new: {notes}")
}
pub const UPDATE_UNREACHABLE: &str =
    "Could not look for a new version now; the app tries again later.";
pub const UPDATE_FEED_IGNORED: &str =
    "The list of new versions did not check out, so it was ignored.";
pub const UPDATE_INCOMPLETE: &str =
    "The new version did not finish downloading; the app goes on where it stopped later.";
pub const UPDATE_WRONG_FILE: &str =
    "The downloaded new version did not check out, so it was deleted and not installed.";
pub const UPDATE_NOT_SAVED: &str =
    "The new version could not be saved on this computer; the app tries again later.";
pub fn update_downloading(version: &str, percent: u64) -> String {
    format!("Downloading version {version}… {percent} %")
}
pub fn update_ready(version: &str) -> String {
    format!("Version {version} is ready to install")
}
pub const RESTART_TO_UPDATE: &str = "Restart to update";
pub const RESTART_TO_UPDATE_HINT: &str = "Closes the app, installs the new version and starts it again. Your orders and your key stay as they are.";
pub fn restart_with_orders_waiting(waiting: usize) -> String {
    format!(
        "{} still waiting for {}. The app closes for a moment to install the new version and follows {} again when it starts. Restart now?",
        count(waiting, "number is", "numbers are"),
        if waiting == 1 {
            "its code"
        } else {
            "their codes"
        },
        if waiting == 1 { "it" } else { "them" },
    )
}
pub const RESTART_NOW: &str = "Restart and update";
pub const NOT_NOW: &str = "Not now";
pub fn installer_not_started(e: &std::io::Error) -> String {
    format!("The new version could not be installed ({e}); this version keeps running.")
}
pub fn updated_to(version: &str, notes: &str) -> String {
    if notes.trim().is_empty() {
        format!("Updated to {version}.")
    } else {
        format!("Updated to {version} — what's new: {notes}")
    }
}
pub fn update_not_installed(version: &str, current: &str) -> String {
    format!(
        "The update to {version} was not installed; version {current} is still running. Use “Check for updates” in Settings to try again, or download it from the website."
    )
}

pub const NO_HISTORY_ROWS: &str = "No order in the history matches this choice.";

/// On a copy button for a moment after it was pressed.
pub const COPIED_ON_BUTTON: &str = "Copied ✓";
pub const SORT_HEADER_HINT: &str = "Sort by this column; click again to reverse";
pub const SORT_BY: &str = "Sort by";
pub const SORT_USUAL: &str = "Usual order";

/// The sort picker's shown choice: "Price ⏶" (lowest first) or "Price ⏷".
pub fn sorted_by(column: &str, ascending: bool) -> String {
    let arrow = if ascending { "⏶" } else { "⏷" };
    format!("{column} {arrow}")
}

pub const DELIVERY_HEADER_HINT: &str = "Delivery: how many numbers bought from this server in the last 30 days got a code (\"3/4\": 3 of 4), and how soon. Click to sort by it.";
pub const NO_RECORD_YET: &str = "no record yet";
pub const NO_RECORD_YET_HINT: &str =
    "No number bought here from this server in the last 30 days has ended yet.";

/// A favourite's price went up: "was 3.12".
pub fn price_was(last_paid: rust_decimal::Decimal) -> String {
    format!("was {last_paid}")
}

/// The Delivery cell in words (its tooltip): "11 of 12 numbers got a code, usually within 40
/// seconds".
pub fn delivery_words(r: &Delivered) -> String {
    delivered_words(r)
}

/// "11 of 12 numbers got a code, usually within 40 seconds"
fn delivered_words(r: &Delivered) -> String {
    let got = format!("{} of {} numbers got a code", r.got_code, r.orders);
    match r.median_secs {
        Some(secs) => format!("{got}, usually within {}", duration(secs)),
        None => got,
    }
}

/// The delivery part of an offer row's accessible description (empty when never bought).
pub fn delivery_spoken(record: Option<Delivered>, best_value: bool) -> String {
    let mut spoken = match record {
        None => String::new(),
        Some(r) if !r.enough => ", delivery: too few orders to tell".to_owned(),
        Some(r) if !r.fresh => format!(", delivery more than 30 days ago: {}", delivered_words(&r)),
        Some(r) => format!(", delivery in the last 30 days: {}", delivered_words(&r)),
    };
    if best_value {
        spoken.push_str(", best value");
    }
    spoken
}

/// The confirmation's sentence: "Last 30 days on server 3: 11 of 12 numbers got a code, usually
/// within 40 seconds." `None` when this app never bought the offer.
pub fn delivery_sentence(
    server: &str,
    record: Option<Delivered>,
    best_value: bool,
) -> Option<String> {
    let r = record?;
    let mut sentence = if !r.enough {
        format!(
            "Too few numbers were bought on server {server} in the last 30 days to tell how often a code comes."
        )
    } else if !r.fresh {
        format!(
            "More than 30 days ago on server {server}: {}.",
            delivered_words(&r)
        )
    } else {
        format!("Last 30 days on server {server}: {}.", delivered_words(&r))
    };
    if best_value {
        sentence.push_str(" The best value for this service and country.");
    }
    Some(sentence)
}

pub const DELIVERY_BY_SERVICE: &str = "Delivery by service";
pub const DELIVERY_TABLE_TITLES: [&str; 4] = ["Service", "Numbers", "Got a code", "Usually within"];
pub const NO_DELIVERY_IN_PERIOD: &str = "No number that ended in this period.";

/// A share as a person says it: "11 (92 %)".
pub fn got_code_share(got: u32, orders: u32) -> String {
    let percent = u64::from(got) * 100 / u64::from(orders.max(1));
    format!("{got} ({percent} %)")
}

// End of the delivery record's words ---------------------------------------------------------

pub const BUYING: &str = "Buying… wait for the answer before buying again.";
pub const LOADING_OFFERS: &str = "Loading offers…";

pub fn unreachable_since(ago_text: &str) -> String {
    format!(
        "⚠ InstaOTP cannot be reached (since {ago_text}). Check the internet connection; the app keeps trying."
    )
}

/// A background read (balance) that failed.
pub fn read_failed(what: &str, message: &str) -> String {
    format!("{what}: {message}")
}

pub fn offers_shown(shown: usize, all: usize) -> String {
    format!("{shown} of {all} offers")
}

// --- buying -------------------------------------------------------------------------------------

pub const BUY_TITLE: &str = "Buy this number?";

/// The purchase confirmation's title: how many.
pub fn buy_title(n: usize) -> String {
    if n <= 1 {
        BUY_TITLE.to_owned()
    } else {
        format!("Buy {n} numbers?")
    }
}

/// Many numbers at once: the second question.
pub fn buy_many_again(n: usize, total: &str) -> String {
    format!("You are buying {n} numbers for {total} in all. Buy all {n}?")
}

pub fn yes_buy_many(n: usize) -> String {
    format!("Yes, buy {n} numbers")
}

pub const BACK: &str = "Back";
pub const ONE_LESS: &str = "One number less";
pub const ONE_MORE: &str = "One number more";

/// Said before each purchase; the cancel lock is a setting.
pub fn buy_terms(cancel_lock_secs: u64) -> String {
    format!(
        "Money is taken when the number is given. If no SMS comes, you can cancel after {} for a refund.",
        duration(cancel_lock_secs)
    )
}

pub const FINISHING_PURCHASE: &str =
    "Finishing a purchase… The window closes as soon as InstaOTP answers.";
pub const STORE_LOADING: &str = "Your orders are still loading; try again in a moment.";
pub const PURCHASE_IN_FLIGHT: &str = "A purchase is already in progress. Wait for its result.";

pub fn bought(place: &str, phone: &str) -> String {
    if phone.is_empty() {
        return format!(
            "Bought {place} (InstaOTP did not send the number: see it on its website). The code will appear in Orders."
        );
    }
    format!(
        "Bought {place}: {}. The code will appear in Orders.",
        phone_grouped(phone)
    )
}

/// An order in a sentence: "WhatsApp (+91 86192 05141)", or the service alone while its number
/// is not known.
pub fn order_what(service: &str, phone: &str) -> String {
    if phone.is_empty() {
        service.to_owned()
    } else {
        format!("{service} ({})", phone_grouped(phone))
    }
}

pub fn bought_not_saved(e: &dyn Display) -> String {
    format!(
        "The order could not be saved on this computer ({e}). Keep the window open until it is done."
    )
}

pub fn purchase_not_sent(e: &dyn Display) -> String {
    format!(
        "Nothing was bought: the purchase could not be recorded on this computer first ({e}), so it was not sent. Check the disk and try again."
    )
}

/// Try-the-next-best asked every server it could, and none sold.
pub fn no_server_had_numbers(place: &str, servers: &[String]) -> String {
    format!(
        "Could not buy {place}: servers {} had no numbers at a price you allowed. Nothing was bought.",
        servers.join(", ")
    )
}

pub fn stopped_trying_servers(place: &str, servers: &[String]) -> String {
    format!(
        "Stopped as you asked: {place} was not bought. Servers {} had no numbers at a price you allowed.",
        servers.join(", ")
    )
}

pub fn purchase_failed(place: &str, message: &str) -> String {
    format!("Could not buy {place}. {message}")
}

// --- purchases not confirmed -------------------------------------------------------------------

pub const NOT_CONFIRMED_TITLE: &str = "Purchase not confirmed";

pub fn not_confirmed_what(
    service: &str,
    country: &str,
    server: &str,
    price: &str,
    when: &str,
) -> String {
    format!("{service}, {country}, server {server}, for {price}, asked for at {when}.")
}

pub const NOT_CONFIRMED_WHY: &str = "InstaOTP's answer did not arrive or could not be read, so this number may or may not have been bought. Do not buy it again until you know.";

/// What the balance did since a purchase was asked for, and what that proves (`down`: the drop,
/// as money).
pub fn balance_probably_bought(down: &str) -> String {
    format!(
        "Your balance went down by {down} after this purchase — it probably went through. Look for the number on the InstaOTP website and add it by its order id."
    )
}
pub const BALANCE_PROBABLY_NOT_BOUGHT: &str = "Your balance has not gone down since — it was probably not bought. Check on the InstaOTP website to be sure.";
pub fn balance_down_less_than_price(down: &str) -> String {
    format!(
        "Your balance went down by {down} since then, less than the price. Check on the InstaOTP website."
    )
}
pub fn balance_down_others_may_explain(down: &str) -> String {
    format!(
        "Your balance went down by {down} since then, but other purchases on this account (other desks, the website, or your other purchases here) may explain it. Check on the InstaOTP website which numbers are yours."
    )
}
pub const BALANCE_OTHERS_MAY_HIDE: &str = "Your balance has not gone down since, but refunds or other purchases on this account may hide it. Check on the InstaOTP website.";

pub const CANDIDATES_INTRO: &str = "InstaOTP lists open orders that may be this purchase. Other desks or the website may have bought them on the same account: choose one only if you know it is yours.";
pub const THIS_ONE_IS_MINE: &str = "This one is mine";
pub const THIS_ONE_IS_MINE_HINT: &str =
    "Follow this number here: its code, Cancel and Finish. Only if you bought it.";

/// One open order that may be a purchase not confirmed.
pub fn candidate(phone: &str, when: &str, cost: &str) -> String {
    let mut parts = vec![phone.to_owned()];
    if !when.is_empty() {
        parts.push(format!("bought {when}"));
    }
    if !cost.is_empty() {
        parts.push(cost.to_owned());
    }
    parts.join(" · ")
}

pub const BALANCE_SINCE_UNKNOWN: &str =
    "Check your balance and your orders on the InstaOTP website.";
pub const ADOPT_HINT: &str =
    "Paste the order id from the InstaOTP website (and the number, if you have it).";
pub const ADOPT_BAD_ID: &str =
    "That does not look like an order id. Copy the id of the order from the InstaOTP website.";
pub const ADOPT_UNKNOWN_ID: &str =
    "InstaOTP does not know this order id. Check it on the website and try again.";
pub const ADOPT_ALREADY_FOLLOWED: &str = "This order is already in your list.";

/// A purchase that was not confirmed, found among the account's open orders on InstaOTP.
pub fn found_in_open_orders(what: &str, phone: &str) -> String {
    format!(
        "Your purchase of {what} went through after all: InstaOTP lists {phone} among your open orders. It is followed like any other."
    )
}

pub fn adopted(phone: &str) -> String {
    if phone.is_empty() {
        "The order was found and is followed like any other.".to_owned()
    } else {
        format!("The order for {phone} was found and is followed like any other.")
    }
}

pub fn website_not_opened(e: &dyn Display, website: &str) -> String {
    format!("The browser could not be opened ({e}). Go to {website} yourself.")
}

// --- orders -------------------------------------------------------------------------------------

pub const NO_ACTIVE_ORDERS: &str = "No active orders. Buy a number in the Services tab.";
/// An order past its expected end, and what to do about it.
pub fn past_expected_end(has_code: bool) -> &'static str {
    if has_code {
        "Past its expected end. If you used the code, press Finish; otherwise InstaOTP closes it soon."
    } else {
        "Past its expected end: waiting for InstaOTP to close it. The money is refunded then."
    }
}

/// InstaOTP refused a cancel as too early though the usual lock was over: its own is longer.
pub fn cancel_lock_longer(what: &str, lock_secs: u64) -> String {
    format!(
        "InstaOTP does not allow cancelling {what} yet: its cancel lock is longer than usual here. Cancel unlocks again {} after purchase; nothing was charged or refunded.",
        duration(lock_secs)
    )
}

pub fn cancel_locked(cancel_lock_secs: u64) -> String {
    format!(
        "This order can be cancelled {} after purchase. The button unlocks when that time has passed.",
        duration(cancel_lock_secs)
    )
}

pub const NO_CANCEL_WITH_CODE: &str = "A code has arrived, so this number can no longer be cancelled or refunded. Press Finish once it is used.";

pub fn cancel_lock_hint(cancel_lock_secs: u64) -> String {
    format!(
        "InstaOTP allows a cancel {} after purchase.",
        duration(cancel_lock_secs)
    )
}

pub fn not_understood(raw: &str) -> String {
    format!("InstaOTP replied (not understood): {raw}")
}

pub fn expired_refunded(name: &str, phone: &str) -> String {
    format!("{name} ({phone}) expired without an SMS; the money was refunded.")
}

pub fn cancelled(what: &str) -> String {
    format!("{what} cancelled. The money goes back to your balance.")
}

pub fn finished(what: &str) -> String {
    format!("{what} finished.")
}

pub fn another_sms_asked(what: &str) -> String {
    format!("Another SMS was asked for {what}. Keep the previous code until the new one arrives.")
}

/// What a status change does to an order, as a verb: "Could not cancel …".
pub const VERB_CANCEL: &str = "cancel";
pub const VERB_FINISH: &str = "finish";
pub const VERB_ANOTHER_SMS: &str = "ask another SMS for";
pub const VERB_CONFIRM: &str = "confirm";

/// InstaOTP refused the change, or it never left this computer: nothing happened.
pub fn status_change_failed(verb: &str, what: &str, message: &str) -> String {
    format!("Could not {verb} {what}. {message}")
}

/// The request went out and its answer was lost: the change may have happened.
pub fn status_change_unclear(verb: &str, what: &str, message: &str) -> String {
    format!(
        "No clear answer to the request to {verb} {what}: it may have gone through. {message} \
         The order is checked again with InstaOTP and shows what happened; try again only if \
         it is still open."
    )
}

/// A cancel or finish answered "already cancelled": InstaOTP closed the order before.
pub fn already_cancelled(what: &str, refunded: bool) -> String {
    if refunded {
        format!("{what} was already cancelled. The money goes back to your balance.")
    } else {
        format!("{what} was already closed by InstaOTP after its code came (no refund).")
    }
}

/// A cancel or finish answered NO_ACTIVATION: InstaOTP no longer knows the order.
pub fn no_longer_known(what: &str) -> String {
    format!(
        "InstaOTP no longer knows the order of {what}: it is closed. Your balance shows whether \
         it was refunded."
    )
}

pub const CODE_COPIED_AUTOMATICALLY: &str = "A new code arrived and was copied.";

/// What was copied, said with its value and its service: "Copied 540802 (Telegram)."
pub fn copied_code(value: &str, of: &str) -> String {
    format!("Copied {value}{}.", of_service(of))
}
pub fn copied_number(value: &str, of: &str) -> String {
    format!("Copied {}{}.", phone_grouped(value), of_service(of))
}
pub fn copied_without_country_code(value: &str, of: &str) -> String {
    format!("Copied {value} without the country code{}.", of_service(of))
}
/// " (Telegram)", or nothing without a service.
fn of_service(of: &str) -> String {
    if of.is_empty() {
        String::new()
    } else {
        format!(" ({of})")
    }
}

/// A phone grouped as its country writes it ("+91 86192 05141", "+7 912 345-67-89",
/// "+1 212-555-0123", "+44 7911 123456"); any other as it came.
pub fn phone_grouped(phone: &str) -> String {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let plain = trimmed
        .trim_start_matches('+')
        .chars()
        .all(|c| c.is_ascii_digit());
    let part = |from: usize, to: usize| digits.get(from..to).unwrap_or_default().to_owned();
    match (digits.len(), plain) {
        (12, true) if digits.starts_with("91") => {
            format!("+91 {} {}", part(2, 7), part(7, 12))
        }
        (11, true) if digits.starts_with('7') => format!(
            "+7 {} {}-{}-{}",
            part(1, 4),
            part(4, 7),
            part(7, 9),
            part(9, 11)
        ),
        (11, true) if digits.starts_with('1') => {
            format!("+1 {}-{}-{}", part(1, 4), part(4, 7), part(7, 11))
        }
        (12, true) if digits.starts_with("44") => {
            format!("+44 {} {}", part(2, 6), part(6, 12))
        }
        _ => trimmed.to_owned(),
    }
}

pub fn code_notification(service: &str, code: &str, phone: &str) -> (String, String) {
    (
        format!("{service}: code {code}"),
        format!("SMS received on {phone}"),
    )
}

pub const TEST_NOTIFICATION_BUTTON: &str = "Send a test notification";

/// What the test notification says.
pub fn test_notification() -> (String, String) {
    (
        "InstaOTP Desktop: test".to_owned(),
        "Notifications work: one like this comes when a code arrives.".to_owned(),
    )
}

pub const TEST_NOTIFICATION_SENT: &str =
    "Test notification sent. If none appeared, check the notification settings of your computer.";

/// Desktop notifications cannot be shown on this computer: `why`, in words (the system's own
/// error, a D-Bus name say, goes to the log).
pub fn notifications_unavailable(why: &str) -> String {
    format!(
        "Notifications cannot be shown on this computer: {why}. When a code arrives, the app's taskbar button flashes instead."
    )
}
pub const NO_NOTIFICATION_SERVICE: &str = "no notification service answered";
pub const NO_KNOWN_NOTIFICATION_SERVICE: &str =
    "this system has no notification service the app knows";
pub fn notifications_turned_off(where_: &str) -> String {
    format!("notifications are turned off in the system settings ({where_})")
}

pub fn order_not_saved(e: &dyn Display) -> String {
    format!(
        "An order could not be saved on this computer ({e}). It is still shown; keep the window open."
    )
}

pub const ALREADY_RUNNING: &str =
    "InstaOTP Desktop is already open on this computer. Look for its window in the taskbar.";
pub const OPENED_AGAIN: &str = "InstaOTP Desktop was opened again: this is its window.";

pub const NOTICE_TITLE: &str = "Please read";
pub const NOTICE_DISMISS: &str = "I have read this";

pub const TASK_FAILED: &str = "Something went wrong inside the app and one action did not finish. Try it again; if it keeps happening, send the log file (Settings → Open log folder) to support.";
pub const PURCHASE_TASK_FAILED: &str = "Something went wrong inside the app during a purchase. The purchase is shown as not confirmed in Orders: check it there before buying again.";

pub fn orders_set_aside(kept_as: &std::path::Path) -> String {
    format!(
        "Your orders file was damaged and could not be read. It was kept as {} and a new one was started: check your open numbers on the InstaOTP website.",
        kept_as.display()
    )
}

pub fn orders_from_newer_version(n: usize) -> String {
    format!(
        "{} saved by a newer version of the app and cannot be shown here; {} left untouched. Install the newer version to see {}.",
        count(n, "order was", "orders were"),
        if n == 1 { "it is" } else { "they are" },
        if n == 1 { "it" } else { "them" }
    )
}

pub fn prices_as_of(time: &str) -> String {
    format!("prices as of {time}")
}

pub fn orders_not_opened(e: &dyn Display) -> String {
    format!("Your orders could not be opened ({e}). Buying is disabled until the app is restarted.")
}

/// The Orders tab's name: the codes ready to use (arrived, not finished) first.
pub fn orders_tab(codes_ready: usize, active: usize) -> String {
    match (codes_ready, active) {
        (0, 0) => "Orders".into(),
        (0, n) => format!("Orders ({n} active)"),
        (c, _) => format!("Orders ({})", count(c, "code ready", "codes ready")),
    }
}

/// The window's title, which the taskbar shows: the codes ready, when there are.
pub fn window_title(codes_ready: usize) -> String {
    match codes_ready {
        0 => "InstaOTP Desktop".into(),
        c => format!(
            "{} — InstaOTP Desktop",
            count(c, "code ready", "codes ready")
        ),
    }
}

/// Said wherever the person is when a code arrives while another tab is shown.
pub fn code_arrived_elsewhere(service: &str, code: &str) -> String {
    format!("Code {code} arrived for {service}. It is in Orders.")
}

pub const OTHER_ACCOUNT: &str = "This order was bought with another API key. Sign in with that key to follow, cancel or finish it.";
pub const OTHER_ACCOUNT_SHORT: &str = "Bought with another key — sign in with it to follow it.";
pub const LEAVE_OTHER_KEY: &str = "I no longer use this key";
pub const LEAVE_OTHER_KEY_HINT: &str = "Ends this order here without asking InstaOTP: the app cannot ask about it with this key. Its refund is not counted; check it on the InstaOTP website.";
pub const ENDED_OTHER_KEY: &str = "Bought with another key (or at another address): not followed here, so whether it was refunded is not known.";
pub const OTHER_ACCOUNT_ATTEMPT: &str =
    "Asked for with another key — sign in with it to add this purchase or close it.";

pub const CANCEL_TITLE: &str = "Cancel this order?";

pub fn cancel_refund(price: &str) -> String {
    format!("The price ({price}) comes back to your balance when no SMS was received.")
}

/// The state of an order in a few words (cards, history, the CSV export).
pub const STATE_WAITING: &str = "Waiting for SMS";
pub const STATE_CODE_RECEIVED: &str = "Code received";
pub const STATE_WAITING_RETRY: &str = "Waiting for another SMS";
pub const STATE_FINISHED: &str = "Finished";
pub const STATE_CANCELLED: &str = "Cancelled (refunded)";
pub const STATE_EXPIRED: &str = "Expired without a code (refunded)";
pub const STATE_GONE: &str = "Closed by InstaOTP";
pub const STATE_ENDED_REFUND_UNCONFIRMED: &str = "Ended — refund not confirmed";
pub const STATE_ENDED_WITH_CODE: &str = "Ended with a code";
pub const STATE_NOT_CONFIRMED: &str = "Not confirmed";
pub const STATE_NOT_BOUGHT: &str = "Not bought";
/// The history's word for a purchase the person said was not bought.
pub const STATE_NOT_BOUGHT_BY_YOU: &str = "Not bought (by you)";

// --- history ------------------------------------------------------------------------------------

/// The history's totals in plain words: what was paid for the numbers, what came back, and what
/// they cost in the end ("net"), then what is not confirmed either way.
pub fn history_totals(
    n: usize,
    paid: &str,
    refunded: &str,
    net: &str,
    not_confirmed: Option<&str>,
) -> String {
    let orders = count(n, "order", "orders");
    let line = format!("{orders} · Paid {paid} · Refunded {refunded} · Net {net}");
    match not_confirmed {
        Some(unsure) => format!("{line} · not confirmed {unsure}"),
        None => line,
    }
}

pub const PERIOD_ALL: &str = "All time";
pub const PERIOD_LAST_DAY: &str = "Last 24 hours";
pub const PERIOD_LAST_WEEK: &str = "Last 7 days";
pub const PERIOD_LAST_MONTH: &str = "Last 30 days";
pub const PERIOD_BETWEEN: &str = "Between dates";

pub const NOTHING_TO_DELETE: &str = "Nothing to delete";

pub fn nothing_bought_before(day: &str) -> String {
    format!("No order in the history was bought before {day}.")
}

pub fn delete_history_title(n: usize) -> String {
    format!("Delete {} from the history?", count(n, "order", "orders"))
}

pub fn delete_history_body(n: usize, day: &str) -> String {
    let what = if n == 1 {
        "The order bought before {day} is"
    } else {
        "The orders bought before {day} are"
    }
    .replace("{day}", day);
    format!(
        "{what} removed from this computer for good. Export the history first if you need a copy. Active orders are never deleted."
    )
}

/// The dialog's way out, in number with what it keeps.
pub fn keep_history(n: usize) -> &'static str {
    if n == 1 { "Keep it" } else { "Keep them" }
}

pub fn delete_history_button(n: usize) -> String {
    format!("Delete {}", count(n, "order", "orders"))
}

pub fn history_deleted(n: usize) -> String {
    format!(
        "{} deleted from the history.",
        count(n, "old order", "old orders")
    )
}

pub fn history_not_deleted(e: &dyn Display) -> String {
    format!("The old history could not be deleted ({e}).")
}

/// The title of the "Save as" dialog of an export.
pub const EXPORT_TITLE_CSV: &str = "Save the history as CSV";
pub const EXPORT_TITLE_XLSX: &str = "Save the history for Excel";
pub const EXPORT_HINT: &str =
    "The file opens in any spreadsheet. Change the folder or the name if you like.";

pub fn exported(n: usize, path: &std::path::Path) -> String {
    format!(
        "{} saved as {}",
        count(n, "order", "orders"),
        path.display()
    )
}

pub fn export_exists(path: &std::path::Path) -> String {
    format!(
        "{} already exists. Export again and choose another name.",
        path.display()
    )
}

pub fn export_failed(path: &std::path::Path, e: &dyn Display) -> String {
    format!(
        "The history could not be saved as {} ({e}). Choose another folder.",
        path.display()
    )
}

// --- messages and Activity ---------------------------------------------------------------------

/// The word before a message, by its kind.
pub const MESSAGE_INFO: &str = "Note";
pub const MESSAGE_SUCCESS: &str = "Done";
pub const MESSAGE_WARNING: &str = "Warning";
pub const MESSAGE_ERROR: &str = "Problem";

/// A message said more than once: "×3, last 14:05".
pub fn repeated(times: u32, last: &str) -> String {
    format!("×{times}, last {last}")
}

/// A line of the Activity list said several times in a row: "×3".
pub fn times(n: u32) -> String {
    format!("×{n}")
}

/// The button under the three newest messages: "2 more".
pub fn more_messages(n: usize) -> String {
    format!("{n} more")
}

pub const FEWER_MESSAGES: &str = "Show fewer";
pub const DISMISS_MESSAGE: &str = "Dismiss this message";
pub const DETAILS: &str = "Details";

pub fn raw_reply(raw: &str) -> String {
    format!("InstaOTP replied: {raw}")
}

pub const ACTIVITY: &str = "Activity";
pub const ACTIVITY_HINT: &str = "What the app said, newest first (the last 200 messages)";
pub const NO_ACTIVITY: &str = "Nothing yet.";

pub const NO_CODE_TO_COPY: &str = "No code has arrived yet, so there is nothing to copy.";

/// The "Keyboard" line in Settings.
pub const KEYBOARD_TITLE: &str = "Keyboard";
pub const KEYBOARD: &str = "Ctrl+F: search (Enter there: the first offer's confirmation) · \
    Ctrl+1, Ctrl+2, Ctrl+3: Services, Orders, Settings · Enter: confirm a dialog, Esc: close it · \
    Ctrl+Shift+C: copy the newest code · Ctrl+Q: quit (asked first while numbers wait for a code)";

// --- settings -----------------------------------------------------------------------------------

pub const API_URL_SAVED: &str = "API address saved. It is used from the next connection.";
pub const API_URL_FROM_COMMAND_LINE: &str =
    "The address given on the command line is used this time.";
pub const ADVANCED_HINT: &str = "Change these only if InstaOTP tells you so in writing, from its own website. Nobody from InstaOTP will ever ask for your key.";
pub const ADVANCED_TITLE: &str = "Advanced (only if InstaOTP tells you so in writing)";

// Every option of the Settings tab: its words, and the one-line tooltip it shows.
pub const SETTINGS_KEY_TITLE: &str = "Your API key";
pub const CHANGE_KEY: &str = "Change key";
pub const CHANGE_KEY_HINT: &str = "Use another InstaOTP key on this computer.";
pub const REMOVE_KEY: &str = "Remove key";
pub const REMOVE_KEY_HINT: &str =
    "Delete the key from this computer's keychain. Your orders and history stay.";
pub const ALERTS_TITLE: &str = "Orders and alerts";
pub const POLL_LABEL: &str = "Look for new codes every";
pub const POLL_HINT: &str = "How often the app asks InstaOTP about your numbers that wait for a code. Shorter finds codes sooner.";
pub const SECONDS_SUFFIX: &str = " seconds";
pub const NOTIFY_LABEL: &str = "Show a notification when a code arrives";
pub const NOTIFY_HINT: &str = "A message from the computer, seen even when this window is hidden.";
pub const SOUND_LABEL: &str = "Play a sound when a code arrives";
pub const SOUND_HINT: &str = "A short sound from this computer's speakers.";
pub const AUTO_COPY_LABEL: &str = "Copy each new code by itself";
pub const AUTO_COPY_HINT: &str =
    "The code goes to the clipboard as soon as it arrives, ready to paste.";
pub const AUTO_CANCEL_LABEL: &str = "Cancel a number that got no code, so the money comes back,";
pub const AUTO_CANCEL_MINUTES: &str = "minutes before it runs out";
pub const AUTO_CANCEL_HINT: &str = "InstaOTP gives the money back for a cancelled number that got no code. A number runs out 20 minutes after it was bought.";
pub const AUTO_FINISH_LABEL: &str = "Finish a number by itself";
pub const AUTO_FINISH_MINUTES: &str = "minutes after its code arrives";
pub const AUTO_FINISH_HINT: &str = "Finishing tells InstaOTP you used the code. A finished number cannot be cancelled, and the money is not given back.";
pub const LOW_BALANCE_LABEL: &str = "Warn me when the balance is below";
pub const LOW_BALANCE_HINT: &str = "The balance turns orange, with a warning, below this amount.";
pub const TEST_NOTIFICATION_HINT: &str =
    "Shows a pretend code notification, to check that this computer shows them.";
pub const LOOK_TITLE: &str = "Look";
pub const THEME_LABEL: &str = "Colours";
pub const THEME_HINT: &str = "Light or dark colours, or as the computer is set.";
pub const THEME_SYSTEM: &str = "Like the computer";
pub const THEME_LIGHT: &str = "Light";
pub const THEME_DARK: &str = "Dark";
pub const TEXT_SIZE_LABEL: &str = "Text size";
pub const TEXT_SIZE_HINT: &str = "Makes all text and buttons bigger or smaller.";
pub const API_ADDRESS_LABEL: &str = "InstaOTP's address";
pub const API_ADDRESS_HINT: &str = "Where the app sends your key and your orders.";
pub const SAVE_ADDRESS: &str = "Save address";
pub const RESET_ADDRESS: &str = "Back to InstaOTP's usual address";
pub const ENCODING_LABEL: &str = "How the app tells InstaOTP to cancel or finish";
pub const ENCODING_HINT: &str = "Leave it on \"In words\" unless cancel or finish stops working.";
pub const ENCODING_WORDS: &str = "In words (usual)";
pub const ENCODING_NUMBERS: &str = "As numbers (older InstaOTP servers)";
pub const HELP_TITLE: &str = "Help";
pub const OPEN_LOG_FOLDER: &str = "Open log folder";
pub const OPEN_LOG_FOLDER_HINT: &str =
    "The app's notes, for when you ask for help. They never hold your key.";

/// The text size as a person reads it: "100 %".
pub fn percent(scale: f64) -> String {
    format!("{:.0} %", scale * 100.0)
}
pub const AMOUNT_HINT: &str = "Enter an amount such as 50 or 12.50";

pub fn settings_unreadable_kept(kept_as: &std::path::Path) -> String {
    format!(
        "Your saved settings could not be read, so the defaults are used. The old file was kept as {}.",
        kept_as.display()
    )
}
pub const SETTINGS_UNREADABLE: &str =
    "Your saved settings could not be read, so the defaults are used.";
pub fn settings_not_opened(kind: &dyn Display) -> String {
    format!("Your saved settings could not be opened ({kind}), so the defaults are used.")
}

pub fn settings_not_saved(e: &dyn Display) -> String {
    format!("Settings could not be saved ({e}).")
}

pub fn log_folder_not_opened(e: &dyn Display, dir: &std::path::Path) -> String {
    format!(
        "The folder could not be opened ({e}). The logs are in {}",
        dir.display()
    )
}

pub fn data_folder(dir: &std::path::Path) -> String {
    format!("Data folder: {}", dir.display())
}

// --- InstaOTP's answers -------------------------------------------------------------------------

/// A failed call in staff words: what happened and what to do next (`app::describe::api_error`
/// picks one by the error).
pub fn server_problem(status: u16) -> String {
    format!("InstaOTP's server has a problem (error {status}). Try again in a few minutes.")
}
pub fn http_error(status: u16) -> String {
    format!("InstaOTP answered with error {status}. Check the API address in Settings.")
}
pub const REPLY_NOT_UNDERSTOOD: &str =
    "InstaOTP sent a reply this app does not understand. Try again later.";
pub const UNKNOWN_WORD_BRIEF: &str = "InstaOTP answered with a word this app does not know. Try again later, or tell support what it said.";
/// A sentence about a reply, then what the reply said (masked, shown raw).
pub fn it_said(sentence: &str, excerpt: &str) -> String {
    format!("{sentence} It said: {excerpt}")
}
pub fn the_reply_was(sentence: &str, reply: &str) -> String {
    format!("{sentence} The reply was: {reply}")
}
/// InstaOTP's refusal in words, with its own details where it sent some.
pub fn provider_says(sentence: &str, details: &str) -> String {
    format!("{sentence} (InstaOTP says: {details})")
}
pub fn rate_limited_for(secs: u64) -> String {
    format!(
        "InstaOTP asked the app to slow down (too many requests). The app waits {secs} seconds before asking again."
    )
}
pub fn paused_not_sent(left_ms: i64) -> String {
    format!(
        "Not sent: InstaOTP asked the app to slow down. Nothing was bought or changed; try again in {}.",
        clock(left_ms)
    )
}
pub const RATE_LIMITED: &str = "InstaOTP asked the app to slow down (too many requests). Wait a minute; the app asks again on its own.";
pub fn redirected_to(host: &str) -> String {
    format!(
        "InstaOTP's address answered with a redirect to {host}. Check the API address in Settings."
    )
}
pub const EMPTY_REPLY: &str = "InstaOTP sent an empty reply. Try again in a moment.";
pub const REPLY_TOO_LARGE: &str =
    "InstaOTP sent a reply far larger than expected, so the app ignored it. Try again later.";
pub const TIMED_OUT: &str =
    "InstaOTP did not answer in time. Check your internet connection and try again.";
pub const NOT_CONNECTED_TO_PROVIDER: &str = "Could not connect to InstaOTP. Check your internet connection; if it works, InstaOTP may be down, so try again later.";
pub const SERVER_NOT_FOUND: &str = "InstaOTP's server could not be found. Check your internet connection and the API address in Settings.";
pub const NOT_SECURE: &str = "A secure connection to InstaOTP could not be made. Check the computer's date and time, or ask your IT support.";
pub const CONNECTION_BROKE: &str = "The connection to InstaOTP broke before the answer arrived. Check your internet connection and try again.";
pub const ADDRESS_INVALID: &str = "The API address in Settings is not a valid web address. Correct it or reset it to the default.";
pub const ADDRESS_NOT_HTTPS: &str = "The API address must start with https:// (plain http is only allowed for this computer). Correct it in Settings.";
pub const ADDRESS_WITH_EXTRAS: &str = "The API address must end before any \"?\" and hold no name or password: never paste your key into it. Copy only the address (such as https://instaotp.in/api/v1/handler_api.php); the key goes in the API key field.";

// InstaOTP's refusals, word by word (the protocol's error words).
pub const REFUSED_BAD_PARAMS: &str =
    "InstaOTP said the request was incomplete. Refresh the offers and try again.";
pub const REFUSED_BAD_ACTION: &str = "InstaOTP did not recognise the request. The app may be out of date, or the API address in Settings may be wrong.";
pub const REFUSED_BAD_SERVICE: &str =
    "This offer is no longer available. Refresh the offers and choose again.";
pub const REFUSED_BAD_STATUS: &str =
    "InstaOTP refused this change for the order in its current state. Refresh and check the order.";
pub const REFUSED_INVALID_STATUS: &str = "InstaOTP did not accept the way the app asks to cancel or finish. Try the other \"status encoding\" in Settings.";
pub const REFUSED_NO_SERVICES: &str = "InstaOTP has no offers for this choice right now. Try another server or country, or refresh later.";
pub const REFUSED_NO_ACTIVATION: &str =
    "InstaOTP does not know this order any more. It may have been closed on the website.";
pub const REFUSED_ALREADY_CANCEL: &str = "This order was already cancelled.";
pub const REFUSED_EARLY_CANCEL: &str = "InstaOTP allows a cancel only once the cancel lock after purchase is over. Wait a little and try again.";
pub const REFUSED_ERROR_SQL: &str =
    "InstaOTP's database had a problem. Wait a minute and try again.";
pub const REFUSED_NO_NUMBERS: &str =
    "This offer is sold out. Choose another server or country, or try again later.";
pub const REFUSED_NO_BALANCE: &str =
    "Your balance is too low for this purchase. Top up your InstaOTP account, then try again.";
pub const REFUSED_BANNED: &str = "InstaOTP has blocked this account. Contact InstaOTP support.";
pub fn refused_banned_until(until: &str) -> String {
    format!("InstaOTP has blocked this account until {until}. Contact InstaOTP support.")
}
pub fn refused_wrong_max_price(min: &str) -> String {
    format!("The price changed; the lowest price now is {min}. Refresh the offers and try again.")
}
pub const REFUSED_TRY_AGAIN: &str = "InstaOTP asked to try again in a moment.";
pub const REFUSED_RATE_LIMIT: &str =
    "Too many requests in a short time. The app will slow down; try again in a minute.";
pub fn refused_unknown_word(word: &str) -> String {
    format!(
        "InstaOTP answered with \"{word}\", which this app does not know. Try again later, or tell support what it said."
    )
}

/// What amounts are labelled with: the currency InstaOTP sends with the balance, else the one
/// in Settings (₹ by default: InstaOTP accounts are in Indian rupees). Never a bare number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency(String);

/// The currency shown when InstaOTP sends none and none is set: InstaOTP accounts are in Indian
/// rupees.
pub const DEFAULT_CURRENCY: &str = "₹";
/// A longer "currency" from a server or a file is not believed (it would be repeated on every
/// price).
pub const CURRENCY_MAX_CHARS: usize = 8;
pub const CURRENCY_SETTING: &str = "Currency of prices";
pub const CURRENCY_SETTING_HINT: &str = "Shown with prices and the balance when InstaOTP does not say which currency it uses. ₹ for Indian rupees.";

impl Currency {
    pub fn new(provider: Option<&str>, setting: &str) -> Self {
        let usable = |c: &&str| !c.is_empty() && c.chars().count() <= CURRENCY_MAX_CHARS;
        let chosen = provider
            .map(str::trim)
            .filter(usable)
            .or(Some(setting.trim()).filter(usable))
            .unwrap_or(DEFAULT_CURRENCY);
        Self(chosen.to_owned())
    }
}

impl Currency {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Currency {
    fn default() -> Self {
        Self(DEFAULT_CURRENCY.to_owned())
    }
}

/// An amount with its currency: a sign before it (`₹12.50`), a code after it (`12.50 INR`). At
/// least two decimals and never fewer than were sent: totals are not rounded.
pub fn money(amount: rust_decimal::Decimal, currency: &Currency) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    if currency.0.chars().any(char::is_alphabetic) {
        format!("{amount} {}", currency.0)
    } else {
        format!("{}{amount}", currency.0)
    }
}

pub fn balance_line(balance: &str) -> String {
    format!("Balance: {balance}")
}

pub fn buy_for(price: &str) -> String {
    format!("Buy for {price}")
}

pub fn not_enough(balance_after: &str) -> String {
    format!("{balance_after} (not enough)")
}

/// An amount as sent when it is outside any real range (a balance, a price), with a warning.
pub fn unusual_amount(sent: &dyn Display) -> String {
    format!("{sent} ({UNUSUAL_AMOUNT})")
}

pub const UNUSUAL_AMOUNT: &str = "InstaOTP sent an unusual amount";
pub const UNUSUAL_AMOUNT_REFUSED: &str = "InstaOTP sent an unusual amount. The purchase was not sent; refresh the balance and the offers, or check on the InstaOTP website.";

// Several numbers, replacements -------------------------------------------------------------------

pub const QUANTITY: &str = "How many numbers";
pub const TOTAL: &str = "Total";

pub fn you_will_get(n: usize) -> String {
    format!("You will get {}.", count(n, "number", "numbers"))
}

pub fn fewer_listed(listed: u64) -> String {
    format!(
        "Only {listed} listed as available: buying stops at the first refusal and says how many were bought."
    )
}

/// The confirmation's button for several numbers (it still starts "Buy for").
pub fn buy_many_for(total: &str, n: usize) -> String {
    format!("Buy for {total} ({})", count(n, "number", "numbers"))
}

pub fn buying_progress(sent: usize, wanted: usize) -> String {
    format!("Buying {sent} of {wanted}…")
}

pub fn stopping_after(sent: usize, wanted: usize) -> String {
    format!("Stopping after number {sent} of {wanted}…")
}

pub const STOP_BUYING: &str = "Stop buying";
pub const STOP_BUYING_HINT: &str = "No more numbers are asked for after the one being bought now.";

pub fn batch_done(n: usize, place: &str) -> String {
    format!("Bought {n} of {n} numbers: {place}. The codes will appear in Orders.")
}

pub fn batch_stopped_by_you(bought: usize, wanted: usize, place: &str) -> String {
    format!("Stopped as you asked: bought {bought} of {wanted} numbers ({place}).")
}

pub fn batch_refused(bought: usize, wanted: usize, place: &str, why: &str) -> String {
    format!(
        "Bought {bought} of {wanted} numbers ({place}). Stopped because InstaOTP refused the next one: {why}"
    )
}

pub fn batch_unclear(bought: usize, wanted: usize, place: &str) -> String {
    format!(
        "Bought {bought} of {wanted} numbers ({place}). Stopped: the answer to the next purchase did not arrive. See the card at the top of Orders before buying again."
    )
}

pub fn batch_not_sent(bought: usize, wanted: usize, place: &str) -> String {
    format!(
        "Bought {bought} of {wanted} numbers ({place}). Stopped: the next purchase could not be recorded on this computer, so it was not sent."
    )
}

pub const REPLACE_CHECKBOX: &str = "Replace a number that gets no code";
pub const REPLACE_WAIT: &str = "If no code comes within";
pub const REPLACE_WAIT_THEN: &str = "cancel it and buy again on the next best server";
pub const REPLACE_AT_MOST: &str = "At most";
pub const BALANCE_AFTER_AT_WORST: &str = "Balance after (at worst)";
pub const SPEND_AT_MOST: &str = "Spend at most";

pub fn replacements_word(n: u8) -> &'static str {
    if n == 1 {
        "replacement in all (for all the numbers of this purchase)"
    } else {
        "replacements in all (for all the numbers of this purchase)"
    }
}

/// Replace-if-no-code in one sentence, as it will act.
pub fn replace_sentence(wait_secs: u64, server: &str, up_to: &str) -> String {
    format!(
        "If a number gets no code in {}, it is cancelled (the money comes back) and one more is bought on server {server}, for up to {up_to} in all.",
        duration(wait_secs)
    )
}

pub fn spend_limit_words(limit: &str) -> String {
    format!("({limit}) on replacements")
}

pub const NO_NEXT_SERVER: &str = "No other server has this service and country in stock now: a number without a code would not be replaced.";

pub fn next_server(server: &str, price: &str) -> String {
    format!(
        "The next server would be server {server} at {price}. A number is cancelled only after the cancel lock, only if no SMS came, and replaced only once the refund is confirmed."
    )
}

pub fn replace_plan_line(
    wait_secs: u64,
    used: usize,
    max: usize,
    spent: &str,
    limit: &str,
) -> String {
    format!(
        "Numbers without a code after {} are replaced: {used} of {} used, {spent} of {limit} spent.",
        duration(wait_secs),
        count(max, "replacement", "replacements")
    )
}

pub const STOP_REPLACING: &str = "Stop replacing";
pub const REPLACING_NOW: &str = "No code came: cancelling it to buy a replacement…";

/// An order as staff know it: its number, grouped; the order id only while the number is not
/// known.
pub fn order_called(order_id: &str, phone: Option<&str>) -> String {
    match phone.filter(|p| !p.is_empty()) {
        Some(phone) => phone_grouped(phone),
        None => format!("order {order_id}"),
    }
}

/// On a replacement's card: the number it replaces (`old`, from [`order_called`]).
pub fn replaces_order(old: &str, no_code_after_secs: Option<u64>) -> String {
    match no_code_after_secs {
        Some(secs) => format!(
            "Replaces {old}, which got no code within {}",
            duration(secs)
        ),
        None => format!("Replaces {old}"),
    }
}

pub fn will_be_replaced(wait_secs: u64) -> String {
    format!(
        "If no code comes within {}, it is cancelled and replaced.",
        duration(wait_secs)
    )
}

/// A number with no code that is not replaced, and `why` (one of the `NOT_REPLACED_*`).
pub fn not_replaced(phone: &str, why: &str) -> String {
    format!("{phone} has no code yet but is not replaced: {why}. It stays as it is.")
}
pub const NOT_REPLACED_ALL_USED: &str = "all the replacements you allowed are used";
pub const NOT_REPLACED_NO_SERVER: &str = "no other server has this service in stock";
pub const NOT_REPLACED_OVER_LIMIT: &str = "the next server costs more than the spend limit left";

pub fn code_came_while_cancelling(phone: &str) -> String {
    format!(
        "An SMS came for {phone} while it was being cancelled, so it was not replaced. See it in Orders."
    )
}

pub fn cancel_not_confirmed_no_replacement(phone: &str) -> String {
    format!("InstaOTP did not confirm the cancel of {phone}, so no other number was bought for it.")
}

pub fn replaced(old: &str, new: &str) -> String {
    format!("{old} got no code: cancelled and refunded, replaced by {new}.")
}

pub fn replacement_refused(old: &str, why: &str) -> String {
    format!(
        "{old} got no code and was cancelled and refunded, but no replacement was bought: {why}"
    )
}

/// The history's status of an order (`state`), with why it was replaced or what it replaces;
/// the other orders are named by their numbers ([`order_called`]).
pub fn replaced_after(state: &str, no_code_secs: u64, by: &str) -> String {
    format!(
        "{state}: no code within {}, replaced by {by}",
        duration(no_code_secs)
    )
}
pub fn no_code_within(state: &str, secs: u64) -> String {
    format!("{state}: no code within {}", duration(secs))
}
pub fn replaces(state: &str, old: &str) -> String {
    format!("{state} (replaces {old})")
}

// --- Other providers of the same protocol (Settings → Providers) ---

/// The provider every new user has, first in every list.
pub const FIRST_PROVIDER: &str = "InstaOTP";
/// A sentence about another provider: its name where the sentence names InstaOTP, else in
/// front ("Backup: Bought WhatsApp.").
pub fn from_provider(name: &str, sentence: &str) -> String {
    if sentence.contains(FIRST_PROVIDER) {
        sentence.replace(FIRST_PROVIDER, name)
    } else {
        format!("{name}: {sentence}")
    }
}
pub const PROVIDERS_HEADING: &str = "Providers";
pub const PROVIDERS_INTRO: &str = "InstaOTP is where the app buys. If you also have an account with another provider that works the same way, add it here: its offers show beside InstaOTP's, and its numbers in Orders.";
pub const ADD_PROVIDER: &str = "Add a provider of the same protocol…";
pub const PROVIDER_NAME: &str = "Name";
pub const PROVIDER_NAME_HINT: &str = "What you call it, for example \"Backup account\"";
pub const PROVIDER_ADDRESS: &str = "API address";
pub const PROVIDER_ADDRESS_HINT: &str =
    "The address its instructions give for the API (it starts with https://)";
pub const PROVIDER_KEY: &str = "API key";
pub const CHECK_AND_ADD: &str = "Check the key and add";
pub const CHECKING_PROVIDER: &str = "Checking the key with the provider…";
pub const REMOVE_PROVIDER: &str = "Remove";
pub const PROVIDER_NAME_FIRST: &str = "Give the provider a name first.";
pub const PROVIDER_NAME_TOO_LONG: &str = "That name is too long: use at most 40 letters.";
pub const PROVIDER_NAME_TAKEN: &str =
    "A provider of that name is already in the list: choose another name.";
pub const PROVIDERS_FULL: &str = "The app works with at most 4 other providers: remove one first.";
pub const PROVIDER_NO_KEY: &str =
    "Its key is not in the keychain any more: remove it and add it again.";
pub const PROVIDER_KEYCHAIN_LOCKED: &str =
    "The keychain did not give its key: unlock the keychain and start the app again.";
pub const PROVIDER_NOT_SIGNED_IN: &str =
    "That provider is not signed in: see Settings → Providers.";
pub const PROVIDER_SIGNING_IN: &str = "Signing in…";
pub const PROVIDER_TRY_AGAIN: &str =
    "The keychain is still busy with that provider: try again in a moment.";
pub const PROVIDER_BUYING: &str =
    "A purchase is on its way: remove the provider once it has ended.";
/// A provider whose purchases are not confirmed is not removed: they stay on screen.
pub fn provider_not_confirmed_first(name: &str, n: usize) -> String {
    format!(
        "{name} has {} not confirmed: settle {} in Orders first (add it by its order id, or say it was not bought).",
        count(n, "purchase", "purchases"),
        if n == 1 { "it" } else { "them" }
    )
}
pub const PROVIDER_COLUMN: &str = "Provider";
pub const PROVIDER_FIRST_STATE: &str = "Your account, set above";
pub const CANCEL_ADDING: &str = "Cancel";
/// A provider's state in Settings → Providers: signed in, with its balance.
pub fn provider_balance(balance: &str) -> String {
    format!("Signed in · balance {balance}")
}
pub const ALL_PROVIDERS: &str = "All providers";
/// The heading of another provider's open numbers in Orders.
pub fn provider_orders(name: &str, open: usize) -> String {
    format!("{name}: {}", count(open, "open number", "open numbers"))
}
/// A row's button named with whose offer it is ("Buy WhatsApp India server 2 from Backup").
pub fn from_seller(button: &str, seller: &str) -> String {
    format!("{button} from {seller}")
}
/// Reads another provider's offers again.
pub fn retry_provider(name: &str) -> String {
    format!("Retry {name}")
}
/// A provider was added and its key kept in the keychain.
pub fn provider_added(name: &str) -> String {
    format!("{name} was added: its offers show in Services.")
}
/// A provider was removed, with this many numbers still waiting for their code.
pub fn provider_removed(name: &str, waiting: usize) -> String {
    if waiting == 0 {
        format!("{name} was removed and its key taken off this computer.")
    } else {
        format!(
            "{name} was removed. Its {} waiting for a code stay open there and are kept on this computer: they show again if you add {name} back with the same key.",
            count(waiting, "number", "numbers")
        )
    }
}
pub fn provider_key_not_removed(name: &str, why: &str) -> String {
    format!("{name} was removed, but its key could not be taken out of the keychain. {why}")
}
pub fn remove_provider_title(name: &str) -> String {
    format!("Remove {name}?")
}
/// The confirmation's body: what happens to its key and its numbers.
pub fn remove_provider_body(name: &str, waiting: usize) -> String {
    if waiting == 0 {
        format!(
            "Its key is taken out of the keychain and its offers leave Services. Your money stays with {name}."
        )
    } else {
        let (wait, they, stay, them, their) = if waiting == 1 {
            ("waits", "It", "stays", "it", "its")
        } else {
            ("wait", "They", "stay", "them", "their")
        };
        format!(
            "{} of {name} still {wait} for a code. {they} {stay} open at {name}, but this app stops following {them}: {their} code will not show here. {they} come{} back if you add {name} again with the same key.",
            count(waiting, "number", "numbers"),
            if waiting == 1 { "s" } else { "" }
        )
    }
}
pub fn remove_provider_button(name: &str) -> String {
    format!("Remove {name}")
}
pub const KEEP_PROVIDER: &str = "Keep it";
/// Why a provider's offers are greyed.
pub fn provider_down(name: &str) -> String {
    format!("{name} cannot be reached: its offers cannot be bought now.")
}
pub fn provider_no_money(name: &str) -> String {
    format!("{name}: your balance there is too low for these offers.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_carry_a_currency_the_providers_first() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap_or_default();
        let rupees = Currency::new(None, "₹");
        assert_eq!(money(d("12.5"), &rupees), "₹12.50");
        assert_eq!(money(d("0.125"), &rupees), "₹0.125");
        assert_eq!(
            money(d("25"), &Currency::new(Some("INR"), "₹")),
            "25.00 INR"
        );
        assert_eq!(money(d("1"), &Currency::new(Some(" "), "$")), "$1.00");
        assert_eq!(money(d("1"), &Currency::new(None, "")), "₹1.00");
        let long = "X".repeat(40);
        assert_eq!(money(d("1"), &Currency::new(Some(&long), "₹")), "₹1.00");
    }

    #[test]
    fn plurals_and_durations() {
        assert_eq!(count(1, "order", "orders"), "1 order");
        assert_eq!(count(0, "order", "orders"), "0 orders");
        assert_eq!(duration(120), "2 minutes");
        assert_eq!(duration(60), "1 minute");
        assert_eq!(duration(90), "1 minute 30 seconds");
        assert_eq!(duration(45), "45 seconds");
        assert_eq!(duration(3600 + 300), "1 hour 5 minutes");
        assert!(buy_terms(300).contains("after 5 minutes"));
        assert_eq!(orders_tab(1, 3), "Orders (1 code ready)");
        assert_eq!(orders_tab(2, 3), "Orders (2 codes ready)");
        assert_eq!(orders_tab(0, 3), "Orders (3 active)");
        assert_eq!(window_title(0), "InstaOTP Desktop");
        assert_eq!(window_title(2), "2 codes ready — InstaOTP Desktop");
    }

    /// Every row: a phone as InstaOTP sends it → as the card shows it.
    #[test]
    fn phones_are_grouped_as_their_country_writes_them() {
        let rows = [
            ("+918619205141", "+91 86192 05141"),
            ("918619205141", "+91 86192 05141"),
            ("+79123456789", "+7 912 345-67-89"),
            ("+12125550123", "+1 212-555-0123"),
            ("+447911123456", "+44 7911 123456"),
            ("+6281234567890", "+6281234567890"),
            ("+91 86192 05141", "+91 86192 05141"),
            ("", ""),
        ];
        for (sent, shown) in rows {
            assert_eq!(phone_grouped(sent), shown, "{sent:?}");
        }
        assert_eq!(
            copied_code("540802", "Telegram"),
            "Copied 540802 (Telegram)."
        );
        assert_eq!(
            copied_number("+918619205141", "WhatsApp"),
            "Copied +91 86192 05141 (WhatsApp)."
        );
        assert_eq!(copied_code("540802", ""), "Copied 540802.");
    }

    #[test]
    fn another_providers_sentences_carry_its_name() {
        assert_eq!(
            from_provider("Backup", "InstaOTP did not accept this key."),
            "Backup did not accept this key."
        );
        assert_eq!(
            from_provider("Backup", "Bought WhatsApp."),
            "Backup: Bought WhatsApp."
        );
        assert_eq!(
            remove_provider_body("Backup", 1),
            "1 number of Backup still waits for a code. It stays open at Backup, but this app stops following it: its code will not show here. It comes back if you add Backup again with the same key."
        );
        assert!(remove_provider_body("Backup", 0).starts_with("Its key is taken out"));
    }

    #[test]
    fn clocks_and_ages() {
        assert_eq!(clock(61_000), "1:01");
        assert_eq!(clock(-5), "0:00");
        assert_eq!(clock(i64::MAX), clock(i64::MAX));
        assert_eq!(ago(5), "5 s ago");
        assert_eq!(ago(7200), "2 h ago");
        assert_eq!(ago_coarse(5), "just now");
    }
}
