use super::*;

const KEY: &str = "test-key";

fn config() -> SimConfig {
    SimConfig {
        accounts: vec![
            (KEY.to_owned(), Decimal::new(10000, 2)),
            ("other".to_owned(), Decimal::new(5000, 2)),
        ],
        code_delay: Some(Duration::from_secs(5)),
        ..SimConfig::default()
    }
}

fn q(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn call(s: &mut SimState, key: &str, action: &str, extra: &[(&str, &str)], now: Instant) -> String {
    let mut p = q(extra);
    p.insert("api_key".into(), key.into());
    p.insert("action".into(), action.into());
    s.handle(&p, now).body
}

/// Buys `vk` in India on server 1 (3.12) and returns the order id.
fn buy(s: &mut SimState, now: Instant) -> String {
    let r = call(
        s,
        KEY,
        "getNumber",
        &[("service", "vk"), ("country", "22"), ("server", "1")],
        now,
    );
    assert!(r.starts_with("ACCESS_NUMBER:"), "{r}");
    r.split(':').nth(1).map(str::to_owned).unwrap_or_default()
}

fn secs(t: Instant, s: u64) -> Instant {
    t + Duration::from_secs(s)
}

#[test]
fn keys_and_actions() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    assert_eq!(
        s.handle(&q(&[("action", "getBalance")]), t).body,
        "NO_API_KEY"
    );
    assert_eq!(
        s.handle(&q(&[("api_key", ""), ("action", "getBalance")]), t)
            .body,
        "NO_API_KEY"
    );
    assert_eq!(call(&mut s, "nope", "getBalance", &[], t), "BAD_KEY");
    assert_eq!(call(&mut s, KEY, "getFoo", &[], t), "BAD_ACTION");
    assert_eq!(s.handle(&q(&[("api_key", KEY)]), t).body, "BAD_ACTION");
    assert_eq!(
        call(&mut s, KEY, "getBalance", &[], t),
        "ACCESS_BALANCE:100.00"
    );
    s.set_balance(KEY, Decimal::new(54, 0));
    assert_eq!(
        call(&mut s, KEY, "getBalance", &[], t),
        "ACCESS_BALANCE:54.00"
    );
}

#[test]
fn services_json_and_filters() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    let r = s.handle(&q(&[("api_key", KEY), ("action", "getService")]), t);
    assert!(r.json);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let first = &v["1"][0];
    assert_eq!(first["id"], "vk");
    assert_eq!(first["service"], "Вконтакте/VKConnect");
    assert_eq!(first["price"], "3.12");
    assert_eq!(first["qty"], "1052");
    assert_eq!(first["country"], "22");
    assert_eq!(first["provider"], "1");
    assert!(r.body.find("\"1\":").unwrap() < r.body.find("\"2\":").unwrap());
    let r = call(&mut s, KEY, "getService", &[("server", "3")], t);
    let v: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 1);
    assert_eq!(v["3"][0]["country"], "India");
    let r = call(
        &mut s,
        KEY,
        "getService",
        &[("country", "22"), ("server", "2")],
        t,
    );
    let v: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert!(
        v["2"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["country"] == "22")
    );
    assert_eq!(
        call(&mut s, KEY, "getService", &[("country", "999")], t),
        "NO_SERVICES"
    );
}

#[test]
fn purchase_charges_and_code_arrives() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    let id = buy(&mut s, t);
    assert_eq!(id, "100001");
    assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
    assert_eq!(s.offers()[0].qty, 1051);
    let o = &s.orders(t)[0];
    assert!(o.phone.starts_with("+91") && o.phone.len() == 13);
    assert_eq!(buy(&mut s, t), "100002");
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 4)),
        "STATUS_WAIT_CODE"
    );
    let r = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 5));
    let code = r.strip_prefix("STATUS_OK:").unwrap();
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    // Stable afterwards.
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 60)),
        r
    );
}

#[test]
fn bad_params_service_sold_out_no_balance() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    assert_eq!(
        call(
            &mut s,
            KEY,
            "getNumber",
            &[("service", "vk"), ("country", "22")],
            t
        ),
        "BAD_PARAMS"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "getNumber",
            &[("service", "zz"), ("country", "22"), ("server", "1")],
            t
        ),
        "BAD_SERVICE"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "getNumber",
            &[("service", "tg"), ("country", "22"), ("server", "1")],
            t
        ),
        "NO_NUMBERS"
    );
    s.set_balance(KEY, Decimal::new(311, 2));
    assert_eq!(
        call(
            &mut s,
            KEY,
            "getNumber",
            &[("service", "vk"), ("country", "22"), ("server", "1")],
            t
        ),
        "NO_BALANCE"
    );
    assert_eq!(s.balance(KEY), Some(Decimal::new(311, 2)));
    assert!(s.orders(t).is_empty());
    s.set_balance(KEY, Decimal::new(312, 2));
    buy(&mut s, t);
    assert_eq!(s.balance(KEY), Some(Decimal::ZERO));
    assert_eq!(call(&mut s, KEY, "getStatus", &[], t), "BAD_PARAMS");
    assert_eq!(
        call(&mut s, KEY, "setStatus", &[("id", "100001")], t),
        "BAD_PARAMS"
    );
}

#[test]
fn cancel_lock_refund_and_already_cancel() {
    let mut s = SimState::new(&SimConfig {
        code_delay: None,
        ..config()
    });
    let t = Instant::now();
    let id = buy(&mut s, t);
    let cancel = [("id", id.as_str()), ("status", "cancel")];
    assert_eq!(
        call(&mut s, KEY, "setStatus", &cancel, secs(t, 119)),
        "EARLY_CANCEL_DENIED"
    );
    assert_eq!(
        call(&mut s, KEY, "setStatus", &cancel, secs(t, 120)),
        "ACCESS_CANCEL"
    );
    assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
    assert_eq!(
        s.orders(t)[0].state,
        SimOrderState::Cancelled { refunded: true }
    );
    assert_eq!(
        call(&mut s, KEY, "setStatus", &cancel, secs(t, 121)),
        "ALREADY_CANCEL"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "8")],
            secs(t, 121)
        ),
        "ALREADY_CANCEL"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "finish")],
            secs(t, 121)
        ),
        "ALREADY_CANCEL"
    );
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 122)),
        "STATUS_CANCEL"
    );
    assert_eq!(
        s.balance(KEY),
        Some(Decimal::new(10000, 2)),
        "refunded once only"
    );
}

#[test]
fn cancel_after_code_and_finish() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    let id = buy(&mut s, t);
    let set = |s: &mut SimState, st: &str, at| {
        call(s, KEY, "setStatus", &[("id", &id), ("status", st)], at)
    };
    assert_eq!(set(&mut s, "finish", secs(t, 1)), "BAD_STATUS");
    assert_eq!(set(&mut s, "cancel", secs(t, 130)), "BAD_STATUS");
    assert_eq!(set(&mut s, "finish", secs(t, 131)), "ACCESS_ACTIVATION");
    let r = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 132));
    assert!(r.starts_with("STATUS_OK:"), "{r}");
    assert!(matches!(s.orders(t)[0].state, SimOrderState::Finished(_)));
    assert_eq!(set(&mut s, "cancel", secs(t, 133)), "BAD_STATUS");
    assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
}

#[test]
fn expiry_refunds_lazily() {
    let mut s = SimState::new(&SimConfig {
        code_delay: None,
        expiry: Duration::from_secs(1200),
        ..config()
    });
    let t = Instant::now();
    let id = buy(&mut s, t);
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1199)),
        "STATUS_WAIT_CODE"
    );
    // Not refunded until someone asks.
    assert_eq!(s.orders(secs(t, 1300))[0].state, SimOrderState::Waiting);
    assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1300)),
        "STATUS_CANCEL"
    );
    assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1301)),
        "STATUS_CANCEL"
    );
    assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
}

#[test]
fn code_later_than_expiry_never_comes() {
    let mut s = SimState::new(&SimConfig {
        code_delay: Some(Duration::from_secs(30)),
        expiry: Duration::from_secs(20),
        ..config()
    });
    let t = Instant::now();
    let id = buy(&mut s, t);
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 40)),
        "STATUS_CANCEL"
    );
}

#[test]
fn retry_gives_new_code() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    let id = buy(&mut s, t);
    let retry = [("id", id.as_str()), ("status", "3")];
    assert_eq!(
        call(&mut s, KEY, "setStatus", &retry, secs(t, 1)),
        "BAD_STATUS"
    );
    let first = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 6));
    let first = first.strip_prefix("STATUS_OK:").unwrap().to_owned();
    assert_eq!(
        call(&mut s, KEY, "setStatus", &retry, secs(t, 10)),
        "ACCESS_RETRY_GET"
    );
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 14)),
        format!("STATUS_WAIT_RETRY:{first}")
    );
    let second = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 15));
    let second = second.strip_prefix("STATUS_OK:").unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(second.len(), 6);
    // Words are always accepted, numbers only when enabled.
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "1")],
            secs(t, 16)
        ),
        "ACCESS_READY"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "7")],
            secs(t, 16)
        ),
        "INVALID_STATUS"
    );
    s.accept_numeric_status = false;
    assert_eq!(
        call(&mut s, KEY, "setStatus", &retry, secs(t, 16)),
        "INVALID_STATUS"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "finish")],
            secs(t, 16)
        ),
        "ACCESS_ACTIVATION"
    );
}

#[test]
fn deliver_code_and_wrong_key() {
    let mut s = SimState::new(&SimConfig {
        code_delay: None,
        ..config()
    });
    let t = Instant::now();
    let id = buy(&mut s, t);
    assert_eq!(
        call(&mut s, "other", "getStatus", &[("id", &id)], t),
        "NO_ACTIVATION"
    );
    assert_eq!(
        call(
            &mut s,
            "other",
            "setStatus",
            &[("id", &id), ("status", "finish")],
            t
        ),
        "NO_ACTIVATION"
    );
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", "42")], t),
        "NO_ACTIVATION"
    );
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 600)),
        "STATUS_WAIT_CODE"
    );
    s.deliver_code(&id, "123456");
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 601)),
        "STATUS_OK:123456"
    );
    // A delay set later applies to a waiting order.
    let id2 = buy(&mut s, t);
    s.set_code_delay(Some(Duration::ZERO));
    assert!(call(&mut s, KEY, "getStatus", &[("id", &id2)], t).starts_with("STATUS_OK:"));
}

#[test]
fn services_json_keeps_the_server_order_and_escapes_names() {
    let offer = |server: &str, id: &str, name: &str| SimOffer {
        server: server.into(),
        id: id.into(),
        name: name.into(),
        price: Decimal::new(150, 2),
        qty: 3,
        country: "22".into(),
        provider: "1".into(),
    };
    let mut s = SimState::new(&SimConfig {
        offers: vec![
            offer("a", "x", "Name \"quoted\" é\n"),
            offer("10", "y", "Ten"),
            offer("2", "z", "Two"),
        ],
        ..config()
    });
    let r = s.handle(
        &q(&[("api_key", KEY), ("action", "getService")]),
        Instant::now(),
    );
    // The same bytes the hand-built JSON of earlier versions gave.
    assert_eq!(
        r.body,
        concat!(
            r#"{"2":[{"id":"z","service":"Two","price":"1.50","qty":"3","country":"22","provider":"1"}],"#,
            r#""10":[{"id":"y","service":"Ten","price":"1.50","qty":"3","country":"22","provider":"1"}],"#,
            r#""a":[{"id":"x","service":"Name \"quoted\" é\n","price":"1.50","qty":"3","country":"22","provider":"1"}]}"#
        )
    );
}

#[test]
fn active_activations_only_when_offered_and_only_open_orders_of_the_key() {
    let mut s = SimState::new(&config());
    let t0 = Instant::now();
    assert_eq!(
        call(&mut s, KEY, "getActiveActivations", &[], t0),
        "BAD_ACTION"
    );
    s.offer_active_activations(true);
    s.set_wall_origin(t0, 1_795_000_000_000);
    let none = call(&mut s, KEY, "getActiveActivations", &[], t0);
    assert!(none.contains("NO_ACTIVATIONS"), "{none}");
    let first = buy(&mut s, t0);
    let second = buy(&mut s, t0);
    let finish = [("id", second.as_str()), ("status", "finish")];
    let later = t0 + Duration::from_secs(6);
    assert_eq!(
        call(&mut s, KEY, "setStatus", &finish, later),
        "ACCESS_ACTIVATION"
    );
    let list = call(&mut s, KEY, "getActiveActivations", &[], later);
    let parsed = crate::api::active::parse_active(200, list.as_bytes()).unwrap_or_default();
    assert_eq!(parsed.len(), 1, "{list}");
    assert_eq!(parsed[0].order_id, first);
    assert_eq!(parsed[0].service_code.as_deref(), Some("vk"));
    assert_eq!(parsed[0].country.as_deref(), Some("22"));
    assert!(
        parsed[0].sms_code.is_some(),
        "the code is listed once due: {list}"
    );
    assert_eq!(parsed[0].bought_at, Some(1_795_000_000_000));
    let other = call(&mut s, "other", "getActiveActivations", &[], later);
    assert!(other.contains("NO_ACTIVATIONS"), "{other}");
}

#[test]
fn a_server_that_never_delivers_and_a_set_stock() {
    let mut s = SimState::new(&config());
    let t = Instant::now();
    s.never_deliver_on("1", true);
    let silent = buy(&mut s, t);
    let status = |s: &mut SimState, id: &str, at| call(s, KEY, "getStatus", &[("id", id)], at);
    assert_eq!(status(&mut s, &silent, secs(t, 60)), "STATUS_WAIT_CODE");
    // A code delivered by hand still comes.
    s.deliver_code(&silent, "1234");
    assert_eq!(status(&mut s, &silent, secs(t, 61)), "STATUS_OK:1234");
    s.never_deliver_on("1", false);
    let normal = buy(&mut s, t);
    assert!(status(&mut s, &normal, secs(t, 6)).starts_with("STATUS_OK:"));
    s.set_stock("vk", "22", "1", 1);
    buy(&mut s, t);
    let refused = call(
        &mut s,
        KEY,
        "getNumber",
        &[("service", "vk"), ("country", "22"), ("server", "1")],
        t,
    );
    assert_eq!(refused, "NO_NUMBERS");
}

#[test]
fn an_order_cancelled_on_the_website_or_forgotten_behind_the_clients_back() {
    let mut s = SimState::new(&SimConfig {
        code_delay: None,
        ..config()
    });
    let t = Instant::now();
    let start = s.balance(KEY).unwrap();
    // Cancelled on the website before a code: refunded; the client hears it afterwards.
    let id = buy(&mut s, t);
    assert!(s.cancel_order(&id, t));
    assert_eq!(s.balance(KEY), Some(start));
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "cancel")],
            secs(t, 300)
        ),
        "ALREADY_CANCEL"
    );
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], t),
        "STATUS_CANCEL"
    );
    assert!(!s.cancel_order(&id, t), "already closed");

    // Closed after a code: not refunded.
    let id = buy(&mut s, t);
    s.deliver_code(&id, "4321");
    let charged = s.balance(KEY).unwrap();
    assert!(s.cancel_order(&id, t));
    assert_eq!(s.balance(KEY), Some(charged));
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], t),
        "STATUS_CANCEL"
    );

    // Forgotten: NO_ACTIVATION to everything, still sold in the snapshots.
    let id = buy(&mut s, t);
    let charged = s.balance(KEY).unwrap();
    assert!(s.forget_order(&id, false, t));
    assert_eq!(s.balance(KEY), Some(charged));
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], t),
        "NO_ACTIVATION"
    );
    assert_eq!(
        call(
            &mut s,
            KEY,
            "setStatus",
            &[("id", &id), ("status", "cancel")],
            secs(t, 300)
        ),
        "NO_ACTIVATION"
    );
    assert!(
        s.orders(t)
            .iter()
            .any(|o| o.id == id && o.state == SimOrderState::Waiting)
    );
    // Forgotten with a refund: the money comes back first.
    let id = buy(&mut s, t);
    assert!(s.forget_order(&id, true, t));
    assert_eq!(s.balance(KEY), Some(charged));
    assert_eq!(
        call(&mut s, KEY, "getStatus", &[("id", &id)], t),
        "NO_ACTIVATION"
    );
    assert!(!s.forget_order("42", true, t));
}
