//! The JavaScript edge, as Rust sees it: the object that `pkg-template/edge.js` registers
//! at start-up, whose methods carry objects (sockets, listener arrays, payloads, callback
//! settlement) so that Rust only decides. Every method is implemented in JS to never throw:
//! each one catches around anything foreign it touches.
//!
//! Also here: the one catching import Rust uses on its own (`Array.isArray`), and logging.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The edge object (see `pkg-template/edge.js`, `makeEdge`).
    #[derive(Clone)]
    pub type Edge;

    /// Per-task settings the edge applies on the message path: `flags` bit 1 queue (keep
    /// resend copies), bit 2 heartbeat (count inbound, match pongs), bit 4 deliver pongs,
    /// bit 8 pass Node `ws` options (headers, `rejectUnauthorized`) to the constructor.
    #[wasm_bindgen(method, structural)]
    pub fn setup(this: &Edge, t: &JsValue, id: u32, flags: u32, ping: &JsValue, pong: &JsValue, should: &JsValue);
    /// Mirrors the task's `readyState` and whether a send may go straight to the socket.
    #[wasm_bindgen(method, structural)]
    pub fn state(this: &Edge, t: &JsValue, ready_state: u8, direct: bool);
    /// Report every inbound message to [`crate::api`]'s `inbound` while `on`.
    #[wasm_bindgen(method, structural)]
    pub fn notify(this: &Edge, t: &JsValue, on: bool);
    /// Makes the legacy functions act on (or no longer on) this task.
    #[wasm_bindgen(method, structural)]
    pub fn bind(this: &Edge, t: &JsValue, on: bool);
    // The socket actions (`open`, `close`, `abandon`, `transmit`, `ping`) are queued: the
    // edge carries them out in order once Rust has returned, so no foreign code (a `url`
    // function, an injected WebSocket's constructor or methods) ever runs under Rust.

    /// Queues the creation of socket `conn`. A `url` function is called then, and its result
    /// checked by [`crate::api`]'s `opening`. A failure (the function throws, the constructor
    /// throws or returns an odd object) is reported later, asynchronously, as a connection
    /// error of `conn`.
    #[wasm_bindgen(method, structural)]
    pub fn open(this: &Edge, t: &JsValue, conn: u32, url: &JsValue, protocols: &JsValue, ctor: &JsValue);
    /// Queues the close handshake of socket `conn`. With no socket, or one that throws, the
    /// edge reports the close as completed through [`crate::api`]'s `ended`.
    #[wasm_bindgen(method, structural)]
    pub fn close(this: &Edge, t: &JsValue, conn: u32, code: u16, reason: &str);
    /// Forgets the current socket (its late events are ignored by connection id) and queues
    /// closing it.
    #[wasm_bindgen(method, structural)]
    pub fn abandon(this: &Edge, t: &JsValue);
    /// Queues handing `data` to the socket and settling `reply`. When the socket throws, the
    /// reply fails with the socket's message and [`crate::api`]'s `unsent` hears `seq`.
    #[wasm_bindgen(method, structural)]
    pub fn transmit(this: &Edge, t: &JsValue, data: &JsValue, reply: &JsValue, seq: u32);
    /// Fails `reply` with `msg` (or logs `msg` when nobody listens).
    #[wasm_bindgen(method, structural)]
    pub fn fail(this: &Edge, reply: &JsValue, msg: &str);
    /// The socket's `bufferedAmount` (0 when unreadable). Read at an online/offline change
    /// for each task, with nothing borrowed and no task running.
    #[wasm_bindgen(method, structural)]
    pub fn buffered(this: &Edge, t: &JsValue) -> f64;
    /// UTF-8 length of a string payload.
    #[wasm_bindgen(method, structural)]
    pub fn utf8(this: &Edge, data: &JsValue) -> f64;
    /// Queues sending the heartbeat message.
    #[wasm_bindgen(method, structural)]
    pub fn ping(this: &Edge, t: &JsValue);
    /// Queues an event for the task's listeners: 0 open (`a` isReconnect), 1 error (`s`),
    /// 2 close (`a` code, `s` reason; final), 3 reconnecting (`a` attempt, `b` delay, `c`
    /// code, `s` reason).
    #[wasm_bindgen(method, structural)]
    pub fn emit(this: &Edge, t: &JsValue, kind: u32, a: f64, b: f64, c: f64, s: &str);
    /// Queues a network event: `status`/`weak` say which listener lists hear it.
    #[wasm_bindgen(method, structural)]
    pub fn net(this: &Edge, connected: bool, network_type: &str, weak_net: bool, status: bool, weak: bool);
    /// (Re)starts timer `kind` of the task; its fire calls [`crate::api`]'s `fire`.
    #[wasm_bindgen(method, structural, js_name = setTimer)]
    pub fn set_timer(this: &Edge, t: &JsValue, kind: u32, ms: u32);
    /// Stops timer `kind` of the task.
    #[wasm_bindgen(method, structural, js_name = clearTimer)]
    pub fn clear_timer(this: &Edge, t: &JsValue, kind: u32);
    /// Starts listening (once per page) to `online`/`offline`, `navigator.connection`
    /// `change` and `document` `visibilitychange` on `globalThis`, where they exist.
    #[wasm_bindgen(method, structural)]
    pub fn watch(this: &Edge);
    /// `navigator.onLine` (`None` where the runtime gives no signal).
    #[wasm_bindgen(method, structural, js_name = onLine)]
    pub fn on_line(this: &Edge) -> Option<bool>;
    /// `navigator.connection.type`.
    #[wasm_bindgen(method, structural, js_name = connType)]
    pub fn conn_type(this: &Edge) -> Option<String>;
    /// `navigator.connection.effectiveType`.
    #[wasm_bindgen(method, structural, js_name = effectiveType)]
    pub fn effective_type(this: &Edge) -> Option<String>;
    /// `document.visibilityState === 'visible'`.
    #[wasm_bindgen(method, structural)]
    pub fn visible(this: &Edge) -> bool;
    /// `globalThis.WebSocket` (`undefined` when there is none).
    #[wasm_bindgen(method, structural, js_name = globalSocket)]
    pub fn global_socket(this: &Edge) -> JsValue;
    /// `new URL(url)` succeeds (`true` where there is no `URL`).
    #[wasm_bindgen(method, structural, js_name = urlOk)]
    pub fn url_ok(this: &Edge, url: &JsValue) -> bool;
    /// Runs the queued events (listeners are called only here, with no Rust state borrowed).
    #[wasm_bindgen(method, structural)]
    pub fn drain(this: &Edge);

    /// Logs `msg` on the console (0 error, 1 warn, 2 debug) from a microtask: a replaced
    /// `console` may throw or re-enter, and it runs with nothing of Rust on the stack.
    #[wasm_bindgen(method, structural)]
    fn log(this: &Edge, level: u32, msg: &str);

    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(v: &JsValue) -> Result<bool, JsValue>;
}

thread_local! {
    static EDGE: RefCell<Option<Edge>> = const { RefCell::new(None) };
}

/// Registers the edge (once, at module start).
pub fn register(edge: JsValue) {
    EDGE.with(|e| {
        if let Ok(mut e) = e.try_borrow_mut() {
            *e = Some(edge.unchecked_into());
        }
    });
}

/// The edge, if registered. Cloned out so that no borrow is held while it runs.
pub fn get() -> Option<Edge> {
    EDGE.with(|e| e.try_borrow().ok().and_then(|e| e.clone()))
}

fn log(level: u32, msg: &str) {
    if let Some(e) = get() {
        e.log(level, msg);
    }
}

/// `console.error`, later (see [`Edge::log`]).
pub fn error(msg: &str) {
    log(0, msg);
}

/// `console.warn`, later.
pub fn warn(msg: &str) {
    log(1, msg);
}

/// `console.debug`, later.
pub fn debug(msg: &str) {
    log(2, msg);
}

/// `Array.isArray(v)`; `false` when it throws (a revoked Proxy).
pub fn is_array(v: &JsValue) -> bool {
    array_is_array(v).unwrap_or(false)
}

/// The JS type name of `v` as WeChat spells it in parameter errors.
pub fn type_name(v: &JsValue) -> &'static str {
    if v.is_undefined() {
        "Undefined"
    } else if v.is_null() {
        "Null"
    } else if v.is_string() {
        "String"
    } else if v.as_f64().is_some() {
        "Number"
    } else if v.as_bool().is_some() {
        "Boolean"
    } else if v.is_function() {
        "Function"
    } else if v.is_symbol() {
        "Symbol"
    } else if v.is_bigint() {
        "BigInt"
    } else if is_array(v) {
        "Array"
    } else {
        "Object"
    }
}
