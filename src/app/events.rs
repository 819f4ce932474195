//! Applies what the worker delivered. Every error is handled here, once, and shown.

use std::time::Instant;

use super::{App, KeyPlace, Screen, Tab};
use crate::api::{ApiError, OrderStatus, ProviderError, SetAction, SetStatusReply};
use crate::orders::{OrderState, now_millis};
use crate::worker::Event;

impl App {
    pub(crate) fn apply(&mut self, event: Event, ctx: &egui::Context) {
        match event {
            Event::KeyLoaded(Ok(Some(key))) => self.connect(crate::api::ApiKey::new(key), KeyPlace::Keychain),
            Event::KeyLoaded(Ok(None)) => self.screen = Screen::Welcome,
            Event::KeyLoaded(Err(e)) => {
                tracing::warn!("keychain: {e}");
                self.welcome.error = Some(
                    "The system keychain is not available or is locked, so a saved key cannot be read. Unlock it (log in again), or paste your key below to use it for this session only.".to_owned(),
                );
                self.screen = Screen::Welcome;
            }
            Event::KeyChecked { key, result } => match result {
                Ok(balance) => {
                    self.balance = Some((balance, Instant::now()));
                    self.worker.save_key(self.config.keychain.clone(), key);
                }
                Err(e) => {
                    tracing::info!("key check failed: {e}");
                    let text = match e.provider_error() {
                        Some(ProviderError::BadKey | ProviderError::NoApiKey) => {
                            "InstaOTP did not accept this key. Copy it again from your InstaOTP account page (Profile → API) and paste it here.".to_owned()
                        }
                        _ => e.user_message(),
                    };
                    self.welcome.error = Some(text.clone());
                    if self.screen == Screen::Main {
                        self.messages.error(text);
                    }
                }
            },
            Event::KeySaved { key, result } => match result {
                Ok(()) => {
                    self.welcome = Default::default();
                    self.settings_ui.new_key.clear();
                    self.settings_ui.changing_key = false;
                    self.messages.info("Key checked and saved in the system keychain.");
                    self.connect(key, KeyPlace::Keychain);
                }
                Err(e) => {
                    tracing::warn!("keychain save: {e}");
                    self.welcome.error = Some(e.user_message());
                    self.unsaved_key = Some(key);
                    if self.screen == Screen::Main {
                        self.messages.error(e.user_message());
                    }
                }
            },
            Event::KeyRemoved(result) => match result {
                Ok(()) => {
                    self.disconnect();
                    self.messages.info("The key was removed from this computer.");
                    self.screen = Screen::Welcome;
                }
                Err(e) => self.messages.error(e.user_message()),
            },
            Event::Balance(result) => match result {
                Ok(balance) => {
                    self.reachable();
                    self.balance = Some((balance, Instant::now()));
                }
                Err(e) => self.failed("Balance", &e),
            },
            Event::Services(result) => match result {
                Ok(offers) => {
                    self.reachable();
                    self.offers.set_offers(offers, &self.settings.favourites);
                    self.offers_loaded = Some(Instant::now());
                    self.offers_error = None;
                }
                Err(e) => {
                    self.note_unreachable(&e);
                    self.offers_error = Some(e.user_message());
                }
            },
            Event::Purchased(outcome) => {
                let crate::worker::PurchaseOutcome {
                    offer,
                    result,
                    store_error,
                } = *outcome;
                let place = format!("{}, {}", offer.name, crate::countries::country_name(&offer.country));
                match result {
                    Ok(order) => {
                        self.reachable();
                        self.messages.success(format!("Bought {place}: {}. The code will appear in Orders.", order.phone));
                        if let Some(e) = store_error {
                            self.messages.error(format!("The order could not be saved on this computer ({e}). Keep the window open until it is done."));
                        }
                        self.highlight = Some(order.order_id.clone());
                        self.orders.insert(0, order);
                        self.tab = Tab::Orders;
                    }
                    Err(e) if e.reply_lost() => {
                        self.note_unreachable(&e);
                        self.messages.error(format!(
                            "Purchase state unknown for {place}: the answer from InstaOTP never arrived, so the number may or may not have been bought. Check your balance and your orders on the InstaOTP website before buying again."
                        ));
                    }
                    Err(e) => {
                        self.note_unreachable(&e);
                        self.messages.error_raw(format!("Could not buy {place}. {}", e.user_message()), raw_of(&e));
                    }
                }
                // The balance changed, or may have: always look.
                self.run(crate::ui::Command::RefreshBalance);
            }
            Event::Polled { order_id, result } => self.polled(order_id, result, ctx),
            Event::StatusSet {
                order_id,
                action,
                result,
            } => self.status_set(order_id, action, result),
            Event::DiskDone(Ok(text)) => self.messages.info(text),
            Event::DiskDone(Err(text)) => self.messages.error(text),
            Event::StoreOpened(Ok(opened)) => {
                let (store, orders) = *opened;
                if let Some(conn) = &mut self.conn {
                    conn.store = Some(store.clone());
                    self.worker.use_store(store);
                    let active = orders.iter().filter(|o| o.is_active()).count();
                    if active > 0 {
                        tracing::info!(active, "resuming orders");
                    }
                    self.orders = orders;
                }
            }
            Event::StoreOpened(Err(e)) => self.messages.error(format!(
                "Your orders could not be opened ({e}). Buying is disabled until the app is restarted."
            )),
            Event::SaveDialogClosed => {}
            Event::SaveDialogUnavailable { suggested } => self.save_dialog_unavailable(suggested),
            Event::DemoStarted(started) => self.demo_started(started),
            Event::SettingsSaved(Err(e)) => self.messages.error(format!("Settings could not be saved ({e}).")),
            Event::SettingsSaved(Ok(())) => {}
        }
    }

    fn reachable(&mut self) {
        self.unreachable_since = None;
    }

    fn note_unreachable(&mut self, e: &ApiError) {
        if e.is_unreachable() {
            self.unreachable_since.get_or_insert_with(Instant::now);
        } else {
            self.reachable();
        }
    }

    /// A failed background read: shown once, not repeated on every retry.
    fn failed(&mut self, what: &str, e: &ApiError) {
        tracing::warn!("{what}: {e}");
        self.note_unreachable(e);
        if !e.is_unreachable() {
            self.messages
                .error_raw(format!("{what}: {}", e.user_message()), raw_of(e));
        }
    }

    fn polled(
        &mut self,
        order_id: String,
        result: Result<OrderStatus, ApiError>,
        ctx: &egui::Context,
    ) {
        let lifetime_ms = self.settings.order_lifetime_secs as i64 * 1000;
        let Some(index) = self.orders.iter().position(|o| o.order_id == order_id) else {
            return;
        };
        match result {
            Ok(status) => {
                self.unreachable_since = None;
                self.poll_ok(&order_id);
                let order = &mut self.orders[index];
                let before = order.clone();
                order.apply_status(&status, now_millis(), lifetime_ms);
                let new_code = order.code.is_some() && order.code != before.code;
                let changed = order.state != before.state
                    || order.code != before.code
                    || order.raw_reply != before.raw_reply;
                let expired = changed && order.state == OrderState::Expired;
                let (name, phone, code) = (
                    order.service_name.clone(),
                    order.phone.clone(),
                    order.code.clone(),
                );
                if changed {
                    self.worker.save_order(&self.orders[index]);
                }
                if expired {
                    self.messages.info(format!(
                        "{name} ({phone}) expired without an SMS; the money was refunded."
                    ));
                    self.run(crate::ui::Command::RefreshBalance);
                }
                self.last_status.insert(order_id, status);
                if new_code {
                    self.code_arrived(&name, &phone, code, ctx);
                }
            }
            Err(e) => {
                let order = &mut self.orders[index];
                order.problem = Some(e.user_message());
                if let Some(ProviderError::NoActivation) = e.provider_error() {
                    order.close(OrderState::Gone, now_millis());
                    self.worker.save_order(&self.orders[index]);
                    return;
                }
                if let ApiError::Unexpected { text } = &e {
                    order.raw_reply = Some(text.clone());
                }
                self.note_unreachable(&e);
                self.poll_failed(&order_id, e.retry_pause());
            }
        }
    }

    fn code_arrived(
        &mut self,
        service: &str,
        phone: &str,
        code: Option<String>,
        ctx: &egui::Context,
    ) {
        if self.settings.notifications || self.settings.sound {
            let summary = format!("{service}: code {}", code.as_deref().unwrap_or(""));
            let body = format!("SMS received on {phone}");
            let sound = self.settings.sound;
            let notifier = self.config.notifier.clone();
            tokio::task::spawn_blocking(move || {
                if let Err(e) = notifier.notify(&summary, &body, sound) {
                    tracing::info!("no desktop notification: {e}");
                }
            });
        }
        if self.tab != Tab::Orders {
            self.unseen_codes += 1;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
            egui::UserAttentionType::Informational,
        ));
        if let (true, Some(code)) = (self.settings.auto_copy_code, code) {
            ctx.copy_text(code);
            self.messages.info("A new code arrived and was copied.");
        }
    }

    fn status_set(
        &mut self,
        order_id: String,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
    ) {
        let Some(order) = self.orders.iter_mut().find(|o| o.order_id == order_id) else {
            return;
        };
        let what = format!("{} ({})", order.service_name, order.phone);
        match result {
            Ok(reply) => {
                order.apply_set_status(&reply, now_millis());
                self.worker.save_order(order);
                match reply {
                    SetStatusReply::Cancelled => {
                        self.messages.success(format!("{what} cancelled. The money goes back to your balance."));
                        self.run(crate::ui::Command::RefreshBalance);
                    }
                    SetStatusReply::Finished => self.messages.success(format!("{what} finished.")),
                    SetStatusReply::RetryRequested => self.messages.info(format!("Another SMS was asked for {what}. Keep the previous code until the new one arrives.")),
                    SetStatusReply::Ready => {}
                }
            }
            Err(e) => {
                match (action, e.provider_error()) {
                    (_, Some(ProviderError::AlreadyCancel)) => {
                        order.close(OrderState::Cancelled, now_millis());
                        self.worker.save_order(order);
                    }
                    (_, Some(ProviderError::NoActivation)) => {
                        order.close(OrderState::Gone, now_millis());
                        self.worker.save_order(order);
                    }
                    _ => {}
                }
                let verb = match action {
                    SetAction::Cancel => "cancel",
                    SetAction::Finish => "finish",
                    SetAction::AnotherSms => "ask another SMS for",
                    SetAction::Ready => "confirm",
                };
                self.note_unreachable(&e);
                self.messages.error_raw(
                    format!("Could not {verb} {what}. {}", e.user_message()),
                    raw_of(&e),
                );
            }
        }
    }
}

/// The raw reply behind an error the app did not understand, to show as it is.
fn raw_of(e: &ApiError) -> Option<String> {
    match e {
        ApiError::Unexpected { text } => Some(text.clone()),
        ApiError::HttpStatus { excerpt, .. } => Some(excerpt.clone()),
        ApiError::Provider {
            error: ProviderError::Unknown(word),
            ..
        } => Some(word.clone()),
        _ => None,
    }
}
