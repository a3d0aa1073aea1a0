//! The platform-free heart of mpsocket: a sans-IO state machine per task, with the send
//! queue, heartbeat, reconnect backoff and network awareness, plus the page-wide registry,
//! close validation and every `errMsg`.
//!
//! Nothing here knows about JavaScript. Time comes in as an argument; effects go out as
//! [`machine::Command`]s. `cargo test` exercises all of it natively with a fake clock.

pub mod backoff;
pub mod base64;
pub mod close;
pub mod error;
pub mod machine;
pub mod network;
pub mod platform;
pub mod queue;
pub mod registry;

/// Milliseconds, from any monotonic origin.
pub type Millis = u64;

/// `true` when `url` starts with `ws://` or `wss://`, ignoring ASCII case.
pub fn is_ws_url(url: &str) -> bool {
    let b = url.as_bytes();
    let starts = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    starts(b"ws://") || starts(b"wss://")
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod url_tests {
    #[test]
    fn ws_urls() {
        for ok in ["ws://a", "wss://a/b?c", "WS://A", "WsS://x"] {
            assert!(super::is_ws_url(ok), "{ok}");
        }
        for bad in ["", "ws:/a", "http://a", " ws://a", "wss:", "ftp://x", "好"] {
            assert!(!super::is_ws_url(bad), "{bad}");
        }
    }
}
