//! `Session::apply` without HTTP or a window: an answer in, the session changed and what the app
//! is to do out, for each kind of answer a table of rows.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::time::{Duration, Instant};

use super::{Inputs, KeyPlace, Session};
use crate::api::{
    ApiError, ApiKey, Balance, Client, ClientConfig, OrderStatus, ProviderError, SetAction,
    SetStatusReply,
};
use crate::app::Command;
use crate::app::effect::Effect;
use crate::app::messages::Kind;
use crate::app::poll_driver::Polling;
use crate::app::poller::PollPolicy;
use crate::orders::reconcile::FoundBy;
use crate::orders::{Order, OrderState, now_millis, test_support};
use crate::settings::Settings;
use crate::worker::{AdoptResult, Generation, SessionEvent};

/// A session on an address nothing answers (no request is made here), with one order waiting
/// for its code, bought five minutes ago (past the cancel lock).
fn session() -> Session {
    session_at(KeyPlace::SessionOnly)
}

/// As `session`, its key kept at `place`.
fn session_at(place: KeyPlace) -> Session {
    let config = ClientConfig::new("http://127.0.0.1:9/api", ApiKey::new("test-key"));
    let client = Client::new(config).unwrap();
    let policy = PollPolicy {
        interval: Duration::from_secs(5),
        lifetime_ms: 20 * 60_000,
        rate: 10,
    };
    // No tokio runtime here: the polling task does not start.
    let polling = Polling::start(egui::Context::default(), client.clone(), policy);
    let mut s = Session::new(
        Generation(1),
        client,
        place,
        std::path::PathBuf::from("/nonexistent/orders.sqlite"),
        polling,
    );
    s.set_orders(vec![waiting()]);
    s
}

fn waiting() -> Order {
    test_support::order("100", "WhatsApp", now_millis() - 5 * 60_000)
}

fn apply(s: &mut Session, event: SessionEvent) -> Vec<Effect> {
    let settings = Settings::default();
    let ctx = egui::Context::default();
    let inputs = Inputs {
        settings: &settings,
        ctx: &ctx,
        now: Instant::now(),
    };
    s.apply(event, &inputs)
}

/// "Only this computer buys with this key" speaks of InstaOTP's key: another provider's key is
/// always taken as shared, whatever the setting says.
#[test]
fn only_instaotps_key_can_be_said_to_be_used_here_alone() {
    // (where the key is, the setting, taken as used here alone)
    let table = [
        (KeyPlace::Keychain, true, true),
        (KeyPlace::Keychain, false, false),
        (KeyPlace::SessionOnly, true, true),
        (KeyPlace::Demo, true, true),
        (KeyPlace::OtherProvider, true, false),
        (KeyPlace::OtherProvider, false, false),
    ];
    for (place, setting, alone) in table {
        assert_eq!(
            session_at(place).key_only_here(setting),
            alone,
            "{place:?} {setting}"
        );
    }
}

/// An effect in a few words, for tables.
fn short(e: &Effect) -> String {
    match e {
        Effect::Say { kind, .. } => format!("say {kind:?}"),
        Effect::Run(Command::RefreshBalance) => "read balance".into(),
        Effect::TellCode(o) => format!("tell code {}", o.order_id),
        Effect::ReplaceCancelAnswered {
            order_id,
            confirmed,
        } => format!("replacement told {order_id} {confirmed}"),
        Effect::AdoptFormError { .. } => "adopt form error".into(),
        Effect::AdoptFormDone(_) => "adopt form done".into(),
        Effect::ShowOrders => "show orders".into(),
        other => format!("{other:?}"),
    }
}

fn shorts(effects: &[Effect]) -> Vec<String> {
    effects.iter().map(short).collect()
}

fn status_set(action: SetAction, result: Result<SetStatusReply, ApiError>) -> SessionEvent {
    SessionEvent::StatusSet {
        order_id: "100".into(),
        action,
        result,
    }
}

#[test]
fn every_set_status_answer_changes_the_order_and_says_it() {
    let timeout = || Err(ApiError::Timeout);
    let refused = || Err(ApiError::provider(ProviderError::BadStatus));
    let already = || Err(ApiError::provider(ProviderError::AlreadyCancel));
    // action, answer → the order's state after, what the app is told to do.
    type Row = (
        SetAction,
        Result<SetStatusReply, ApiError>,
        OrderState,
        Vec<&'static str>,
    );
    let rows: Vec<Row> = vec![
        (
            SetAction::Cancel,
            Ok(SetStatusReply::Cancelled),
            OrderState::Cancelled,
            vec!["say Success", "read balance", "replacement told 100 true"],
        ),
        (
            SetAction::Finish,
            Ok(SetStatusReply::Finished),
            OrderState::Finished,
            vec!["say Success"],
        ),
        (
            SetAction::Cancel,
            refused(),
            OrderState::Waiting,
            vec!["say Error", "replacement told 100 false"],
        ),
        (
            SetAction::Cancel,
            timeout(),
            OrderState::Waiting,
            vec!["say Warning", "replacement told 100 false"],
        ),
        (
            SetAction::Cancel,
            already(),
            OrderState::Cancelled,
            vec!["read balance", "say Info", "replacement told 100 false"],
        ),
    ];
    for (action, answer, state, effects) in rows {
        let mut s = session();
        let said = format!("{action:?} {answer:?}");
        let out = apply(&mut s, status_set(action, answer));
        assert_eq!(s.order("100").unwrap().state, state, "{said}");
        assert_eq!(shorts(&out), effects, "{said}");
    }
}

#[test]
fn a_status_answer_with_a_code_tells_it_and_one_without_tells_nothing() {
    let rows = [
        (OrderStatus::Code("540802".into()), vec!["tell code 100"]),
        (OrderStatus::WaitCode, vec![]),
    ];
    for (status, effects) in rows {
        let mut s = session();
        let said = format!("{status:?}");
        let out = apply(
            &mut s,
            SessionEvent::Polled {
                order_id: "100".into(),
                result: Ok(status),
            },
        );
        assert_eq!(shorts(&out), effects, "{said}");
    }
}

#[test]
fn a_failed_balance_read_is_said_unless_instaotp_cannot_be_reached() {
    let unexpected = ApiError::Unexpected {
        text: "<html>".into(),
    };
    let five_hundred = Balance::new(rust_decimal::Decimal::new(500, 0), None, "500");
    // The answer → what the app is told, InstaOTP noted as unreachable, the balance shown.
    let rows = [
        (Err(unexpected), vec!["say Error"], false, None),
        (Err(ApiError::Timeout), vec![], true, None),
        (Ok(five_hundred), vec![], false, Some(500)),
    ];
    for (result, effects, unreachable, shown) in rows {
        let mut s = session();
        let said = format!("{result:?}");
        let out = apply(&mut s, SessionEvent::Balance(result));
        assert_eq!(shorts(&out), effects, "{said}");
        assert_eq!(s.unreachable_since().is_some(), unreachable, "{said}");
        let shown_now = s.balance().map(|(b, _)| b.amount);
        assert_eq!(shown_now, shown.map(rust_decimal::Decimal::from), "{said}");
    }
}

#[test]
fn an_order_id_refused_is_said_in_its_form_and_not_when_found_in_the_open_orders() {
    // InstaOTP does not know the order id.
    let refused = |found_by| SessionEvent::Adopted {
        attempt_id: "a1".into(),
        result: Box::new(AdoptResult::Refused(ApiError::provider(
            ProviderError::NoActivation,
        ))),
        found_by,
    };
    let rows = [
        (FoundBy::Person, vec!["adopt form error"]),
        (FoundBy::OpenOrders, vec![]),
    ];
    for (found_by, effects) in rows {
        let mut s = session();
        let out = apply(&mut s, refused(found_by));
        assert_eq!(shorts(&out), effects, "{found_by:?}");
    }
    // What the form then says.
    let out = apply(&mut session(), refused(FoundBy::Person));
    let Effect::AdoptFormError { words, .. } = &out[0] else {
        panic!("{out:?}");
    };
    assert_eq!(words, crate::text::ADOPT_UNKNOWN_ID);
}

#[test]
fn history_deleted_is_said_and_reads_the_delivery_record_again() {
    let mut s = session();
    s.delivery_read_started();
    let out = apply(&mut s, SessionEvent::HistoryDeleted(Ok(3)));
    assert!(
        matches!(&out[..], [Effect::Say { kind: Kind::Info, words, .. }] if words.contains('3')),
        "{out:?}"
    );
    assert!(s.delivery_stale());
}

#[test]
fn every_kind_of_purchase_answer_changes_the_orders_and_says_it() {
    let offer = crate::api::Offer::from(&waiting());
    let attempt = || Order::attempt(&offer, now_millis(), None);
    let bought = || {
        let mut o = test_support::order("200", "WhatsApp", now_millis());
        o.phone = "+919800000000".into();
        crate::orders::purchase::PurchaseResult::Bought(Box::new(o))
    };
    let refused = || {
        crate::orders::purchase::PurchaseResult::Refused(ApiError::provider(
            ProviderError::NoNumbers,
        ))
    };
    let unclear = || crate::orders::purchase::PurchaseResult::Unclear(ApiError::Timeout);
    // The answer → the orders followed after it, the attempt as kept (as the purchase left it,
    // or gone for the order), what the app is told.
    type Row = (
        crate::orders::purchase::PurchaseResult,
        usize,
        Option<OrderState>,
        Vec<&'static str>,
    );
    let rows: Vec<Row> = vec![
        (
            bought(),
            2,
            None,
            vec!["say Success", "show orders", "read balance"],
        ),
        (
            refused(),
            1,
            Some(OrderState::NotBought),
            vec!["say Error", "OfferNextBest", "read balance"],
        ),
        (
            unclear(),
            1,
            Some(OrderState::NotConfirmed),
            vec!["show orders", "read balance"],
        ),
    ];
    for (result, watched, attempt_state, effects) in rows {
        let mut s = session();
        // The attempt row as the purchase left it (`buy_once`).
        let mut a = attempt();
        if let Some(state) = attempt_state {
            a.state = state;
        }
        let id = a.order_id.clone();
        let said = format!("{result:?}");
        let out = apply(
            &mut s,
            SessionEvent::Purchased(Box::new(crate::orders::purchase::PurchaseOutcome {
                offer: offer.clone(),
                attempt: a,
                result,
                store_path: "/nonexistent/orders.sqlite".into(),
                store_error: None,
            })),
        );
        let out: Vec<String> = shorts(&out)
            .into_iter()
            .map(|e| e.split('(').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(out, effects, "{said}");
        assert_eq!(s.watched_orders().count(), watched, "{said}");
        assert_eq!(s.order(&id).map(|o| o.state), attempt_state, "{said}");
    }
}

#[test]
fn the_open_orders_list_gives_its_codes_and_is_not_asked_again_where_not_offered() {
    use crate::api::active::{ActiveActivation, Offered};
    // A code in the list: the order takes it and the app tells it.
    let mut s = session();
    let listed = ActiveActivation {
        order_id: "100".into(),
        service_code: Some("whatsapp".into()),
        phone: None,
        country: None,
        cost: None,
        sms_code: Some("540802".into()),
        sms_text: None,
        bought_at: None,
    };
    let out = apply(
        &mut s,
        SessionEvent::ActiveListed {
            result: Ok(vec![listed]),
            offered: Offered::Yes,
            store_error: None,
        },
    );
    assert_eq!(shorts(&out), ["tell code 100"]);
    assert_eq!(s.order("100").unwrap().code.as_deref(), Some("540802"));
    assert_eq!(s.active_offered(), Offered::Yes);
    // A failed list: what is known of the list afterwards, InstaOTP noted as unreachable.
    let rows = [
        (
            ApiError::provider(ProviderError::BadAction),
            Offered::No,
            Offered::No,
            false,
        ),
        (ApiError::Timeout, Offered::Unknown, Offered::Unknown, true),
    ];
    for (e, offered, known, unreachable) in rows {
        let mut s = session();
        let said = format!("{e:?}");
        let out = apply(
            &mut s,
            SessionEvent::ActiveListed {
                result: Err(e),
                offered,
                store_error: None,
            },
        );
        assert!(out.is_empty(), "{said}: {out:?}");
        assert_eq!(s.active_offered(), known, "{said}");
        assert_eq!(s.unreachable_since().is_some(), unreachable, "{said}");
        assert_eq!(s.order("100").unwrap().state, OrderState::Waiting, "{said}");
    }
}
