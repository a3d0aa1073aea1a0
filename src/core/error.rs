//! Every failure mpsocket reports, and the one place that turns each into its `errMsg`
//! string (contract A1–A3, B1).
//!
//! Strings are built with `push_str` rather than `format!`, to keep the formatting machinery
//! out of the wasm binary.

use super::close::{CloseError, MAX_REASON_BYTES};

/// A failure reported to user code through `fail` or `onError`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The options argument is not an object; carries the JS type name (`Undefined`, `Number`…).
    OptionsNotObject(&'static str),
    /// An option has the wrong type: `(api, key, expected, actual)`.
    ParamType {
        /// `connectSocket`, `closeSocket`, …
        api: &'static str,
        /// The option's name, e.g. `url`.
        key: &'static str,
        /// The expected type name, e.g. `String`.
        expected: &'static str,
        /// The JS type name of what was given.
        actual: &'static str,
    },
    /// `url` does not start with `ws://` or `wss://`.
    InvalidUrl(String),
    /// The limit on live tasks was reached; carries the limit.
    TooManyTasks(u32),
    /// The connection could not be established or broke with an error.
    ConnectionFailed,
    /// The handshake did not complete within `timeout` ms.
    ConnectTimeout,
    /// The heartbeat declared the connection dead.
    HeartbeatTimeout,
    /// Reconnect gave up: retries ran out or `shouldReconnect` declined.
    ReconnectGaveUp,
    /// `SocketTask.send` while not OPEN and without a queue.
    TaskNotOpen,
    /// A legacy global (`sendSocketMessage`, `closeSocket`) with no bound task to act on.
    NotConnected(&'static str),
    /// `send` data is neither a string, an ArrayBuffer nor an ArrayBufferView.
    BadData,
    /// The queue was full and its policy dropped this message.
    QueueFull,
    /// The task closed for good before the message could be sent.
    TaskClosed,
    /// `close` with a code or reason the browser would refuse.
    Close(CloseError),
    /// The underlying socket refused an operation; carries its message.
    Socket(&'static str, String),
    /// Reading an option threw (a throwing getter, a revoked Proxy): `(api, key)`.
    Unreadable(&'static str, &'static str),
    /// A message was dropped before it was sent or failed: an internal error, reported so that
    /// its callbacks still settle.
    Dropped,
}

/// JS type name of a value, as `Object.prototype.toString` spells it.
pub type TypeName = &'static str;

impl Error {
    /// The exact `errMsg` string for this failure.
    pub fn err_msg(&self) -> String {
        let mut s = String::with_capacity(64);
        match self {
            Error::OptionsNotObject(t) => {
                s.push_str("connectSocket:fail parameter error: parameter should be Object instead of ");
                s.push_str(t);
                s.push(';');
            }
            Error::ParamType { api, key, expected, actual } => {
                s.push_str(api);
                s.push_str(":fail parameter error: parameter.");
                s.push_str(key);
                s.push_str(" should be ");
                s.push_str(expected);
                s.push_str(" instead of ");
                s.push_str(actual);
                s.push(';');
            }
            Error::InvalidUrl(url) => {
                s.push_str("connectSocket:fail invalid url \"");
                s.push_str(url);
                s.push('"');
            }
            Error::TooManyTasks(n) => {
                s.push_str("connectSocket:fail fail reach max websocket connect count ");
                push_u64(&mut s, u64::from(*n));
            }
            Error::ConnectionFailed => s.push_str("connectSocket:fail WebSocket connection failed"),
            Error::ConnectTimeout => s.push_str("connectSocket:fail timeout"),
            Error::HeartbeatTimeout => s.push_str("SocketTask:fail heartbeat timeout"),
            Error::ReconnectGaveUp => s.push_str("connectSocket:fail reconnect gave up"),
            Error::TaskNotOpen => s.push_str("SocketTask.send:fail SocketTask.readyState is not OPEN"),
            Error::NotConnected(api) => {
                s.push_str(api);
                s.push_str(":fail WebSocket is not connected");
            }
            Error::BadData => s.push_str("sendSocketMessage:fail data must be string or ArrayBuffer"),
            Error::QueueFull => s.push_str("sendSocketMessage:fail queue full"),
            Error::TaskClosed => s.push_str("sendSocketMessage:fail task closed"),
            Error::Close(CloseError::InvalidCode(c)) => {
                s.push_str("closeSocket:fail invalid code ");
                push_f64(&mut s, *c);
                s.push_str(": must be 1000 or between 3000 and 4999");
            }
            Error::Close(CloseError::ReasonTooLong(n)) => {
                s.push_str("closeSocket:fail reason is ");
                push_u64(&mut s, *n as u64);
                s.push_str(" bytes of UTF-8, more than ");
                push_u64(&mut s, MAX_REASON_BYTES as u64);
            }
            Error::Socket(api, msg) => {
                s.push_str(api);
                s.push_str(":fail ");
                s.push_str(msg);
            }
            Error::Dropped => {
                s.push_str("sendSocketMessage:fail the message was dropped before it was sent (internal error)")
            }
            Error::Unreadable(api, key) => {
                s.push_str(api);
                s.push_str(":fail parameter error: parameter");
                if !key.is_empty() {
                    s.push('.');
                    s.push_str(key);
                }
                s.push_str(" could not be read (a getter or Proxy threw);");
            }
        }
        s
    }

    /// The error as the legacy `sendSocketMessage` reports it: WeChat says "not connected"
    /// where a task's own `send` says "readyState is not OPEN".
    pub fn legacy(self) -> Error {
        match self {
            Error::TaskNotOpen => Error::NotConnected("sendSocketMessage"),
            e => e,
        }
    }
}

/// Appends the decimal digits of `n`.
pub fn push_u64(s: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        s.push(b as char);
    }
}

/// Appends a number the way JavaScript writes it for ordinary values: integers without a
/// fraction, other values with the fewest decimals (up to 15) that give the number back
/// exactly, so `3000.9999997` reads `3000.9999997`, never a rounded `3001` that looks valid.
pub fn push_f64(s: &mut String, n: f64) {
    if n.is_nan() {
        s.push_str("NaN");
        return;
    }
    if n.is_infinite() {
        s.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if n < 0.0 {
        s.push('-');
    }
    let a = n.abs();
    if a >= 1e15 || a.fract() == 0.0 {
        if a >= 1e19 {
            s.push_str("(huge)");
        } else {
            push_u64(s, a as u64);
        }
        return;
    }
    let mut scale = 1.0f64;
    for decimals in 1..=15u32 {
        scale *= 10.0;
        let scaled = (a * scale).round();
        if scaled >= 9.0e15 || decimals == 15 || scaled / scale == a {
            let digits = scaled as u64;
            let int = digits / 10u64.pow(decimals);
            let mut frac = digits % 10u64.pow(decimals);
            let mut width = decimals;
            while width > 1 && frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            push_u64(s, int);
            if frac != 0 {
                s.push('.');
                let mut tmp = String::new();
                push_u64(&mut tmp, frac);
                for _ in tmp.len()..width as usize {
                    s.push('0');
                }
                s.push_str(&tmp);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_strings() {
        assert_eq!(
            Error::ParamType { api: "connectSocket", key: "url", expected: "String", actual: "Undefined" }.err_msg(),
            "connectSocket:fail parameter error: parameter.url should be String instead of Undefined;"
        );
        assert_eq!(
            Error::OptionsNotObject("Number").err_msg(),
            "connectSocket:fail parameter error: parameter should be Object instead of Number;"
        );
        assert_eq!(Error::InvalidUrl("http://x".into()).err_msg(), "connectSocket:fail invalid url \"http://x\"");
        assert_eq!(Error::TooManyTasks(5).err_msg(), "connectSocket:fail fail reach max websocket connect count 5");
        assert_eq!(Error::ConnectionFailed.err_msg(), "connectSocket:fail WebSocket connection failed");
        assert_eq!(Error::ConnectTimeout.err_msg(), "connectSocket:fail timeout");
        assert_eq!(Error::TaskNotOpen.err_msg(), "SocketTask.send:fail SocketTask.readyState is not OPEN");
        assert_eq!(
            Error::NotConnected("sendSocketMessage").err_msg(),
            "sendSocketMessage:fail WebSocket is not connected"
        );
        assert_eq!(Error::BadData.err_msg(), "sendSocketMessage:fail data must be string or ArrayBuffer");
        assert_eq!(Error::QueueFull.err_msg(), "sendSocketMessage:fail queue full");
        assert_eq!(Error::TaskClosed.err_msg(), "sendSocketMessage:fail task closed");
        assert_eq!(
            Error::Close(CloseError::InvalidCode(1001.0)).err_msg(),
            "closeSocket:fail invalid code 1001: must be 1000 or between 3000 and 4999"
        );
        assert_eq!(
            Error::Close(CloseError::ReasonTooLong(124)).err_msg(),
            "closeSocket:fail reason is 124 bytes of UTF-8, more than 123"
        );
    }

    #[test]
    fn numbers() {
        let f = |n: f64| {
            let mut s = String::new();
            push_f64(&mut s, n);
            s
        };
        assert_eq!(f(0.0), "0");
        assert_eq!(f(3000.5), "3000.5");
        assert_eq!(f(-1.25), "-1.25");
        assert_eq!(f(0.001), "0.001");
        assert_eq!(f(3000.9999997), "3000.9999997");
        assert_eq!(f(999.5), "999.5");
        assert_eq!(f(0.1 + 0.2), "0.3", "15 decimals at most");
        assert_eq!(f(-0.0), "0");
        assert_eq!(f(f64::NAN), "NaN");
        assert_eq!(f(18446744073709551615.0), "(huge)");
        let mut s = String::new();
        push_u64(&mut s, u64::MAX);
        assert_eq!(s, "18446744073709551615");
    }
}
