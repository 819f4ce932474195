use super::*;
use crate::orders::OrderState;
use crate::orders::test_support::order;

const INTERVAL: Duration = Duration::from_secs(5);
const LIFETIME_MS: i64 = 20 * 60 * 1000;
const POLICY: PollPolicy = PollPolicy {
    interval: INTERVAL,
    lifetime_ms: LIFETIME_MS,
    rate: 4,
};

fn turn(now: Instant, room: Room) -> Turn {
    Turn {
        now,
        wall_ms: 0,
        room,
        list: Offered::No,
        list_in_flight: false,
    }
}

/// A turn `secs` after `t0`, with the wall clock moving with it.
fn at(t0: Instant, ms: u64) -> Turn {
    let mut t = turn(t0 + Duration::from_millis(ms), Room::OPEN);
    t.wall_ms = i64::try_from(ms).unwrap();
    t
}

fn with_code(id: &str) -> Order {
    let mut o = order(id, "WA", 0);
    o.code = Some("1234".into());
    o.state = OrderState::CodeReceived;
    o
}

fn plan(poller: &mut Poller, t: Turn, orders: &[Order]) -> PollPlan {
    poller.plan(t, orders.iter(), &POLICY, |_| 0, |_| false)
}

#[test]
fn waiting_orders_first_then_those_nearest_their_typical_time_then_the_longest_overdue() {
    let mut orders = vec![with_code("code")];
    orders.extend((0..4).map(|i| order(&format!("w{i}"), "WA", 0)));
    let mut tg = order("tg", "TG", 0);
    tg.service_code = "tg".into();
    orders.push(tg);
    let mut poller = Poller::default();
    // Telegram codes usually come after 60 s; the orders are 60 s old.
    poller.set_typical(HashMap::from([("tg".to_owned(), Duration::from_secs(60))]));
    let t0 = Instant::now();
    let room = Room {
        free: 2,
        next: Some(t0 + Duration::from_millis(300)),
    };
    let p = poller.plan(
        turn(t0, room),
        orders.iter(),
        &POLICY,
        |_| 60_000,
        |_| false,
    );
    assert_eq!(
        p.start,
        ["tg", "w0"],
        "near its typical time, then the list's order"
    );
    assert!(p.wake <= room.next, "the rest wait for the budget");
    let t1 = t0 + Duration::from_secs(1);
    let p = poller.plan(
        turn(t1, room),
        orders.iter(),
        &POLICY,
        |_| 60_000,
        |_| false,
    );
    assert_eq!(p.start, ["w1", "w2"], "the code waits its turn");
    let t2 = t1 + Duration::from_secs(1);
    let p = poller.plan(
        turn(t2, Room::OPEN),
        orders.iter(),
        &POLICY,
        |_| 60_000,
        |_| false,
    );
    assert_eq!(p.start, ["w3", "code"]);
}

#[test]
fn a_code_is_watched_slowly_within_a_tenth_of_the_budget_and_ended_orders_never() {
    let mut finished = with_code("done");
    finished.close(OrderState::Finished, 1);
    let mut orders = vec![finished];
    orders.extend((0..20).map(|i| with_code(&format!("c{i}"))));
    orders.push(order("w", "WA", 0));
    let mut poller = Poller::default();
    let t0 = Instant::now();
    let mut asked = HashMap::<String, u32>::new();
    // Ten minutes, a frame every 250 ms.
    for ms in (0..600_000).step_by(250) {
        for id in plan(&mut poller, at(t0, ms), &orders).start {
            *asked.entry(id).or_default() += 1;
        }
    }
    assert_eq!(asked.get("done"), None, "an ended order is never asked");
    assert_eq!(asked.get("w"), Some(&120), "every 5 s");
    // 20 orders with a code share 0.4 requests a second: each every 50 s at most, and never
    // more often than every 60 s.
    let coded: u32 = (0..20).map(|i| asked[&format!("c{i}")]).sum();
    assert!((180..=200).contains(&coded), "{coded}");
    assert_eq!(POLICY.base_interval(&orders[1], 0, 20), Some(CODE_WATCH));
    assert_eq!(
        POLICY.base_interval(&orders[1], 0, 50),
        Some(Duration::from_secs(125)),
        "50 orders with a code: one in ten of 4 a second"
    );
    let past_grace = LIFETIME_MS + GRACE_MS + 1;
    assert_eq!(POLICY.base_interval(&orders[1], past_grace, 1), None);
    assert!(POLICY.is_overdue_with_code(&orders[1], past_grace));
    let waiting = order("x", "WA", 0);
    assert_eq!(
        POLICY.base_interval(&waiting, past_grace, 0),
        Some(OVERDUE_WATCH)
    );
    assert_eq!(
        POLICY.base_interval(&waiting, LIFETIME_MS + GIVE_UP_MS + 1, 0),
        None
    );
}

#[test]
fn the_shared_budget_is_never_exceeded() {
    let orders: Vec<Order> = (0..30).map(|i| order(&i.to_string(), "WA", 0)).collect();
    let mut poller = Poller::default();
    let t0 = Instant::now();
    // The budget as the client keeps it; other requests (balance, offers) take some of it too.
    let budget = crate::api::RequestBudget::new(4);
    let mut sent: Vec<Instant> = Vec::new();
    for ms in (0..60_000).step_by(50) {
        let now = t0 + Duration::from_millis(ms);
        if ms % 2_000 == 0 && budget.room(now).free > 0 {
            // A balance request: counted by the budget only.
            sent.push(now);
            budget_take(&budget, now);
        }
        let t = turn(now, budget.room(now));
        let p = poller.plan(t, orders.iter(), &POLICY, |_| 0, |_| false);
        for _ in &p.start {
            sent.push(now);
            budget_take(&budget, now);
        }
    }
    for (i, first) in sent.iter().enumerate() {
        let in_second = sent[i..]
            .iter()
            .take_while(|t| t.duration_since(*first) < Duration::from_secs(1))
            .count();
        assert!(in_second <= 4, "{in_second} requests in a second");
    }
    assert!(sent.len() > 200, "the budget is used: {}", sent.len());
}

fn budget_take(budget: &crate::api::RequestBudget, now: Instant) {
    assert!(budget.room(now).free > 0, "asked beyond the budget");
    budget.take_at(now);
}

#[test]
fn retry_after_is_honoured_and_a_rate_limit_is_no_failure_of_the_order() {
    let orders = [order("a", "WA", 0), order("b", "WA", 0)];
    let mut poller = Poller::default();
    let t0 = Instant::now();
    assert_eq!(plan(&mut poller, at(t0, 0), &orders).start, ["a", "b"]);
    poller.failed(
        "a",
        Some(Duration::from_secs(7)),
        t0 + Duration::from_millis(100),
    );
    for ms in (200..7_100).step_by(100) {
        let p = plan(&mut poller, at(t0, ms), &orders);
        assert!(p.start.is_empty(), "paused at {ms} ms");
        assert!(p.wake.is_some());
    }
    // Right after the pause: "a" at once (no back-off), "b" as it was due.
    assert_eq!(plan(&mut poller, at(t0, 7_100), &orders).start, ["a", "b"]);
    assert_eq!(plan(&mut poller, at(t0, 12_100), &orders).start, ["a", "b"]);
}

#[test]
fn back_off_is_reset_for_every_order_when_a_request_succeeds_again() {
    let orders = [order("a", "WA", 0), order("b", "WA", 0), with_code("c")];
    let mut poller = Poller::default();
    let t0 = Instant::now();
    // An outage: every poll fails, the pauses grow to 40 s.
    let mut ms = 0;
    while ms < 50_000 {
        for id in plan(&mut poller, at(t0, ms), &orders).start {
            poller.failed(&id, None, t0 + Duration::from_millis(ms));
        }
        ms += 250;
    }
    assert!(plan(&mut poller, at(t0, ms), &orders).start.is_empty());
    // The balance answers: the waiting orders are asked at once, the one with a code is not.
    poller.request_succeeded();
    assert_eq!(
        plan(&mut poller, at(t0, ms + 250), &orders).start,
        ["a", "b"]
    );
    assert!(
        plan(&mut poller, at(t0, ms + 5_000), &orders)
            .start
            .is_empty()
    );
    assert_eq!(
        plan(&mut poller, at(t0, ms + 5_250), &orders).start,
        ["a", "b"],
        "every 5 s again, not 40"
    );
}

#[test]
fn after_a_sleep_of_the_computer_waiting_orders_are_asked_at_once() {
    let orders = [order("a", "WA", 0), order("b", "WA", 0)];
    let t0 = Instant::now();
    let slept: [fn(Instant) -> Turn; 3] = [
        // On time: "a" keeps its back-off.
        |t0| at(t0, 10_000),
        // The frame asked for at 10 s comes 35 s late (a monotonic clock that counts the sleep).
        |t0| at(t0, 45_000),
        // The monotonic clock did not count the sleep, the wall clock did.
        |t0| Turn {
            wall_ms: 3_600_000,
            ..at(t0, 10_000)
        },
    ];
    for (i, slept) in slept.into_iter().enumerate() {
        let mut poller = Poller::default();
        assert_eq!(plan(&mut poller, at(t0, 0), &orders).start, ["a", "b"]);
        for _ in 0..5 {
            poller.failed("a", None, t0);
        }
        // "a" is now backed off to 120 s; "b" is asked every 5 s.
        let p = plan(&mut poller, at(t0, 5_000), &orders);
        assert_eq!(p.start, ["a", "b"]);
        assert_eq!(p.wake, Some(t0 + Duration::from_secs(10)));
        let expected: &[&str] = if i == 0 { &["b"] } else { &["a", "b"] };
        assert_eq!(
            plan(&mut poller, slept(t0), &orders).start,
            expected,
            "case {i}"
        );
    }
}

#[test]
fn one_list_answers_for_all_and_orders_it_does_not_name_are_asked_one_by_one() {
    let orders: Vec<Order> = (0..50).map(|i| order(&i.to_string(), "WA", 0)).collect();
    let mut poller = Poller::default();
    let t0 = Instant::now();
    let listed = |ms| Turn {
        list: Offered::Yes,
        ..at(t0, ms)
    };
    let p = plan(&mut poller, listed(0), &orders);
    assert!(p.list && p.start.is_empty(), "{p:?}");
    poller.list_succeeded();
    for o in &orders {
        poller.listed(&o.order_id, o.order_id != "7");
    }
    let p = plan(&mut poller, listed(100), &orders);
    assert_eq!((p.list, p.start), (false, vec!["7".to_owned()]));
    assert_eq!(p.wake, Some(t0 + INTERVAL), "the next list");
    assert!(plan(&mut poller, listed(5_000), &orders).list);
    // Two lists fail: orders are asked one by one meanwhile.
    poller.list_failed(None, t0);
    poller.list_failed(None, t0);
    let p = plan(&mut poller, listed(10_000), &orders);
    assert!(!p.list && p.start.len() == 4, "{p:?}");
    // A provider without the list: one by one.
    let mut fresh = Poller::default();
    let p = plan(&mut fresh, at(t0, 0), &orders);
    assert!(!p.list && p.start.len() == 4);
    // Nothing watched: no list either.
    let none: Vec<Order> = Vec::new();
    assert_eq!(
        plan(&mut Poller::default(), listed(0), &none),
        PollPlan::default()
    );
}

#[test]
fn the_typical_delay_is_the_median_of_the_recent_orders_of_a_service() {
    let mut orders = Vec::new();
    for (i, delay_s) in [10, 20, 300, 30, 25].iter().enumerate() {
        let mut o = order(&i.to_string(), "WA", 1_000_000 + i64::try_from(i).unwrap());
        o.code_at = Some(o.bought_at + delay_s * 1000);
        orders.push(o);
    }
    orders.push(order("no code", "TG", 0));
    let typical = typical_delays(orders.iter());
    assert_eq!(typical.len(), 1);
    assert_eq!(typical["wa"], Duration::from_secs(25));
}

#[test]
fn an_order_long_past_its_lifetime_is_looked_at_once_a_run_never_on_a_schedule() {
    // Bought before a long weekend: the app starts again days later, InstaOTP closed it long ago.
    let orders = [order("old", "WA", 0), order("new", "WA", 0)];
    let age = |o: &Order| {
        if o.order_id == "old" {
            LIFETIME_MS + GIVE_UP_MS + 1
        } else {
            0
        }
    };
    assert!(POLICY.is_given_up(&orders[0], age(&orders[0])));
    assert!(!POLICY.is_given_up(&with_code("c"), LIFETIME_MS + GIVE_UP_MS + 1));
    let mut poller = Poller::default();
    let t0 = Instant::now();
    let run = |poller: &mut Poller, from_ms: u64| {
        let mut asked: HashMap<String, u32> = HashMap::new();
        for ms in (from_ms..from_ms + 600_000).step_by(250) {
            let p = poller.plan(at(t0, ms), orders.iter(), &POLICY, age, |_| false);
            for id in p.start {
                *asked.entry(id).or_default() += 1;
            }
        }
        asked
    };
    let asked = run(&mut poller, 0);
    assert_eq!(asked.get("old"), Some(&1), "looked at once, at start");
    assert_eq!(asked.get("new"), Some(&120));
    // The look failed (no connection); once a request gets through, one more look.
    poller.failed("old", None, t0);
    poller.request_succeeded();
    let asked = run(&mut poller, 600_000);
    assert_eq!(asked.get("old"), Some(&1));

    // Where InstaOTP has the list (or is being probed for it), the last look is still a request
    // of its own: a list may answer BAD_ACTION and tell nothing.
    let mut poller = Poller::default();
    let listed = Turn {
        list: Offered::Yes,
        ..at(t0, 0)
    };
    let p = poller.plan(listed, orders.iter(), &POLICY, age, |_| false);
    assert!(p.list);
    assert_eq!(p.start, ["old"]);
    let later = Turn {
        list: Offered::Yes,
        ..at(t0, 5_000)
    };
    let p = poller.plan(later, orders.iter(), &POLICY, age, |_| false);
    assert!(p.start.is_empty(), "{p:?}");
}
