//! Messages that matter stay on screen until the user dismisses them (toasts vanish, and screen
//! readers never see them).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: u64,
    pub kind: Kind,
    pub text: String,
    /// A reply the app did not understand, shown as it came.
    pub raw: Option<String>,
}

/// The most messages kept; the oldest go first.
const MAX_MESSAGES: usize = 6;

#[derive(Default)]
pub struct Messages {
    list: Vec<Message>,
    next_id: u64,
}

impl Messages {
    pub fn push(&mut self, kind: Kind, text: impl Into<String>, raw: Option<String>) {
        let text = text.into();
        // The same sentence twice in a row says nothing new.
        self.list.retain(|m| m.text != text);
        self.next_id += 1;
        self.list.push(Message {
            id: self.next_id,
            kind,
            text,
            raw,
        });
        if self.list.len() > MAX_MESSAGES {
            self.list.remove(0);
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

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Kind::Error, text, None);
    }

    pub fn error_raw(&mut self, text: impl Into<String>, raw: Option<String>) {
        self.push(Kind::Error, text, raw);
    }

    pub fn dismiss(&mut self, id: u64) {
        self.list.retain(|m| m.id != id);
    }

    pub fn list(&self) -> &[Message] {
        &self.list
    }

    /// All texts, newest last (for tests and the log).
    pub fn texts(&self) -> Vec<String> {
        self.list.iter().map(|m| m.text.clone()).collect()
    }
}
