//! The wasm exports that the JavaScript edge (`pkg-template/edge.js`) calls. They are not the
//! public API: users call `connectSocket`, `SocketTask.send` … on the edge, which reads
//! options, holds listeners and settles callbacks, and asks these functions for every
//! decision: validation, queue and heartbeat policy, reconnect, limits and each `errMsg`.
//!
//! Conventions: a function that can fail returns a status (`0`/positive ok, negative failed)
//! and leaves the failure's `errMsg` for [`err`]. None of them throws or traps, whatever it
//! is given; none calls user code while Rust state is borrowed.

mod options;

pub use options::MAX_URL;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::engine::close::{validate_close, CloseRequest};
use crate::engine::error::Error;
use crate::engine::machine::Machine;
use crate::engine::registry::TaskId;
use crate::engine::{base64, platform};
use crate::web::driver::{self, Msg, Sent, Task};
use crate::web::{alloc, clock, edge, network, page};

/// Registers the edge object and its snapshot markers. `node` says the Node entry loaded the
/// module (constructors then take `ws`-style options).
#[wasm_bindgen(js_name = boot, skip_typescript)]
pub fn init(edge_obj: JsValue, threw: JsValue, obj: JsValue, node: bool) {
    edge::register(edge_obj);
    page::with(|p| {
        p.threw = threw;
        p.obj = obj;
        p.node = node;
    });
}

/// The constant success messages, in the edge's `OK_*` order.
#[wasm_bindgen(skip_typescript)]
pub fn msgs() -> Array {
    ["connectSocket:ok", "sendSocketMessage:ok", "closeSocket:ok", "getNetworkType:ok"]
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect()
}

/// The `errMsg` of the last failed call.
#[wasm_bindgen(skip_typescript)]
pub fn err() -> String {
    page::with(|p| std::mem::take(&mut p.last_err)).unwrap_or_default()
}

fn fail(e: Error) -> i32 {
    page::set_err(e.err_msg());
    -1
}

/// Creates a task for the edge's `SocketTask` object `t` from an option snapshot. Returns
/// the task id; `0` when the options are invalid; `-id` when the live-task limit refused it
/// (the task is CLOSED). The `errMsg` of a failure is left for [`err`].
#[wasm_bindgen(skip_typescript)]
pub fn connect(t: JsValue, snap: &Array, resilient: bool) -> i32 {
    let Some((threw, obj, node, default_ctor)) =
        page::with(|p| (p.threw.clone(), p.obj.clone(), p.node, p.ctor.clone()))
    else {
        return fail(Error::Socket("connectSocket", "internal state busy".into()));
    };
    let parsed = match options::parse(snap, &threw, &obj, resilient) {
        Ok(p) => p,
        Err(e) => {
            fail(e);
            return 0;
        }
    };
    let ctor = if parsed.ctor.is_function() {
        parsed.ctor
    } else if default_ctor.is_function() {
        default_ctor
    } else {
        let g = edge::get().map_or(JsValue::UNDEFINED, |e| e.global_socket());
        if !g.is_function() {
            fail(Error::Socket(
                "connectSocket",
                "no WebSocket in this runtime: pass the WebSocket option or configure({WebSocket}) (e.g. the ws package)"
                    .into(),
            ));
            return 0;
        }
        g
    };
    warn_once(node, parsed.header_keys, parsed.ssl_verify_off);
    let mut flags = parsed.edge.flags;
    if node && (parsed.header_keys > 0 || parsed.ssl_verify_off) {
        flags |= 8;
    }
    let reconnect = parsed.config.reconnect.is_some();
    let adm = page::with(|p| {
        let max = p.reg.max();
        let adm = p.reg.admit(|_| {
            Box::new(Task::new(
                t.clone(),
                Machine::new(parsed.config),
                parsed.url,
                parsed.protocols,
                ctor,
                parsed.debug,
            ))
        });
        (adm, max)
    });
    let Some((adm, max)) = adm else {
        return fail(Error::Socket("connectSocket", "internal state busy".into()));
    };
    let id = adm.id as i32;
    if !adm.admitted {
        page::set_err(Error::TooManyTasks(max).err_msg());
        return -id;
    }
    if let Some(e) = edge::get() {
        e.setup(&t, adm.id, flags, &parsed.edge.ping, &parsed.edge.pong, &parsed.edge.should);
        if adm.bound {
            e.bind(&t, true);
        }
    }
    if reconnect {
        network::ensure_installed();
    }
    let on = network::online();
    driver::apply(adm.id, |task, out| task.machine.start(on, out));
    id
}

fn warn_once(node: bool, header_keys: u32, ssl_off: bool) {
    let (warn_header, warn_ssl) = page::with(|p| {
        let h = !node && header_keys > 0 && !p.header_warned;
        let s = !node && ssl_off && !p.ssl_warned;
        p.header_warned |= h;
        p.ssl_warned |= s;
        (h, s)
    })
    .unwrap_or((false, false));
    if warn_header {
        edge::warn("mpsocket: browsers cannot send custom WebSocket handshake headers; `header` is ignored");
    }
    if warn_ssl {
        edge::warn("mpsocket: browsers always verify TLS certificates; `sslVerify: false` cannot be honoured");
    }
}

/// Send `kind`s, as the edge classifies `data`.
const TEXT: u32 = 0;
const BINARY: u32 = 1;
const BAD: u32 = 2;

/// A send on task `tid` (`0` with `legacy`: the bound task). `flags`: 1 legacy, 2 the task
/// had a queue (for sends after it closed), 4 its socket no longer reports OPEN, 8 the edge
/// is carrying out socket actions (the message must queue behind them). `buffered` is the
/// socket's `bufferedAmount` before this send (only read with a queue). Returns a positive
/// `seq` when the edge must hand `data` to the socket now and report success (a throw goes
/// to [`unsent`] with that `seq`); `0` when Rust holds the message (its outcome comes later
/// through the edge); `-1` failed (see [`err`]).
#[wasm_bindgen(skip_typescript)]
pub fn send(tid: u32, kind: u32, len: u32, data: &JsValue, reply: &JsValue, flags: u32, buffered: f64) -> i32 {
    let legacy = flags & 1 != 0;
    let api = if legacy { "sendSocketMessage" } else { "SocketTask.send" };
    // WeChat's order for the legacy call: no bound task is reported before bad data.
    let id = if legacy { page::with(|p| p.reg.bound()).flatten().unwrap_or(0) } else { tid };
    if legacy && id == 0 {
        return fail(Error::NotConnected("sendSocketMessage"));
    }
    match kind {
        TEXT | BINARY => {}
        BAD => return fail(Error::BadData),
        _ => return fail(Error::Unreadable(api, "data")),
    }
    let m = Msg { data: data.clone(), reply: reply.clone(), len, text: kind == TEXT, legacy, copy: false, seq: 0 };
    match driver::send(id, m, driver::clamp(buffered), flags & 4 == 0, flags & 8 == 0) {
        Sent::Now(seq) => seq as i32,
        Sent::Held => 0,
        Sent::Failed(msg) => {
            page::set_err(msg);
            -1
        }
        Sent::Gone if legacy => fail(Error::NotConnected("sendSocketMessage")),
        Sent::Gone if flags & 2 != 0 => fail(Error::TaskClosed),
        Sent::Gone => fail(Error::TaskNotOpen),
    }
}

/// The socket threw on message `seq` (from [`send`], or a queued transmit): its resend
/// copy goes, and the returned `errMsg` reports the socket's message.
#[wasm_bindgen(skip_typescript)]
pub fn unsent(tid: u32, seq: u32, message: &str) -> String {
    driver::with_task(tid, |t| t.machine.unsent(|m| m.seq == seq));
    socket_error(message)
}

/// The `url` function of task `tid` returned `url` for socket `conn`: `1` open it, `0` not
/// any more (the task moved on), `-1` not a `ws://`/`wss://` string (the edge fails the
/// connection).
#[wasm_bindgen(skip_typescript)]
pub fn opening(tid: u32, conn: u32, url: &JsValue) -> i32 {
    driver::opening(tid, conn, url)
}

/// `sendSocketMessage:fail <message>` for a socket that refused a send.
#[wasm_bindgen(js_name = sendError, skip_typescript)]
pub fn socket_error(message: &str) -> String {
    let msg = if message.is_empty() { "send failed" } else { message };
    Error::Socket("sendSocketMessage", msg.into()).err_msg()
}

/// Reads `{code, reason}` as snapshotted by the edge (`threw` marks a read that threw).
fn close_request(code: &JsValue, reason: &JsValue) -> Result<CloseRequest, Error> {
    let threw = page::with(|p| p.threw.clone()).unwrap_or(JsValue::UNDEFINED);
    let code = if *code == threw {
        return Err(Error::Unreadable("closeSocket", "code"));
    } else if code.is_undefined() || code.is_null() {
        None
    } else {
        match code.as_f64() {
            Some(c) => Some(c),
            None => {
                return Err(Error::ParamType {
                    api: "closeSocket",
                    key: "code",
                    expected: "Number",
                    actual: edge::type_name(code),
                })
            }
        }
    };
    let reason = if *reason == threw {
        return Err(Error::Unreadable("closeSocket", "reason"));
    } else if reason.is_undefined() || reason.is_null() {
        None
    } else {
        match reason.as_string() {
            Some(r) => Some(r),
            None => {
                return Err(Error::ParamType {
                    api: "closeSocket",
                    key: "reason",
                    expected: "String",
                    actual: edge::type_name(reason),
                })
            }
        }
    };
    validate_close(code, reason).map_err(Error::Close)
}

/// `SocketTask.close`: validates, then closes task `tid`. `0` ok, `-1` failed (an invalid
/// code or reason closes nothing; a closed task is "not connected").
#[wasm_bindgen(skip_typescript)]
pub fn close(tid: u32, code: &JsValue, reason: &JsValue) -> i32 {
    let req = match close_request(code, reason) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match driver::apply(tid, |t, out| t.machine.close(req, out)) {
        Some(Ok(())) => 0,
        Some(Err(e)) => fail(e),
        None => fail(Error::NotConnected("closeSocket")),
    }
}

/// The legacy `closeSocket`: the options are validated once, then the bound task and every
/// other live task close with them. Fails when nothing is bound.
#[wasm_bindgen(js_name = closeAll, skip_typescript)]
pub fn close_all(code: &JsValue, reason: &JsValue) -> i32 {
    let req = match close_request(code, reason) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let Some((bound, ids)) = page::with(|p| (p.reg.bound(), p.reg.ids().collect::<Vec<TaskId>>())) else {
        return fail(Error::NotConnected("closeSocket"));
    };
    let Some(bound) = bound else {
        return fail(Error::NotConnected("closeSocket"));
    };
    for id in ids.into_iter().filter(|id| *id != bound) {
        let r = req.clone();
        driver::apply(id, |t, out| t.machine.close(r, out));
    }
    match driver::apply(bound, |t, out| t.machine.close(req, out)) {
        Some(Ok(())) => 0,
        Some(Err(e)) => fail(e),
        None => fail(Error::NotConnected("closeSocket")),
    }
}

/// Socket `conn` of task `tid` opened.
#[wasm_bindgen(skip_typescript)]
pub fn opened(tid: u32, conn: u32) {
    let now = clock::now();
    driver::apply(tid, |t, out| t.machine.socket_open(now, conn, out));
}

/// Whether a close of socket `conn` now would reconnect if `shouldReconnect` agrees: the
/// edge calls the hook only then.
#[wasm_bindgen(js_name = wouldReconnect, skip_typescript)]
pub fn would_reconnect(tid: u32, conn: u32) -> bool {
    driver::with_task(tid, |t| t.machine.would_reconnect(conn)).unwrap_or(false)
}

/// Socket `conn` of task `tid` ended: with a close event (`is_close`, its `code` and
/// `reason`; a missing or odd code reads as 1006) or an error. `allow` is the answer of the
/// `shouldReconnect` hook.
#[wasm_bindgen(skip_typescript)]
pub fn ended(tid: u32, conn: u32, is_close: bool, code: f64, reason: String, buffered: f64, allow: bool) {
    let now = clock::now();
    let buffered = driver::clamp(buffered);
    if is_close {
        let code = if (0.0..=65535.0).contains(&code) { code as u16 } else { crate::engine::close::ABNORMAL };
        driver::apply(tid, |t, out| t.machine.socket_close(now, conn, code, reason, buffered, allow, out));
    } else {
        driver::apply(tid, |t, out| t.machine.socket_error(now, conn, buffered, allow, out));
    }
}

/// A message arrived while the task asked to hear every one (a probe is out); `pong` when it
/// matched the heartbeat's pong.
#[wasm_bindgen(skip_typescript)]
pub fn inbound(tid: u32, pong: bool) {
    let now = clock::now();
    driver::apply(tid, |t, out| t.machine.inbound(now, pong, out));
}

/// Observability: 0 `queueLength`, 1 `reconnectAttempt`, 2 `lastRtt` (NaN before the first).
#[wasm_bindgen(skip_typescript)]
pub fn info(tid: u32, which: u32) -> f64 {
    let now = clock::now();
    driver::with_task(tid, |t| match which {
        0 => t.machine.queue_len() as f64,
        1 => f64::from(t.machine.reconnect_attempt(now)),
        _ => t.machine.last_rtt().map_or(f64::NAN, |r| r as f64),
    })
    .unwrap_or(if which == 2 { f64::NAN } else { 0.0 })
}

/// `configure({maxConnections, WebSocket})`, as read by the edge. Returns `-1` (see
/// [`err`]) for a bad value; nothing is changed then.
#[wasm_bindgen(skip_typescript)]
pub fn configure(max: &JsValue, ctor: &JsValue) -> i32 {
    let threw = page::with(|p| p.threw.clone()).unwrap_or(JsValue::UNDEFINED);
    let bad = |key: &'static str, expected: &'static str, v: &JsValue| {
        fail(if *v == threw {
            Error::Unreadable("configure", key)
        } else {
            Error::ParamType { api: "configure", key, expected, actual: edge::type_name(v) }
        })
    };
    let max_n = if max.is_undefined() {
        None
    } else {
        match max.as_f64() {
            Some(n) if n >= 0.0 => Some(if n.is_finite() { n.min(u32::MAX as f64) as u32 } else { u32::MAX }),
            _ => return bad("maxConnections", "Number", max),
        }
    };
    if !(ctor.is_undefined() || ctor.is_null() || ctor.is_function()) {
        return bad("WebSocket", "Function", ctor);
    }
    page::with(|p| {
        if let Some(n) = max_n {
            p.reg.set_max(n);
        }
        if !ctor.is_undefined() {
            p.ctor = ctor.clone();
        }
    });
    0
}

/// Timer `kind` (0 connect, 1 close, 2 backoff, 3 heartbeat) of task `tid` fired; `buffered`
/// is its socket's `bufferedAmount`, `rx` the inbound messages counted so far.
#[wasm_bindgen(skip_typescript)]
pub fn fire(tid: u32, kind: u32, buffered: f64, rx: u32) {
    use crate::engine::machine::Timer;
    let t = match kind {
        0 => Timer::Connect,
        1 => Timer::Close,
        2 => Timer::Backoff,
        _ => Timer::Heartbeat,
    };
    driver::fire(tid, t, driver::clamp(buffered), rx);
}

/// The runtime went online (`true`) or offline; also for `navigator.connection` changes
/// (`change`), which only re-read the status.
#[wasm_bindgen(js_name = netEvent, skip_typescript)]
pub fn net_event(kind: u32) {
    match kind {
        0 => network::broadcast(false),
        1 => network::broadcast(true),
        2 => network::changed(),
        _ => network::visibility_changed(),
    }
}

/// `[isConnected, networkType, weakNet]` now.
#[wasm_bindgen(js_name = netStatus, skip_typescript)]
pub fn net_status() -> Array {
    let s = network::current();
    Array::of3(&JsValue::from(s.is_connected), &JsValue::from_str(s.network_type), &JsValue::from(s.weak))
}

/// Starts listening to the runtime's network signals (first network listener).
#[wasm_bindgen(js_name = watchNetwork, skip_typescript)]
pub fn watch_network() {
    network::ensure_installed();
}

/// `canIUse(schema)`.
#[wasm_bindgen(js_name = canIUse, skip_typescript)]
pub fn can_i_use(schema: &JsValue) -> bool {
    schema.as_string().is_some_and(|s| platform::can_i_use(&s))
}

/// Alipay's numeric code for an `errMsg`, or 0 when it reports success.
#[wasm_bindgen(js_name = alipayCode, skip_typescript)]
pub fn alipay_code(msg: &str) -> u32 {
    if platform::is_failure(msg) {
        platform::alipay_code(msg)
    } else {
        0
    }
}

/// Base64 of bytes (Alipay's legacy binary messages).
#[wasm_bindgen(js_name = b64enc, skip_typescript)]
pub fn b64_encode(bytes: &[u8]) -> String {
    base64::encode(bytes)
}

/// Bytes of base64 text; `undefined` when it is not base64.
#[wasm_bindgen(js_name = b64dec, skip_typescript)]
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    base64::decode(s)
}

/// `[heapBytes, externrefs, liveTasks, wasmBytes]`: what Rust holds, for leak tests.
#[wasm_bindgen(skip_typescript)]
pub fn stats() -> Array {
    let live = page::with(|p| p.reg.len()).unwrap_or(0);
    let pages = core::arch::wasm32::memory_size(0);
    [
        alloc::live_bytes() as f64,
        f64::from(wasm_bindgen::externref_heap_live_count()),
        live as f64,
        (pages * 65536) as f64,
    ]
    .iter()
    .map(|n| JsValue::from_f64(*n))
    .collect()
}
