//! Validation of `connectSocket` / `createSocketTask` options. The edge reads the user's
//! object once, each key inside its own `try`, into a flat snapshot (see `SNAPSHOT` in
//! `pkg-template/edge.js`); everything here decides on that snapshot. Every malformed input
//! becomes an [`Error`] with the contract's `errMsg`; nothing here can throw or panic.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::engine::backoff::ReconnectConfig;
use crate::engine::error::Error;
use crate::engine::machine::{Config, HeartbeatConfig};
use crate::engine::queue::{Overflow, QueueConfig};
use crate::web::edge::type_name;

/// Snapshot slots (the order of the edge's `CONNECT_KEYS`).
const URL: u32 = 0;
const HEADER: u32 = 1;
const PROTOCOLS: u32 = 2;
const TIMEOUT: u32 = 3;
const QUEUE: u32 = 4;
const HEARTBEAT: u32 = 5;
const RECONNECT: u32 = 6;
const WEBSOCKET: u32 = 7;
const DEBUG: u32 = 8;
const SSL_VERIFY: u32 = 9;
/// Sub-snapshots of the three feature objects.
const SUB: u32 = 10;

/// Longest accepted URL, in UTF-8 bytes. Far beyond any real URL; a multi-megabyte one has
/// crashed a browser renderer.
pub const MAX_URL: usize = 64 * 1024;

/// What the edge configures on its side of a task (see `edge.setup`).
pub struct EdgeSetup {
    pub flags: u32,
    pub ping: JsValue,
    pub pong: JsValue,
    pub should: JsValue,
}

/// Everything `connectSocket` needs to create a task.
pub struct Parsed {
    pub url: JsValue,
    pub protocols: JsValue,
    /// `undefined` means the page default.
    pub ctor: JsValue,
    pub config: Config,
    pub edge: EdgeSetup,
    pub debug: bool,
    pub header_keys: u32,
    pub ssl_verify_off: bool,
}

struct Snap<'a> {
    arr: &'a Array,
    threw: &'a JsValue,
    obj: &'a JsValue,
}

const API: &str = "connectSocket";

fn param(key: &'static str, expected: &'static str, v: &JsValue) -> Error {
    Error::ParamType { api: API, key, expected, actual: type_name(v) }
}

impl Snap<'_> {
    /// Slot `i`; a read that threw is an error naming `key`.
    fn get(&self, i: u32, key: &'static str) -> Result<JsValue, Error> {
        let v = self.arr.get(i);
        if v == *self.threw {
            Err(Error::Unreadable(API, key))
        } else {
            Ok(v)
        }
    }
}

/// A snapshot of a feature's sub-object.
struct Sub {
    arr: Array,
    threw: JsValue,
}

impl Sub {
    fn get(&self, i: u32, key: &'static str) -> Result<JsValue, Error> {
        let v = self.arr.get(i);
        if v == self.threw {
            Err(Error::Unreadable(API, key))
        } else {
            Ok(v)
        }
    }

    fn num(&self, i: u32, key: &'static str) -> Result<Option<f64>, Error> {
        let v = self.get(i, key)?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        match v.as_f64() {
            Some(n) if !n.is_nan() => Ok(Some(n)),
            _ => Err(param(key, "Number", &v)),
        }
    }
}

fn ms(v: Option<f64>, default: u64) -> u64 {
    match v {
        Some(n) if n.is_finite() && n >= 0.0 => n as u64,
        Some(n) if n == f64::INFINITY => u64::MAX,
        _ => default,
    }
}

/// `false` → off, `true` (or absent with the default on) → defaults, an object → its
/// sub-snapshot. `Ok(None)` when the feature is off.
fn feature(s: &Snap<'_>, i: u32, key: &'static str, default_on: bool) -> Result<Option<Option<Sub>>, Error> {
    let v = s.get(i, key)?;
    if v.is_undefined() || v.is_null() {
        return Ok(default_on.then_some(None));
    }
    if let Some(b) = v.as_bool() {
        return Ok(b.then_some(None));
    }
    if v == *s.obj {
        let sub = s.arr.get(SUB + i - QUEUE);
        return match sub.dyn_into::<Array>() {
            Ok(arr) => Ok(Some(Some(Sub { arr, threw: s.threw.clone() }))),
            Err(_) => Err(Error::Unreadable(API, key)),
        };
    }
    Err(param(key, "Object", &v))
}

/// Validates a snapshot of `connectSocket` options (`resilient == false`) or
/// `createSocketTask` options (`true`: queue and reconnect default to on).
///
/// # Errors
/// The contract's `parameter error` messages for wrong types, `invalid url` for a string
/// that is not a `ws://`/`wss://` URL (or is longer than [`MAX_URL`]), and
/// [`Error::Unreadable`] for an option whose getter threw.
pub fn parse(arr: &Array, threw: &JsValue, obj: &JsValue, resilient: bool) -> Result<Parsed, Error> {
    if arr.length() == 1 {
        let v = arr.get(0);
        if v == *threw {
            return Err(Error::Unreadable(API, ""));
        }
        return Err(Error::OptionsNotObject(type_name(&v)));
    }
    let s = Snap { arr, threw, obj };
    let url = s.get(URL, "url")?;
    if let Some(u) = url.as_string() {
        if u.len() > MAX_URL || !crate::engine::is_ws_url(&u) || !url_parses(&url) {
            let mut shown = u;
            if shown.len() > 256 {
                let mut cut = 256;
                while !shown.is_char_boundary(cut) {
                    cut -= 1;
                }
                shown.truncate(cut);
                shown.push('…');
            }
            return Err(Error::InvalidUrl(shown));
        }
    } else if !url.is_function() {
        return Err(param("url", "String", &url));
    }

    let header_keys = match s.get(HEADER, "header")? {
        v if v.is_undefined() || v.is_null() => 0,
        v => match v.as_f64() {
            Some(n) if n >= 0.0 => n as u32,
            _ => return Err(param("header", "Object", &v)),
        },
    };

    let protocols = s.get(PROTOCOLS, "protocols")?;
    let protocols = if protocols.is_undefined() || protocols.is_null() {
        JsValue::UNDEFINED
    } else if protocols.is_string() {
        Array::of1(&protocols).into()
    } else if let Some(list) = protocols.dyn_ref::<Array>().filter(|_| crate::web::edge::is_array(&protocols)) {
        for p in list.iter() {
            if p == *threw {
                return Err(Error::Unreadable(API, "protocols"));
            }
            if !p.is_string() {
                return Err(param("protocols", "Array<String>", &protocols));
            }
        }
        protocols
    } else {
        return Err(param("protocols", "Array", &protocols));
    };

    let timeout = s.get(TIMEOUT, "timeout")?;
    let connect_timeout = if timeout.is_undefined() || timeout.is_null() {
        60_000
    } else {
        match timeout.as_f64() {
            Some(n) if n >= 0.0 => ms(Some(n), 60_000),
            _ => return Err(param("timeout", "Number", &timeout)),
        }
    };

    let ctor = s.get(WEBSOCKET, "WebSocket")?;
    let ctor = if ctor.is_undefined() || ctor.is_null() || ctor.is_function() {
        ctor
    } else {
        return Err(param("WebSocket", "Function", &ctor));
    };

    let mut config = Config { connect_timeout, ..Config::default() };
    let mut edge =
        EdgeSetup { flags: 0, ping: JsValue::UNDEFINED, pong: JsValue::UNDEFINED, should: JsValue::UNDEFINED };

    if let Some(q) = feature(&s, QUEUE, "queue", resilient)? {
        let d = QueueConfig::default();
        let mut cfg = d;
        if let Some(q) = q {
            let policy = q.get(2, "policy")?;
            cfg.policy = match policy.as_string().as_deref() {
                _ if policy.is_undefined() => Overflow::Reject,
                Some("reject") => Overflow::Reject,
                Some("drop-oldest") => Overflow::DropOldest,
                _ => {
                    return Err(Error::Socket(
                        API,
                        "parameter error: parameter.queue.policy should be 'reject' or 'drop-oldest';".into(),
                    ))
                }
            };
            cfg.max_messages = ms(q.num(0, "maxMessages")?, d.max_messages as u64).min(usize::MAX as u64) as usize;
            cfg.max_bytes = ms(q.num(1, "maxBytes")?, d.max_bytes as u64).min(usize::MAX as u64) as usize;
        }
        config.queue = Some(cfg);
        edge.flags |= 1;
    }
    // The heartbeat is on only when configured: a server that ignores 'ping' would see its
    // idle connections dropped and reopened, and an echo server would deliver 'ping'.
    if let Some(h) = feature(&s, HEARTBEAT, "heartbeat", false)? {
        let d = HeartbeatConfig::default();
        let mut cfg = d;
        edge.ping = JsValue::from_str("ping");
        edge.pong = JsValue::from_str("pong");
        if let Some(h) = h {
            cfg.interval = ms(h.num(0, "interval")?, d.interval).max(2);
            cfg.timeout = ms(h.num(1, "timeout")?, d.timeout).max(1);
            let message = h.get(2, "message")?;
            if !message.is_undefined() {
                if !(message.is_string() || message.is_function() || message.is_object()) {
                    return Err(param("message", "String", &message));
                }
                edge.ping = message;
            }
            let pong = h.get(3, "pong")?;
            if !pong.is_undefined() {
                if !(pong.is_string() || pong.is_function()) {
                    return Err(param("pong", "String", &pong));
                }
                edge.pong = pong;
            }
            if h.get(4, "deliverPongs")?.is_truthy() {
                edge.flags |= 4;
            }
        }
        config.heartbeat = Some(cfg);
        edge.flags |= 2;
    }
    if let Some(r) = feature(&s, RECONNECT, "reconnect", resilient)? {
        let d = ReconnectConfig::default();
        let mut cfg = d.clone();
        if let Some(r) = r {
            cfg = ReconnectConfig {
                min_delay: ms(r.num(0, "minDelay")?, d.min_delay),
                max_delay: ms(r.num(1, "maxDelay")?, d.max_delay),
                factor: r.num(2, "factor")?.unwrap_or(d.factor),
                jitter: r.num(3, "jitter")?.unwrap_or(d.jitter),
                max_retries: match r.num(4, "maxRetries")? {
                    Some(n) if n >= 0.0 => n.min(u32::MAX as f64) as u32,
                    _ => d.max_retries,
                },
                min_uptime: ms(r.num(5, "minUptime")?, d.min_uptime),
            };
            let should = r.get(6, "shouldReconnect")?;
            if should.is_function() {
                edge.should = should;
            } else if !(should.is_undefined() || should.is_null()) {
                return Err(param("shouldReconnect", "Function", &should));
            }
        }
        config.reconnect = Some(cfg.sanitized());
    }
    config.seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let debug = s.get(DEBUG, "debug")?.is_truthy();
    let ssl_verify_off = s.get(SSL_VERIFY, "sslVerify")?.as_bool() == Some(false);
    Ok(Parsed { url, protocols, ctor, config, edge, debug, header_keys, ssl_verify_off })
}

/// `new URL(url)` succeeds where `URL` exists (the WebSocket constructor would otherwise
/// throw a SyntaxError later); the edge tries it.
fn url_parses(url: &JsValue) -> bool {
    crate::web::edge::get().map_or(true, |e| e.url_ok(url))
}
