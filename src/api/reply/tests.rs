use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::api::types::OrderStatus;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn provider(word: &str) -> ProviderError {
    ProviderError::from_reply(word).unwrap_or(ProviderError::Unknown(word.into()))
}

#[test]
fn doc_example_balance() {
    let b = parse_balance(200, b"ACCESS_BALANCE:54.00").unwrap();
    assert_eq!(b.amount, dec("54.00"));
    assert_eq!(b.amount.to_string(), "54.00");
    assert_eq!(b.currency, None);
}

#[test]
fn balance_tolerates_white_space_and_currency() {
    let b = parse_balance(200, b"  ACCESS_BALANCE:1,054.50 INR\r\n").unwrap();
    assert_eq!(b.amount, dec("1054.50"));
    assert_eq!(b.currency.as_deref(), Some("INR"));
    let b = parse_balance(200, "ACCESS_BALANCE:₹12".as_bytes()).unwrap();
    assert_eq!(b.amount, dec("12"));
    assert_eq!(b.currency.as_deref(), Some("₹"));
    assert!(matches!(
        parse_balance(200, b"ACCESS_BALANCE:lots"),
        Err(ApiError::Provider { .. })
    ));
}

#[test]
fn doc_example_number() {
    let p = parse_number(200, b"ACCESS_NUMBER:12345:+1234567890").unwrap();
    assert_eq!(p.order_id, "12345");
    assert_eq!(p.phone, "+1234567890");
}

#[test]
fn number_keeps_alphanumeric_ids_and_phones_without_plus() {
    let p = parse_number(200, b"ACCESS_NUMBER:aB3dE5fG7hI9jK1lM3nO:919876543210\n").unwrap();
    assert_eq!(p.order_id, "aB3dE5fG7hI9jK1lM3nO");
    assert_eq!(p.phone, "919876543210");
    // The id alone is a sale: followed by its id, the number to be seen on the website.
    let p = parse_number(200, b"ACCESS_NUMBER:12345").unwrap();
    assert_eq!((p.order_id.as_str(), p.phone.as_str()), ("12345", ""));
    let p = parse_number(200, b"ACCESS_NUMBER:12345:").unwrap();
    assert_eq!((p.order_id.as_str(), p.phone.as_str()), ("12345", ""));
    assert!(parse_number(200, b"ACCESS_NUMBER::").is_err());
    assert!(parse_number(200, b"ACCESS_NUMBER:").is_err());
    assert!(parse_number(200, b"ACCESS_NUMBER:12 345").is_err());
    assert!(parse_number(200, b"ACCESS_NUMBER:<html>").is_err());
}

#[test]
fn doc_example_status_ok_and_family_statuses() {
    assert_eq!(
        parse_status(200, b"STATUS_OK:54321").unwrap(),
        OrderStatus::Code("54321".into())
    );
    assert_eq!(
        parse_status(200, b"STATUS_WAIT_CODE").unwrap(),
        OrderStatus::WaitCode
    );
    assert_eq!(
        parse_status(200, b"STATUS_WAIT_RESEND").unwrap(),
        OrderStatus::WaitResend
    );
    assert_eq!(
        parse_status(200, b"STATUS_CANCEL").unwrap(),
        OrderStatus::Cancelled
    );
    assert_eq!(
        parse_status(200, b"STATUS_WAIT_RETRY:111222").unwrap(),
        OrderStatus::WaitRetry("111222".into())
    );
}

#[test]
fn status_code_may_contain_colons() {
    assert_eq!(
        parse_status(200, b"STATUS_OK:Your code: 12-34").unwrap(),
        OrderStatus::Code("Your code: 12-34".into())
    );
}

#[test]
fn status_free_text_is_kept_raw() {
    assert_eq!(
        parse_status(200, b"Your WhatsApp code is 123-456").unwrap(),
        OrderStatus::Unrecognised("Your WhatsApp code is 123-456".into())
    );
    assert_eq!(
        parse_status(200, b"STATUS_SOMETHING_NEW").unwrap(),
        OrderStatus::Unrecognised("STATUS_SOMETHING_NEW".into())
    );
    // A sender id in capitals first is still an SMS, not an unknown protocol word.
    for sms in [
        "AMAZON: 482913 is your code",
        "SBI: 778899 is your OTP. Do not share.",
        "OTP: 4821",
        "AX-HDFCBK: Code 4455\nfor login",
    ] {
        assert_eq!(
            parse_status(200, sms.as_bytes()).unwrap(),
            OrderStatus::Unrecognised(sms.into()),
            "{sms}"
        );
    }
    // A word of the protocol family with no code is not an SMS.
    assert!(parse_status(200, b"SERVER_BUSY").is_err());
    assert!(parse_status(200, b"BANNED").is_err());
}

#[test]
fn set_status_replies() {
    assert_eq!(
        parse_set_status(200, b"ACCESS_CANCEL").unwrap(),
        SetStatusReply::Cancelled
    );
    assert_eq!(
        parse_set_status(200, b"ACCESS_ACTIVATION").unwrap(),
        SetStatusReply::Finished
    );
    assert_eq!(
        parse_set_status(200, b"ACCESS_RETRY_GET").unwrap(),
        SetStatusReply::RetryRequested
    );
    assert_eq!(
        parse_set_status(200, b"ACCESS_READY").unwrap(),
        SetStatusReply::Ready
    );
}

#[test]
fn every_documented_error_word_is_typed() {
    let words = [
        ("NO_API_KEY", ProviderError::NoApiKey),
        ("BAD_KEY", ProviderError::BadKey),
        ("BAD_PARAMS", ProviderError::BadParams),
        ("BAD_ACTION", ProviderError::BadAction),
        ("BAD_SERVICE", ProviderError::BadService),
        ("BAD_STATUS", ProviderError::BadStatus),
        ("INVALID_STATUS", ProviderError::InvalidStatus),
        ("NO_SERVICES", ProviderError::NoServices),
        ("NO_ACTIVATION", ProviderError::NoActivation),
        ("ALREADY_CANCEL", ProviderError::AlreadyCancel),
        ("EARLY_CANCEL_DENIED", ProviderError::EarlyCancelDenied),
        ("ERROR_SQL", ProviderError::ErrorSql),
        ("NO_NUMBERS", ProviderError::NoNumbers),
        ("NO_BALANCE", ProviderError::NoBalance),
        ("TRY_AGAIN", ProviderError::TryAgain),
        ("RATE_LIMIT", ProviderError::RateLimit),
    ];
    for (word, expected) in words {
        for parse in [
            |b: &[u8]| parse_balance(200, b).err(),
            |b: &[u8]| parse_number(200, b).err(),
            |b: &[u8]| parse_status(200, b).err(),
            |b: &[u8]| parse_set_status(200, b).err(),
            |b: &[u8]| parse_services(200, b).err(),
        ] {
            let err = parse(format!("{word}\n").as_bytes());
            assert_eq!(
                err.as_ref().and_then(|e| e.provider_error()),
                Some(&expected),
                "{word}"
            );
            let message = err
                .map(|e| crate::app::describe::api_error(&e))
                .unwrap_or_default();
            assert!(
                message.len() > 20 && !message.contains('_'),
                "{word}: {message}"
            );
        }
        assert_eq!(expected.word(), word);
    }
}

#[test]
fn family_words_with_arguments() {
    assert_eq!(
        provider("BANNED:'2026-12-01 10:00'"),
        ProviderError::Banned("2026-12-01 10:00".into())
    );
    assert_eq!(
        provider("WRONG_MAX_PRICE:4.50"),
        ProviderError::WrongMaxPrice("4.50".into())
    );
    let msg = crate::app::describe::api_error(&ApiError::provider(provider("BANNED:'2026-12-01'")));
    assert!(msg.contains("2026-12-01"));
}

#[test]
fn unknown_capital_word_keeps_the_word() {
    let err = parse_balance(200, b"SERVER_ON_FIRE").unwrap_err();
    assert_eq!(
        err.provider_error(),
        Some(&ProviderError::Unknown("SERVER_ON_FIRE".into()))
    );
    assert!(crate::app::describe::api_error(&err).contains("SERVER_ON_FIRE"));
}

#[test]
fn anything_else_is_unexpected_and_kept() {
    let err = parse_balance(200, b"<html><body>Welcome</body></html>").unwrap_err();
    match &err {
        ApiError::Unexpected { text } => assert!(text.contains("Welcome")),
        other => panic!("got {other:?}"),
    }
    assert!(crate::app::describe::api_error(&err).contains("Welcome"));
}

#[test]
fn unexpected_text_is_bounded() {
    let long = "x".repeat(100_000);
    match parse_number(200, long.as_bytes()) {
        Err(ApiError::Unexpected { text }) => assert!(text.chars().count() <= EXCERPT_CHARS + 1),
        other => panic!("got {other:?}"),
    }
}

#[test]
fn http_status_comes_first() {
    assert_eq!(
        parse_balance(429, b"ACCESS_BALANCE:1.00"),
        Err(ApiError::RateLimited { retry_after: None })
    );
    assert_eq!(
        parse_balance(429, br#"{"title":"RATE_LIMIT","retry_after_seconds":42}"#),
        Err(ApiError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(42))
        })
    );
    let page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
    match parse_balance(502, page) {
        Err(ApiError::HttpStatus { status, excerpt }) => {
            assert_eq!(status, 502);
            assert!(excerpt.contains("Bad Gateway") && !excerpt.contains('<'));
        }
        other => panic!("got {other:?}"),
    }
    assert_eq!(
        parse_balance(401, b"BAD_KEY").unwrap_err().provider_error(),
        Some(&ProviderError::BadKey)
    );
}

#[test]
fn json_error_envelope() {
    let body = br#"{"title":"BAD_KEY","details":"The key is not valid"}"#;
    match parse_services(401, body) {
        Err(ApiError::Provider { error, details }) => {
            assert_eq!(error, ProviderError::BadKey);
            assert_eq!(details.as_deref(), Some("The key is not valid"));
        }
        other => panic!("got {other:?}"),
    }
    let body = br#"{"title":"QUOTA_GONE","details":"x"}"#;
    assert_eq!(
        parse_balance(422, body).unwrap_err().provider_error(),
        Some(&ProviderError::Unknown("QUOTA_GONE".into()))
    );
}

#[test]
fn empty_body() {
    assert_eq!(parse_balance(200, b""), Err(ApiError::Empty));
    assert_eq!(parse_status(200, b"  \r\n"), Err(ApiError::Empty));
}

#[test]
fn doc_example_services() {
    let body = r#"{
"1": [
{
"id": "vk",
"service": "Вконтакте/VKConnect",
"price": "3.12",
"qty": "1052",
"country": "22",
"provider": "1"
}
]
}"#;
    let offers = parse_services(200, body.as_bytes()).unwrap();
    assert_eq!(
        offers,
        vec![Offer {
            server: "1".into(),
            service_code: "vk".into(),
            name: "Вконтакте/VKConnect".into(),
            price: dec("3.12"),
            price_sent: None,
            qty: 1052,
            country: "22".into(),
            provider: "1".into(),
        }]
    );
}

#[test]
fn services_accept_numbers_names_and_skip_broken_offers() {
    let body = r#"{"2": [
        {"id": "wa", "service": "WhatsApp", "price": 12.5, "qty": 0, "country": "India", "provider": "Tempnum"},
        {"id": "tg", "service": "Telegram", "price": "oops", "qty": "3", "country": "22", "provider": "1"},
        {"service": "no code", "price": "1", "qty": "3"},
        {"id": "go", "price": "0.99", "qty": 7, "country": 22, "provider": 3}
    ], "3": []}"#;
    let offers = parse_services(200, body.as_bytes()).unwrap();
    assert_eq!(offers.len(), 2);
    assert_eq!(offers[0].price, dec("12.5"));
    assert!(offers[0].sold_out());
    assert_eq!(offers[0].country, "India");
    assert_eq!(offers[1].name, "go");
    assert_eq!(offers[1].country, "22");
    assert_eq!(offers[1].provider, "3");
    assert_eq!(offers[1].qty, 7);
}

#[test]
fn services_garbage_is_unexpected() {
    assert!(matches!(
        parse_services(200, b"{not json"),
        Err(ApiError::Unexpected { .. })
    ));
    assert!(matches!(
        parse_services(200, b"42"),
        Err(ApiError::Unexpected { .. })
    ));
}

proptest! {
    #[test]
    fn parsers_never_panic(status in 0u16..1000, body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _unused = parse_balance(status, &body);
        let _unused = parse_number(status, &body);
        let _unused = parse_status(status, &body);
        let _unused = parse_set_status(status, &body);
        let _unused = parse_services(status, &body);
    }

    #[test]
    fn parsers_never_panic_on_protocol_like_text(
        status in prop::sample::select(vec![200u16, 401, 429, 500]),
        word in "(ACCESS_BALANCE|ACCESS_NUMBER|STATUS_OK|STATUS_WAIT_RETRY|BANNED|WRONG_MAX_PRICE|[A-Z_]{1,12})",
        rest in "[:0-9a-zA-Z₹., {}\\[\\]\"'-]{0,40}",
    ) {
        let body = format!("{word}{rest}");
        let _unused = parse_balance(status, body.as_bytes());
        let _unused = parse_number(status, body.as_bytes());
        let _unused = parse_status(status, body.as_bytes());
        let _unused = parse_set_status(status, body.as_bytes());
        let _unused = parse_services(status, body.as_bytes());
        if let Err(e) = parse_balance(status, body.as_bytes()) {
            prop_assert!(!crate::app::describe::api_error(&e).is_empty());
        }
    }
}

#[test]
fn unusual_balances_are_kept_as_sent_and_marked() {
    for (body, shown) in [
        ("ACCESS_BALANCE:-5.00", "-5.00"),
        (
            "ACCESS_BALANCE:1234567890123456789012345678",
            "1234567890123456789012345678",
        ),
        ("ACCESS_BALANCE:1e30", "1e30"),
        ("ACCESS_BALANCE:2.5E+3 INR", "2.5E+3"),
        (
            "ACCESS_BALANCE:99999999999999999999999999999999999999",
            "99999999999999999999999999999999999999",
        ),
        ("ACCESS_BALANCE:0.000000000001", "0.000000000001"),
    ] {
        let b = parse_balance(200, body.as_bytes()).unwrap();
        assert!(b.is_unusual(), "{body}");
        assert_eq!(b.to_string(), shown, "{body}");
        assert_eq!(
            crate::app::describe::balance(&b, &crate::text::Currency::default()),
            format!("{shown} (InstaOTP sent an unusual amount)"),
            "{body}"
        );
    }
    let b = parse_balance(200, b"ACCESS_BALANCE:54.00 EUR").unwrap();
    assert!(!b.is_unusual());
    assert_eq!(b.to_string(), "54.00 EUR");
    let huge = format!("ACCESS_BALANCE:{}", "9".repeat(10_000));
    let b = parse_balance(200, huge.as_bytes()).unwrap();
    assert!(b.is_unusual() && b.to_string().chars().count() < 100);
}

#[test]
fn over_long_fields_make_the_reply_unexpected() {
    let long = "7".repeat(MAX_FIELD_CHARS + 1);
    let ok = "7".repeat(MAX_FIELD_CHARS);
    assert!(parse_number(200, format!("ACCESS_NUMBER:{ok}:+{}", &ok[1..]).as_bytes()).is_ok());
    for body in [
        format!("ACCESS_NUMBER:{long}:+919876543210"),
        format!("ACCESS_NUMBER:123:+{long}"),
    ] {
        match parse_number(200, body.as_bytes()) {
            Err(e @ (ApiError::Provider { .. } | ApiError::Unexpected { .. })) => {
                assert!(format!("{e:?}").len() < EXCERPT_CHARS * 2, "bounded");
            }
            other => panic!("got {other:?}"),
        }
    }
    assert!(parse_status(200, format!("STATUS_OK:{long}").as_bytes()).is_err());
    assert!(parse_status(200, format!("STATUS_WAIT_RETRY:{long}").as_bytes()).is_err());
    let services = format!(
        r#"{{"1":[{{"id":"wa","service":"{}","price":"1","qty":"1","country":"22","provider":"1"}}]}}"#,
        "W".repeat(MAX_FIELD_CHARS + 1)
    );
    assert!(matches!(
        parse_services(200, services.as_bytes()),
        Err(ApiError::Unexpected { .. })
    ));
}

#[test]
fn an_unusual_price_is_kept_as_sent_and_never_buyable() {
    let body = br#"{"1": [
        {"id": "wa", "service": "WhatsApp", "price": "1.2E+2", "qty": "3", "country": "22", "provider": "1"},
        {"id": "tg", "service": "Telegram", "price": "-5", "qty": "1", "country": "22", "provider": "1"},
        {"id": "vk", "service": "VK", "price": "999999999999999999999999999999", "qty": "1", "country": "22", "provider": "1"},
        {"id": "ok", "service": "OK", "price": "12.50", "qty": "1", "country": "22", "provider": "1"}
    ]}"#;
    let offers = parse_services(200, body).unwrap();
    let by_code = |c: &str| offers.iter().find(|o| o.service_code == c).unwrap();
    assert_eq!(by_code("wa").price_sent.as_deref(), Some("1.2E+2"));
    assert_eq!(by_code("tg").price_sent.as_deref(), Some("-5"));
    assert!(by_code("vk").price_sent.is_some());
    for code in ["wa", "tg", "vk"] {
        assert!(!by_code(code).has_usual_price(), "{code}");
        assert!(
            crate::app::describe::price(by_code(code), &crate::text::Currency::default())
                .contains("InstaOTP sent an unusual amount")
        );
    }
    assert!(by_code("ok").has_usual_price());
    assert_eq!(
        crate::app::describe::price(by_code("ok"), &crate::text::Currency::default()),
        "₹12.50"
    );
}
