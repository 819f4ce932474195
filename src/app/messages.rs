//! What the app says. Confirmations ("Bought …", "Number copied") fade after a few seconds;
//! problems stay until dismissed, the same one counted on one line instead of repeated. Everything
//! said is also kept, with its time, in the Activity list (the last [`ACTIVITY_LEN`]).
//!
//! Times are egui's input time (`ctx.input(|i| i.time)`, given to [`Messages::tick`] each frame),
//! so a fade follows the frames (and tests can step through it); the wall clock is kept for the
//! "14:05" a person reads.

use std::collections::VecDeque;

use crate::orders::{Millis, now_millis};

pub use crate::vocab::MessageKind as Kind;

#[derive(Debug, Clone)]
pub struct Message {
    pub id: u64,
    pub kind: Kind,
    pub text: String,
    /// A reply the app did not understand, shown as it came (the latest one).
    pub raw: Option<String>,
    /// How many times it was said since it showed.
    pub count: u32,
    /// When it was said last, in egui's input time (seconds).
    pub at: f64,
    /// When it was said last, on the wall clock.
    pub wall: Millis,
    /// A way on, offered with the message: another offer to buy instead. One click opens the
    /// usual confirmation for one number.
    pub buy_instead: Option<BuyInstead>,
}

/// Another offer to buy instead, with its button's words and whose offer it is.
#[derive(Debug, Clone)]
pub struct BuyInstead {
    pub label: String,
    pub offer: Box<crate::api::Offer>,
    /// Another provider's id; `None`: InstaOTP's offer.
    pub provider: Option<String>,
}

/// One line of the Activity list.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    pub text: String,
    /// Said this many times in a row.
    pub count: u32,
    pub wall: Millis,
}

/// How long a confirmation shows, in seconds; it is dimmed over the last [`DIM_SECS`].
pub const SHOW_SECS: f64 = 5.0;
pub const DIM_SECS: f64 = 1.0;
/// The most messages kept on screen (problems pile up only until this many; the oldest go).
const MAX_MESSAGES: usize = 50;
/// The Activity list keeps this many entries; the oldest go.
pub const ACTIVITY_LEN: usize = 200;

#[derive(Default)]
pub struct Messages {
    list: Vec<Message>,
    activity: VecDeque<Entry>,
    next_id: u64,
    /// The input time of the current frame.
    now: f64,
    /// The provider (id, name) whose answers and commands are being run: what is said then
    /// starts with its name.
    source: Option<(String, String)>,
}

impl Messages {
    /// Sets the current input time and lets the confirmations that have shown long enough go.
    pub fn tick(&mut self, now: f64) {
        self.now = now;
        self.list
            .retain(|m| !m.kind.fades() || now - m.at < SHOW_SECS);
    }

    /// What is said from now on is about this provider (`None`: InstaOTP, or the app).
    pub fn set_source(&mut self, source: Option<(String, String)>) {
        self.source = source;
    }

    pub fn push(&mut self, kind: Kind, text: impl Into<String>, raw: Option<String>) {
        let text = match &self.source {
            Some((_, name)) => crate::text::from_provider(name, &text.into()),
            None => text.into(),
        };
        let raw = raw.filter(|r| !r.trim().is_empty());
        let wall = now_millis();
        self.log(kind, &text, wall);
        // The same sentence again is one line, counted, moved to the top.
        let (count, raw) = match self.list.iter().position(|m| m.text == text) {
            Some(i) => {
                let before = self.list.remove(i);
                (before.count.saturating_add(1), raw.or(before.raw))
            }
            None => (1, raw),
        };
        self.next_id += 1;
        self.list.push(Message {
            id: self.next_id,
            kind,
            text,
            raw,
            count,
            at: self.now,
            wall,
            buy_instead: None,
        });
        if self.list.len() > MAX_MESSAGES {
            self.list.remove(0);
        }
    }

    fn log(&mut self, kind: Kind, text: &str, wall: Millis) {
        if let Some(last) = self.activity.back_mut()
            && last.text == text
        {
            last.count = last.count.saturating_add(1);
            last.wall = wall;
            return;
        }
        self.activity.push_back(Entry {
            kind,
            text: text.to_owned(),
            count: 1,
            wall,
        });
        if self.activity.len() > ACTIVITY_LEN {
            self.activity.pop_front();
        }
    }

    /// Gives the newest message a way on: a button that opens the confirmation for `offer`, an
    /// offer of `provider` (another provider's id; `None`: InstaOTP's).
    pub fn offer_instead(
        &mut self,
        label: String,
        offer: crate::api::Offer,
        provider: Option<String>,
    ) {
        if let Some(last) = self.list.last_mut() {
            last.buy_instead = Some(BuyInstead {
                label,
                offer: Box::new(offer),
                provider,
            });
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Kind::Info, text, None);
    }

    pub fn success(&mut self, text: impl Into<String>) {
        self.push(Kind::Success, text, None);
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.push(Kind::Warning, text, None);
    }

    pub fn warn_raw(&mut self, text: impl Into<String>, raw: Option<String>) {
        self.push(Kind::Warning, text, raw);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Kind::Error, text, None);
    }

    pub fn error_raw(&mut self, text: impl Into<String>, raw: Option<String>) {
        self.push(Kind::Error, text, raw);
    }

    pub fn dismiss(&mut self, id: u64) {
        self.list.retain(|m| m.id != id);
    }

    /// The messages on screen, oldest first.
    pub fn list(&self) -> &[Message] {
        &self.list
    }

    /// The Activity list, oldest first.
    pub fn activity(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.activity.iter()
    }

    /// A confirmation in its last [`DIM_SECS`] is drawn dimmed, then goes: two repaints in all,
    /// not an animation (the window is open all day).
    pub fn dimmed(&self, m: &Message) -> bool {
        m.kind.fades() && self.now >= m.at + SHOW_SECS - DIM_SECS
    }

    /// When the screen next needs drawing for a fade: `None` when nothing fades.
    pub fn next_change(&self) -> Option<std::time::Duration> {
        let now = self.now;
        self.list
            .iter()
            .filter(|m| m.kind.fades())
            .map(|m| {
                let dims = m.at + SHOW_SECS - DIM_SECS;
                let goes = m.at + SHOW_SECS;
                if now < dims { dims - now } else { goes - now }
            })
            .min_by(f64::total_cmp)
            .map(|secs| std::time::Duration::from_secs_f64(secs.max(0.0)))
    }

    /// All texts on screen, oldest first (for tests and the log).
    pub fn texts(&self) -> Vec<String> {
        self.list.iter().map(|m| m.text.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmations_fade_problems_stay_and_repeats_are_counted() {
        let mut m = Messages::default();
        m.tick(10.0);
        m.success("Bought");
        m.error_raw("Broken", Some("raw 1".into()));
        m.tick(11.0);
        m.error_raw("Broken", Some("raw 2".into()));
        m.error("Broken");
        assert_eq!(m.texts(), ["Bought", "Broken"]);
        let broken = &m.list()[1];
        assert_eq!(broken.count, 3);
        assert_eq!(broken.at, 11.0);
        assert_eq!(
            broken.raw.as_deref(),
            Some("raw 2"),
            "the latest reply, once"
        );
        // Fading starts after 4 s, ends at 5 s; the repaint is asked for just then.
        assert_eq!(m.next_change(), Some(std::time::Duration::from_secs(3)));
        m.tick(14.5);
        assert!(m.dimmed(&m.list()[0]));
        assert!(!m.dimmed(&m.list()[1]), "a problem is never dimmed");
        assert_eq!(m.next_change(), Some(std::time::Duration::from_millis(500)));
        m.tick(15.0);
        assert_eq!(m.texts(), ["Broken"]);
        assert_eq!(m.next_change(), None, "a problem asks for no repaint");
        // The Activity list keeps everything, repeats in a row counted.
        let activity: Vec<_> = m.activity().map(|e| (e.text.as_str(), e.count)).collect();
        assert_eq!(activity, [("Bought", 1), ("Broken", 3)]);
    }

    #[test]
    fn activity_keeps_the_last_200() {
        let mut m = Messages::default();
        for i in 0..250 {
            m.info(format!("note {i}"));
        }
        assert_eq!(m.activity().len(), ACTIVITY_LEN);
        assert_eq!(
            m.activity().next().map(|e| e.text.as_str()),
            Some("note 50")
        );
        assert_eq!(
            m.activity().last().map(|e| e.text.as_str()),
            Some("note 249")
        );
    }
}
