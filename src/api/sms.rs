//! An SMS as resellers send it: the code alone, `STATUS_OK:<text>`, or free text that starts with
//! a sender id (`AMAZON: 482913 is your code`, `SBI: …`, `OTP: …`). Picks out the likely code.

/// A code: 4 to 8 digits.
fn is_code(text: &str) -> bool {
    (4..=8).contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit())
}

/// Words before a number that make it an amount of money, not a code.
const MONEY_MARKS: [&str; 7] = ["rs", "rs.", "inr", "₹", "$", "usd", "amount"];

/// The code to show large and copy from an SMS: the text itself when it is a code, else the first
/// run of 4 to 8 digits in it that is not an amount of money (digits split by a dash or a space,
/// "12-34", "123 456", are one code), else `None`.
pub fn likely_code(sms: &str) -> Option<String> {
    let text = sms.trim();
    if is_code(text) {
        return Some(text.to_owned());
    }
    let in_run = |c: char| c.is_ascii_digit() || c == '-' || c == ' ';
    let mut start = None;
    let mut candidates = Vec::new();
    for (i, c) in text.char_indices().chain([(text.len(), '\0')]) {
        match (start, in_run(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                candidates.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    candidates.into_iter().find_map(|(s, e)| {
        let run = text.get(s..e)?;
        let lead = run.len() - run.trim_start_matches([' ', '-']).len();
        let tail = run.len() - run.trim_end_matches([' ', '-']).len();
        let joined = run.trim_matches([' ', '-']).replace(['-', ' '], "");
        let before = text.get(..s + lead)?.trim_end().to_lowercase();
        let after = text.get(e - tail..)?;
        let amount = MONEY_MARKS.iter().any(|m| before.ends_with(m))
            || (after.starts_with(['.', ','])
                && after.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
        (is_code(&joined) && !amount).then_some(joined)
    })
}

/// A reply to getStatus that is an SMS sent without the `STATUS_OK:` prefix: readable text with a
/// likely code in it, whatever word it starts with (a sender id such as `AMAZON:` or `OTP:`), but
/// not a word of the protocol family (`STATUS_NEW:1234`, `ERROR_5000`: capitals joined by `_`).
/// Anything else (junk, a page) stays "not understood" and is shown raw.
pub fn is_free_text_sms(reply: &str) -> bool {
    let text = reply.trim();
    let readable = !text.is_empty()
        && !text.starts_with(['<', '{', '['])
        && !text
            .chars()
            .any(|c| c == char::REPLACEMENT_CHARACTER || (c.is_control() && !c.is_whitespace()));
    let first = text.split([':', ' ']).next().unwrap_or_default();
    let protocol_word = first.contains('_')
        && first
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    readable && !protocol_word && likely_code(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row: the SMS as it came → the code shown large (`None`: no code in it).
    #[test]
    fn the_code_is_picked_out_of_what_resellers_send() {
        let rows: [(&str, Option<&str>); 16] = [
            ("123456", Some("123456")),
            ("Your code: 12-34", Some("1234")),
            ("G-482913 is your Google verification code.", Some("482913")),
            ("AMAZON: 482913 is your code", Some("482913")),
            ("SBI: Your OTP is 7788 for txn of Rs 5000", Some("7788")),
            ("SBI: Rs 5000 debited. OTP is 778899", Some("778899")),
            ("HDFC: INR 1,250.00 spent. Code 4455", Some("4455")),
            ("OTP: 901 234", Some("901234")),
            (
                "AX-PAYTM\nYour code is\n556677\nDo not share",
                Some("556677"),
            ),
            ("Telegram code 12-345", Some("12345")),
            ("VM-SWIGGY: 3344 is your OTP. Valid 10 min.", Some("3344")),
            ("₹ 2500 refunded", None),
            ("Amount 1234.50 received", None),
            ("Welcome! Reply STOP to end", None),
            ("call 123", None),
            ("", None),
        ];
        for (sms, code) in rows {
            assert_eq!(likely_code(sms).as_deref(), code, "{sms:?}");
        }
    }

    /// Every row: a getStatus reply → is it an SMS sent as text?
    #[test]
    fn an_sms_is_told_from_protocol_words_and_junk() {
        let rows: [(&str, bool); 17] = [
            ("Your WhatsApp code is 123-456", true),
            ("482913", true),
            ("G-482913 is your Google verification code.", true),
            ("AMAZON: 482913 is your code", true),
            ("SBI: 778899 is your OTP", true),
            ("OTP: 4821", true),
            ("AX-HDFCBK: Code 4455 for login", true),
            ("STATUS_SOMETHING_NEW", false),
            ("STATUS_NEW:123456", false),
            ("ERROR_5000", false),
            ("SERVER_BUSY", false),
            ("<html>502 Bad Gateway 123456</html>", false),
            ("{\"code\": 123456}", false),
            ("\u{fffd}\u{fffd}ACCESS_ 1234", false),
            ("\u{1b}[31m 123456", false),
            ("Welcome! Reply STOP to end", false),
            ("", false),
        ];
        for (reply, sms) in rows {
            assert_eq!(is_free_text_sms(reply), sms, "{reply:?}");
        }
    }
}
