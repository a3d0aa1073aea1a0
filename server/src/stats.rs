//! Per-connection counters for `/control/stats`, rendered as hand-written JSON.

use std::fmt::Write as _;

/// One accepted WebSocket connection, in accept order.
struct ConnStat {
    id: String,
    path: String,
    received: u64,
    open: bool,
    tls: bool,
}

/// A received data message, as [`Stats::received`] takes it.
pub enum Payload<'a> {
    Text(&'a str),
    Binary(&'a [u8]),
}

/// What the `record=1` connections of one id received.
#[derive(Default)]
struct Recorded {
    texts: Vec<String>,
    /// Hex of the first 8 bytes of each binary message.
    binary: Vec<String>,
}

/// Everything `/control/stats` reports. `/control/reset` starts a new
/// generation; handles from older generations are ignored afterwards.
#[derive(Default)]
pub struct Stats {
    generation: u64,
    accepted: u64,
    conns: Vec<ConnStat>,
    /// `id` → payloads received on `?record=1` connections with that id, in
    /// receive order, across all of that id's connections.
    recorded: Vec<(String, Recorded)>,
    /// `id` → (open now, most open at once).
    open_by_id: Vec<(String, u64, u64)>,
}

/// Where a connection's counters live in [`Stats`].
#[derive(Debug, Clone)]
pub struct StatHandle {
    generation: u64,
    idx: usize,
    id: String,
    record: bool,
}

/// The number of payload bytes a binary message is recorded by.
pub const BINARY_PREFIX: usize = 8;

impl Stats {
    pub fn open(&mut self, id: &str, path: &str, record: bool, tls: bool) -> StatHandle {
        self.accepted += 1;
        self.conns.push(ConnStat { id: id.to_owned(), path: path.to_owned(), received: 0, open: true, tls });
        let record = record && !id.is_empty();
        if record && !self.recorded.iter().any(|(k, _)| k == id) {
            self.recorded.push((id.to_owned(), Recorded::default()));
        }
        if !id.is_empty() {
            match self.open_by_id.iter_mut().find(|(k, _, _)| k == id) {
                Some((_, now, max)) => {
                    *now += 1;
                    *max = (*max).max(*now);
                }
                None => self.open_by_id.push((id.to_owned(), 1, 1)),
            }
        }
        StatHandle { generation: self.generation, idx: self.conns.len() - 1, id: id.to_owned(), record }
    }

    /// Counts one data message, and records it if its connection records.
    pub fn received(&mut self, h: &StatHandle, payload: Payload<'_>) {
        if h.generation != self.generation {
            return;
        }
        if let Some(c) = self.conns.get_mut(h.idx) {
            c.received += 1;
        }
        if !h.record {
            return;
        }
        if let Some((_, rec)) = self.recorded.iter_mut().find(|(k, _)| *k == h.id) {
            match payload {
                Payload::Text(t) => rec.texts.push(t.to_owned()),
                Payload::Binary(b) => rec.binary.push(hex(&b[..b.len().min(BINARY_PREFIX)])),
            }
        }
    }

    pub fn closed(&mut self, h: &StatHandle) {
        if h.generation != self.generation {
            return;
        }
        if let Some(c) = self.conns.get_mut(h.idx) {
            if !c.open {
                return;
            }
            c.open = false;
        }
        if let Some((_, now, _)) = self.open_by_id.iter_mut().find(|(k, _, _)| *k == h.id) {
            *now = now.saturating_sub(1);
        }
    }

    pub fn reset(&mut self) {
        self.generation += 1;
        self.accepted = 0;
        self.conns.clear();
        self.recorded.clear();
        self.open_by_id.clear();
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
            let _ = write!(s, ",\"received\":{},\"open\":{},\"tls\":{}}}", c.received, c.open, c.tls);
        }
        s.push_str("],\"receivedTexts\":");
        self.recorded_json(&mut s, |r| &r.texts);
        s.push_str(",\"receivedBinary\":");
        self.recorded_json(&mut s, |r| &r.binary);
        s.push(',');
        self.by_id_json(&mut s);
        s.push('}');
        s
    }

    /// `{"accepted":N,"byId":{…}}`: cheap enough to poll often.
    pub fn to_json_brief(&self) -> String {
        let mut s = format!("{{\"accepted\":{},", self.accepted);
        self.by_id_json(&mut s);
        s.push('}');
        s
    }

    fn recorded_json(&self, s: &mut String, pick: impl Fn(&Recorded) -> &Vec<String>) {
        s.push('{');
        for (i, (id, rec)) in self.recorded.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            json_str(s, id);
            s.push_str(":[");
            for (j, t) in pick(rec).iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                json_str(s, t);
            }
            s.push(']');
        }
        s.push('}');
    }

    /// `"byId":{…}`: per-id aggregates, ids in order of first appearance.
    fn by_id_json(&self, s: &mut String) {
        s.push_str("\"byId\":{");
        for (i, (id, _, max_open)) in self.open_by_id.iter().enumerate() {
            let (mut n, mut open, mut received) = (0u64, 0u64, 0u64);
            for c in self.conns.iter().filter(|c| c.id == *id) {
                n += 1;
                open += u64::from(c.open);
                received += c.received;
            }
            if i > 0 {
                s.push(',');
            }
            json_str(s, id);
            let _ =
                write!(s, ":{{\"connections\":{n},\"open\":{open},\"maxOpen\":{max_open},\"received\":{received}}}");
        }
        s.push('}');
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
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
        let a = st.open("x", "/echo", true, false);
        let b = st.open("", "/echo", false, true);
        st.received(&a, Payload::Text("1"));
        st.received(&a, Payload::Binary(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
        st.received(&a, Payload::Binary(&[0xab]));
        st.received(&b, Payload::Text("z"));
        st.closed(&a);
        st.closed(&a);
        let j = st.to_json();
        assert!(j.contains("\"accepted\":2"), "{j}");
        assert!(j.contains("{\"id\":\"x\",\"path\":\"/echo\",\"received\":3,\"open\":false,\"tls\":false}"), "{j}");
        assert!(j.contains("{\"id\":\"\",\"path\":\"/echo\",\"received\":1,\"open\":true,\"tls\":true}"), "{j}");
        assert!(j.contains("\"receivedTexts\":{\"x\":[\"1\"]}"), "{j}");
        assert!(j.contains("\"receivedBinary\":{\"x\":[\"0001020304050607\",\"ab\"]}"), "{j}");
        assert!(j.contains("\"byId\":{\"x\":{\"connections\":1,\"open\":0,\"maxOpen\":1,\"received\":3}}"), "{j}");
        st.reset();
        st.received(&a, Payload::Text("late"));
        assert_eq!(
            st.to_json(),
            "{\"accepted\":0,\"connections\":[],\"receivedTexts\":{},\"receivedBinary\":{},\"byId\":{}}"
        );
    }

    #[test]
    fn max_open_per_id() {
        let mut st = Stats::default();
        let a = st.open("x", "/echo", false, false);
        let b = st.open("x", "/echo", false, false);
        st.closed(&a);
        let c = st.open("x", "/echo", false, false);
        st.closed(&b);
        st.closed(&c);
        let _d = st.open("x", "/echo", false, false);
        assert_eq!(
            st.to_json_brief(),
            "{\"accepted\":4,\"byId\":{\"x\":{\"connections\":4,\"open\":1,\"maxOpen\":2,\"received\":0}}}"
        );
    }
}
