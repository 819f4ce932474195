//! What the screens ask for. A screen edits its own view state directly; anything with an
//! effect (I/O, money, another screen's state) comes back as a [`Command`], run after the frame.

use crate::api::{ApiKey, Offer};
use crate::offers::Column;
use crate::orders::{Millis, Order, OrderId};

use super::Tab;

#[derive(Debug, Clone)]
pub enum Command {
    /// The person has read the notice card with this index.
    DismissNotice(usize),
    /// Check the pasted key with InstaOTP, then save it in the keychain.
    CheckKey(ApiKey),
    UseKeyForSession,
    StartDemo,
    LeaveDemo,
    RemoveKey,
    RemoveKeyConfirmed,
    RefreshBalance,
    RefreshOffers,
    AskBuy(Offer),
    /// "Buy again": the offer the order was bought from, as the offer list has it now.
    AskBuyAgain(Box<Order>),
    /// Buys the offer: how many, and whether to replace numbers that get no code.
    Buy(Offer, super::batch_buy::BuyOptions),
    /// Stop buying several numbers before the next request.
    StopBuying,
    /// Stop the replacements of this plan.
    StopReplacing(u64),
    AskCancel(OrderId),
    Cancel(OrderId),
    Finish(OrderId),
    AnotherSms(OrderId),
    CloseDialog,
    Copy {
        text: String,
        what: Copied,
        /// The service of the order it is from ("Telegram"), said with it.
        of: String,
    },
    /// Ctrl+Shift+C: the code of the order whose code came last.
    CopyNewestCode,
    SelectTab(Tab),
    ToggleFavourite(String),
    /// One service's own price ceiling (`None`: the overall one applies).
    SetServiceCeiling(String, Option<rust_decimal::Decimal>),
    /// Open numbers on one line each, or as cards.
    SetCompactOrders(bool),
    /// Sorts the offers by a column (again: reversed), or back to the usual order (`None`).
    SortBy(Option<Column>),
    /// A new API address, with the key typed again (needed when the host changes).
    ApplyApiUrl {
        url: String,
        key_again: crate::api::ApiKey,
    },
    ResetApiUrl,
    EncodingChanged,
    OpenLogFolder,
    /// "Send a test notification" in Settings.
    TestNotification,
    Dismiss(u64),
    /// Asks whether to delete the history bought before the start of this day.
    AskDeleteHistory(jiff::civil::Date),
    /// Deletes closed orders bought before this time (epoch milliseconds).
    DeleteHistoryBefore(Millis),
    /// Asks where to save the history shown, as CSV or as a workbook.
    ExportHistory(crate::orders::export::ExportFormat),
    ExportHistoryTo(String),
    /// "Check for updates" in Settings.
    CheckForUpdates,
    /// The page of a newer version, in the browser.
    OpenDownloadPage,
    /// Install the downloaded new version (asks first while numbers wait for their code).
    RestartToUpdate,
    RestartToUpdateConfirmed,
    /// Opens InstaOTP's website in the browser (to look up a purchase that was not confirmed).
    OpenWebsite,
    /// Checks the order id the person pasted for a not-confirmed purchase, and follows it.
    AdoptAttempt {
        attempt_id: OrderId,
        /// As the person typed it (checked before it is sent).
        order_id: String,
        phone: String,
    },
    /// The person says a not-confirmed purchase was not bought.
    MarkNotBought(OrderId),
    /// Ctrl+Q with this many numbers waiting for their code: asks first.
    AskQuit(usize),
    /// Quit, numbers waiting or not.
    QuitConfirmed,
    /// Goes on with what the last run left undone (`app::unfinished`).
    ResumeUnfinished,
    /// Leaves what the last run left undone as it is.
    LeaveUnfinished,
    /// The person no longer uses the key (or address) an open order was bought with: it ends
    /// here, refund not confirmed, and is never asked about.
    LeaveOtherKeyOrder(OrderId),
    /// A command about another provider's offer or order (its id), run with its session.
    At {
        provider: String,
        command: Box<Command>,
    },
    /// Settings → Providers: check the key with the provider, then keep the key and add it.
    AddProvider {
        name: String,
        api_url: String,
        key: ApiKey,
    },
    /// Asks first when the provider still has numbers waiting.
    AskRemoveProvider(String),
    RemoveProviderConfirmed(String),
}

impl Command {
    pub fn at(provider: &str, command: Command) -> Self {
        Command::At {
            provider: provider.to_owned(),
            command: Box::new(command),
        }
    }

    /// Drawn for another provider's offer, order or dialog (its id): sent to that provider
    /// when it is about them, as it is when it is about the app (a tab, a favourite).
    pub fn to_provider(self, provider: &str) -> Self {
        if self.for_a_provider() {
            Command::at(provider, self)
        } else {
            self
        }
    }

    /// A command that may be run with another provider's session in front: it acts on that
    /// session's offers, orders and dialog, never on the connection or the app.
    pub fn for_a_provider(&self) -> bool {
        matches!(
            self,
            Command::DismissNotice(_)
                | Command::RefreshBalance
                | Command::RefreshOffers
                | Command::AskBuy(_)
                | Command::AskBuyAgain(_)
                | Command::Buy(..)
                | Command::StopBuying
                | Command::StopReplacing(_)
                | Command::AskCancel(_)
                | Command::Cancel(_)
                | Command::Finish(_)
                | Command::AnotherSms(_)
                | Command::CloseDialog
                | Command::Copy { .. }
                | Command::AdoptAttempt { .. }
                | Command::MarkNotBought(_)
                | Command::ResumeUnfinished
                | Command::LeaveUnfinished
                | Command::LeaveOtherKeyOrder(_)
                | Command::AskDeleteHistory(_)
                | Command::DeleteHistoryBefore(_)
                | Command::ExportHistory(_)
                | Command::ExportHistoryTo(_)
        )
    }
}

pub use crate::vocab::Copied;

/// What a confirmation dialog is about.
#[derive(Debug, Clone)]
pub enum Confirm {
    Buy(Offer),
    Cancel(OrderId),
    RemoveKey,
    /// Quit with this many numbers waiting for their code?
    Quit(usize),
    /// Where to save the history as CSV (the app's own dialog).
    Export,
    /// Delete the history bought before this day.
    DeleteHistory(jiff::civil::Date),
    /// Restart to install a new version, with this many numbers waiting for their code?
    RestartToUpdate(usize),
    /// Remove this provider (id, name), with this many numbers waiting for their code?
    RemoveProvider {
        id: String,
        name: String,
        waiting: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_carrying_the_key_never_prints_it() {
        let command = Command::CheckKey(ApiKey::new("Zq7-very-secret"));
        let shown = format!("{command:?} {:#?}", vec![command.clone()]);
        assert!(!shown.contains("Zq7-very-secret"), "{shown}");
        assert!(shown.contains("CheckKey"));
    }
}
