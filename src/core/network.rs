//! Network status as the mini-program API reports it (contract A4): the mapping from
//! `navigator.onLine` and `navigator.connection` to `networkType`, and the de-duplication
//! that makes listeners hear each real change once.

/// What the runtime tells us; `None` where it tells nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals<'a> {
    /// `navigator.onLine`.
    pub on_line: Option<bool>,
    /// `navigator.connection.type`.
    pub kind: Option<&'a str>,
    /// `navigator.connection.effectiveType`.
    pub effective: Option<&'a str>,
}

/// `{isConnected, networkType}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// `false` only when the runtime says it is offline.
    pub is_connected: bool,
    /// `wifi | 2g | 3g | 4g | 5g | unknown | none`.
    pub network_type: &'static str,
    /// The connection is 2g or slow-2g.
    pub weak: bool,
}

fn effective_type(e: Option<&str>) -> &'static str {
    match e {
        Some("slow-2g") | Some("2g") => "2g",
        Some("3g") => "3g",
        Some("4g") => "4g",
        Some("5g") => "5g",
        _ => "unknown",
    }
}

/// Maps the runtime's signals to a [`Status`]. Where the runtime gives no signal at all the
/// answer is connected and `unknown`.
pub fn status(s: Signals<'_>) -> Status {
    if s.on_line == Some(false) {
        return Status { is_connected: false, network_type: "none", weak: false };
    }
    let network_type = match s.kind {
        Some("wifi") | Some("ethernet") => "wifi",
        Some("cellular") | None => effective_type(s.effective),
        Some(_) => "unknown",
    };
    let weak = matches!(s.effective, Some("slow-2g") | Some("2g")) && network_type == "2g";
    Status { is_connected: true, network_type, weak }
}

/// Remembers the last status reported so that one transition reported by two events
/// (`offline` and a connection `change`) is heard once.
#[derive(Debug, Default, Clone)]
pub struct Tracker {
    last: Option<Status>,
}

/// What changed since the last report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changes {
    /// `{isConnected, networkType}` changed.
    pub status: bool,
    /// `{weakNet, networkType}` changed.
    pub weak: bool,
}

impl Tracker {
    /// Starts from `initial` without reporting it.
    pub fn seed(&mut self, initial: Status) {
        if self.last.is_none() {
            self.last = Some(initial);
        }
    }

    /// Records `now` and says what listeners must hear.
    pub fn update(&mut self, now: Status) -> Changes {
        let changes = match self.last {
            None => Changes { status: true, weak: true },
            Some(prev) => Changes {
                status: prev.is_connected != now.is_connected || prev.network_type != now.network_type,
                weak: prev.weak != now.weak || prev.network_type != now.network_type,
            },
        };
        self.last = Some(now);
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nt(on_line: Option<bool>, kind: Option<&str>, effective: Option<&str>) -> &'static str {
        status(Signals { on_line, kind, effective }).network_type
    }

    #[test]
    fn mapping() {
        assert_eq!(nt(None, None, None), "unknown");
        assert!(status(Signals::default()).is_connected);
        assert_eq!(nt(Some(false), Some("wifi"), Some("4g")), "none");
        assert_eq!(nt(Some(true), Some("wifi"), Some("2g")), "wifi");
        assert_eq!(nt(Some(true), Some("ethernet"), None), "wifi");
        assert_eq!(nt(Some(true), Some("cellular"), Some("slow-2g")), "2g");
        assert_eq!(nt(Some(true), Some("cellular"), Some("3g")), "3g");
        assert_eq!(nt(Some(true), None, Some("4g")), "4g");
        assert_eq!(nt(Some(true), Some("bluetooth"), Some("4g")), "unknown");
        assert_eq!(nt(Some(true), Some("cellular"), Some("6g")), "unknown");
        assert!(status(Signals { on_line: Some(true), kind: Some("cellular"), effective: Some("slow-2g") }).weak);
        assert!(!status(Signals { on_line: Some(true), kind: Some("wifi"), effective: Some("2g") }).weak);
    }

    #[test]
    fn one_transition_is_heard_once() {
        let mut t = Tracker::default();
        let online = status(Signals { on_line: Some(true), kind: None, effective: Some("4g") });
        let offline = status(Signals { on_line: Some(false), kind: None, effective: Some("4g") });
        t.seed(online);
        assert_eq!(t.update(online), Changes::default());
        assert_eq!(t.update(offline), Changes { status: true, weak: true });
        // The connection `change` event of the same transition.
        assert_eq!(t.update(offline), Changes::default());
        let slow = status(Signals { on_line: Some(true), kind: None, effective: Some("2g") });
        assert_eq!(t.update(slow), Changes { status: true, weak: true });
    }
}
