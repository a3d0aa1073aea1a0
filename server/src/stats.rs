//! Per-connection counters for `/control/stats`, rendered as hand-written JSON.

use std::fmt::Write as _;

/// One accepted WebSocket connection, in accept order.
struct ConnStat {
    id: String,
    path: String,
    received: u64,
    open: bool,
}

/// Everything `/control/stats` reports. `/control/reset` starts a new
/// generation; handles from older generations are ignored afterwards.
#[derive(Default)]
pub struct Stats {
    generation: u64,
    accepted: u64,
    conns: Vec<ConnStat>,
    /// `id` → text payloads received on `?record=1` connections with that id,
    /// in receive order, across all of that id's connections.
    texts: Vec<(String, Vec<String>)>,
}

/// Where a connection's counters live in [`Stats`].
#[derive(Debug, Clone)]
pub struct StatHandle {
    generation: u64,
    idx: usize,
    id: String,
    record: bool,
}

impl Stats {
    pub fn open(&mut self, id: &str, path: &str, record: bool) -> StatHandle {
        self.accepted += 1;
        self.conns.push(ConnStat { id: id.to_owned(), path: path.to_owned(), received: 0, open: true });
        let record = record && !id.is_empty();
        if record && !self.texts.iter().any(|(k, _)| k == id) {
            self.texts.push((id.to_owned(), Vec::new()));
        }
        StatHandle { generation: self.generation, idx: self.conns.len() - 1, id: id.to_owned(), record }
    }

    /// Counts one data message; `text` is `Some` for text frames.
    pub fn received(&mut self, h: &StatHandle, text: Option<&str>) {
        if h.generation != self.generation {
            return;
        }
        if let Some(c) = self.conns.get_mut(h.idx) {
            c.received += 1;
        }
        if let (true, Some(t)) = (h.record, text) {
            if let Some((_, list)) = self.texts.iter_mut().find(|(k, _)| *k == h.id) {
                list.push(t.to_owned());
            }
        }
    }

    pub fn closed(&mut self, h: &StatHandle) {
        if h.generation != self.generation {
            return;
        }
        if let Some(c) = self.conns.get_mut(h.idx) {
            c.open = false;
        }
    }

    pub fn reset(&mut self) {
        self.generation += 1;
        self.accepted = 0;
        self.conns.clear();
        self.texts.clear();
    }

    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(128 + self.conns.len() * 64);
        let _ = write!(s, "{{\"accepted\":{},\"connections\":[", self.accepted);
        for (i, c) in self.conns.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str("{\"id\":");
            json_str(&mut s, &c.id);
            s.push_str(",\"path\":");
            json_str(&mut s, &c.path);
            let _ = write!(s, ",\"received\":{},\"open\":{}}}", c.received, c.open);
        }
        s.push_str("],\"receivedTexts\":{");
        for (i, (id, list)) in self.texts.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            json_str(&mut s, id);
            s.push_str(":[");
            for (j, t) in list.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                json_str(&mut s, t);
            }
            s.push(']');
        }
        // Per-id aggregates, ids in order of first appearance.
        s.push_str("},\"byId\":{");
        let mut ids: Vec<&str> = Vec::new();
        for c in &self.conns {
            if !c.id.is_empty() && !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
        for (i, id) in ids.iter().enumerate() {
            let (mut n, mut open, mut received) = (0u64, 0u64, 0u64);
            for c in self.conns.iter().filter(|c| c.id == *id) {
                n += 1;
                open += u64::from(c.open);
                received += c.received;
            }
            if i > 0 {
                s.push(',');
            }
            json_str(&mut s, id);
            let _ = write!(s, ":{{\"connections\":{n},\"open\":{open},\"received\":{received}}}");
        }
        s.push_str("}}");
        s
    }
}

/// Appends `v` as a JSON string literal.
pub fn json_str(out: &mut String, v: &str) {
    out.push('"');
    for ch in v.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
    }

    #[test]
    fn counts_and_records() {
        let mut st = Stats::default();
        let a = st.open("x", "/echo", true);
        let b = st.open("", "/echo", false);
        st.received(&a, Some("1"));
        st.received(&a, None);
        st.received(&b, Some("z"));
        st.closed(&a);
        let j = st.to_json();
        assert!(j.contains("\"accepted\":2"), "{j}");
        assert!(j.contains("{\"id\":\"x\",\"path\":\"/echo\",\"received\":2,\"open\":false}"));
        assert!(j.contains("\"receivedTexts\":{\"x\":[\"1\"]}"), "{j}");
        assert!(j.contains("\"byId\":{\"x\":{\"connections\":1,\"open\":0,\"received\":2}}"));
        st.reset();
        st.received(&a, Some("late"));
        assert_eq!(st.to_json(), "{\"accepted\":0,\"connections\":[],\"receivedTexts\":{},\"byId\":{}}");
    }
}
