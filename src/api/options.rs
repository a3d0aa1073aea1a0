//! Option parsing for `connectSocket` / `createSocketTask`. Every malformed input becomes an
//! [`Error`] with the exact `errMsg` of the contract; nothing here can throw or panic.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::backoff::ReconnectConfig;
use crate::core::error::Error;
use crate::core::machine::{Config, HeartbeatConfig};
use crate::core::queue::{Overflow, QueueConfig};
use crate::web::js;
use crate::web::task::{Endpoint, Hooks};

/// Everything `connectSocket` needs to create a task.
pub struct Parsed {
    pub endpoint: Endpoint,
    pub config: Config,
    pub hooks: Hooks,
    pub debug: bool,
}

fn param(key: &'static str, expected: &'static str, v: &JsValue) -> Error {
    Error::ParamType { api: "connectSocket", key, expected, actual: js::type_name(v) }
}

/// Checks that `opts` is a plain options object.
///
/// # Errors
/// [`Error::OptionsNotObject`] for anything but a non-array object.
pub fn check_object(opts: &JsValue) -> Result<(), Error> {
    let t = js::type_name(opts);
    if t == "Object" {
        Ok(())
    } else {
        Err(Error::OptionsNotObject(t))
    }
}

fn ms(v: Option<f64>, default: u64) -> u64 {
    match v {
        Some(n) if n.is_finite() && n >= 0.0 => n as u64,
        Some(n) if n == f64::INFINITY => u64::MAX,
        _ => default,
    }
}

/// `false` → off, `true`/`undefined`-with-default-on → `{}`, an object → itself.
/// Returns `Ok(None)` when the feature is off.
fn feature(opts: &JsValue, key: &'static str, default_on: bool) -> Result<Option<JsValue>, Error> {
    let v = js::get(opts, key);
    if v.is_undefined() || v.is_null() {
        return Ok(default_on.then(|| js_sys::Object::new().into()));
    }
    if let Some(b) = v.as_bool() {
        return Ok(b.then(|| js_sys::Object::new().into()));
    }
    if js::type_name(&v) == "Object" {
        return Ok(Some(v));
    }
    Err(param(key, "Object", &v))
}

/// `obj[key]` as a number, `None` when absent.
fn num(obj: &JsValue, key: &'static str) -> Result<Option<f64>, Error> {
    let v = js::get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if !n.is_nan() => Ok(Some(n)),
        _ => Err(param(key, "Number", &v)),
    }
}

/// Parses the options of `connectSocket` (`resilient == false`) or `createSocketTask`
/// (`true`: queue, heartbeat and reconnect default to on).
///
/// # Errors
/// The contract's `parameter error` messages for wrong types, `invalid url` for a string
/// that is not a `ws://`/`wss://` URL, and a clear message when no WebSocket class exists.
pub fn parse(opts: &JsValue, resilient: bool) -> Result<Parsed, Error> {
    check_object(opts)?;
    let url = js::get(opts, "url");
    let reconnect_opt = feature(opts, "reconnect", resilient)?;
    if let Some(s) = url.as_string() {
        if !crate::core::is_ws_url(&s) || !url_parses(&url) {
            return Err(Error::InvalidUrl(s));
        }
    } else if !url.is_function() {
        return Err(param("url", "String", &url));
    }

    let protocols = js::get(opts, "protocols");
    let protocols = if protocols.is_undefined() || protocols.is_null() {
        JsValue::UNDEFINED
    } else if protocols.is_string() {
        js_sys::Array::of1(&protocols).into()
    } else if js_sys::Array::is_array(&protocols) {
        let arr: &js_sys::Array = protocols.unchecked_ref();
        if arr.iter().any(|p| !p.is_string()) {
            return Err(param("protocols", "Array<String>", &protocols));
        }
        protocols
    } else {
        return Err(param("protocols", "Array", &protocols));
    };

    let timeout = js::get(opts, "timeout");
    let connect_timeout = if timeout.is_undefined() || timeout.is_null() {
        60_000
    } else {
        match timeout.as_f64() {
            Some(n) if n >= 0.0 && !n.is_nan() => ms(Some(n), 60_000),
            _ => return Err(param("timeout", "Number", &timeout)),
        }
    };

    let ctor = js::get(opts, "WebSocket");
    let ctor: Function = if ctor.is_undefined() || ctor.is_null() {
        match js::get_fn(&js_sys::global(), "WebSocket") {
            Some(f) => f,
            None => {
                return Err(Error::Socket(
                    "connectSocket",
                    "no WebSocket in this runtime: pass the WebSocket option (e.g. the ws package)".into(),
                ))
            }
        }
    } else if ctor.is_function() {
        ctor.unchecked_into()
    } else {
        return Err(param("WebSocket", "Function", &ctor));
    };

    let mut config = Config { connect_timeout, ..Config::default() };
    let mut hooks = Hooks::default();

    if let Some(q) = feature(opts, "queue", resilient)? {
        let d = QueueConfig::default();
        let policy = js::get(&q, "policy");
        let policy = match policy.as_string().as_deref() {
            _ if policy.is_undefined() => Overflow::Reject,
            Some("reject") => Overflow::Reject,
            Some("drop-oldest") => Overflow::DropOldest,
            _ => {
                return Err(Error::Socket(
                    "connectSocket",
                    "parameter error: parameter.policy should be 'reject' or 'drop-oldest';".into(),
                ))
            }
        };
        config.queue = Some(QueueConfig {
            max_messages: ms(num(&q, "maxMessages")?, d.max_messages as u64).min(usize::MAX as u64) as usize,
            max_bytes: ms(num(&q, "maxBytes")?, d.max_bytes as u64).min(usize::MAX as u64) as usize,
            policy,
        });
    }
    if let Some(h) = feature(opts, "heartbeat", resilient)? {
        let d = HeartbeatConfig::default();
        config.heartbeat = Some(HeartbeatConfig {
            interval: ms(num(&h, "interval")?, d.interval).max(1),
            timeout: ms(num(&h, "timeout")?, d.timeout).max(1),
        });
        let message = js::get(&h, "message");
        hooks.ping = if message.is_undefined() { JsValue::from_str("ping") } else { message };
        let pong = js::get(&h, "pong");
        hooks.pong = if pong.is_undefined() { JsValue::from_str("pong") } else { pong };
        hooks.pong_len = hooks.pong.dyn_ref::<js_sys::JsString>().map(|p| p.length());
        hooks.deliver_pongs = js::get(&h, "deliverPongs").is_truthy();
    }
    if let Some(r) = reconnect_opt {
        let d = ReconnectConfig::default();
        config.reconnect = Some(
            ReconnectConfig {
                min_delay: ms(num(&r, "minDelay")?, d.min_delay),
                max_delay: ms(num(&r, "maxDelay")?, d.max_delay),
                factor: num(&r, "factor")?.unwrap_or(d.factor),
                jitter: num(&r, "jitter")?.unwrap_or(d.jitter),
                max_retries: match num(&r, "maxRetries")? {
                    Some(n) if n.is_finite() && n >= 0.0 => n.min(u32::MAX as f64) as u32,
                    _ => d.max_retries,
                },
                min_uptime: ms(num(&r, "minUptime")?, d.min_uptime),
            }
            .sanitized(),
        );
        hooks.should_reconnect = js::get_fn(&r, "shouldReconnect");
    }
    config.seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let debug = js::get(opts, "debug").is_truthy();
    Ok(Parsed { endpoint: Endpoint { url, protocols, ctor }, config, hooks, debug })
}

/// `new URL(url)` succeeds (where `URL` exists); the WebSocket constructor would otherwise
/// throw a SyntaxError later.
fn url_parses(url: &JsValue) -> bool {
    match js::get_fn(&js_sys::global(), "URL") {
        Some(ctor) => js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(url)).is_ok(),
        None => true,
    }
}
