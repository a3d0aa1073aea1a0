//! The driver of one task: it feeds socket events, timer fires and user calls into the core
//! [`Machine`] and carries out the [`Command`]s that come back.
//!
//! Re-entrancy: user code (listeners, hooks) may call back into the task. No `RefCell`
//! borrow is ever held across a call into user code, and commands are run from a per-task
//! FIFO: a call made from inside a listener appends its commands, which run after the
//! current one, in order.
//!
//! The message path is kept short: no clock read unless heartbeats are on, no copy of the
//! payload, no timer touched, no allocation but the `{data}` object every listener receives.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::defer::{self, Job};
use super::js::{self, Socket};
use super::page;
use super::reply::Reply;
use crate::core::close::ABNORMAL;
use crate::core::error::Error;
use crate::core::machine::{Command, Machine, Phase, Timer, TIMERS};
use crate::core::queue::Payload;
use crate::core::registry::TaskId;

/// A message on its way out: the payload (a string or an ArrayBuffer, never copied into
/// Rust) and who hears the outcome.
pub struct Outgoing {
    pub data: JsValue,
    pub reply: Reply,
    /// Sent through the legacy `sendSocketMessage`, whose errors read differently.
    pub legacy: bool,
}

impl Payload for Outgoing {
    fn bytes(&self) -> usize {
        match self.data.as_string() {
            Some(s) => s.len(),
            None => byte_length(&self.data),
        }
    }

    fn min_bytes(&self) -> usize {
        if self.data.is_string() {
            self.data.unchecked_ref::<js_sys::JsString>().length() as usize
        } else {
            byte_length(&self.data)
        }
    }

    fn resend_copy(&self) -> Self {
        Outgoing { data: self.data.clone(), reply: Reply::None, legacy: self.legacy }
    }
}

fn byte_length(v: &JsValue) -> usize {
    js::get(v, "byteLength").as_f64().filter(|n| *n >= 0.0).map_or(0, |n| n as usize)
}

/// Which listener list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Open,
    Message,
    Error,
    Close,
    Reconnecting,
}

impl Kind {
    fn context(self) -> &'static str {
        match self {
            Kind::Open => "mpsocket: an onOpen listener threw",
            Kind::Message => "mpsocket: an onMessage listener threw",
            Kind::Error => "mpsocket: an onError listener threw",
            Kind::Close => "mpsocket: an onClose listener threw",
            Kind::Reconnecting => "mpsocket: an onReconnecting listener threw",
        }
    }
}

/// The listener lists. Message listeners sit behind an `Rc` so the message path can take
/// a snapshot without allocating.
#[derive(Default)]
pub struct Listeners {
    open: Vec<Function>,
    message: Rc<Vec<Function>>,
    error: Vec<Function>,
    close: Vec<Function>,
    reconnecting: Vec<Function>,
}

impl Listeners {
    fn list(&mut self, kind: Kind) -> &mut Vec<Function> {
        match kind {
            Kind::Open => &mut self.open,
            Kind::Message => Rc::make_mut(&mut self.message),
            Kind::Error => &mut self.error,
            Kind::Close => &mut self.close,
            Kind::Reconnecting => &mut self.reconnecting,
        }
    }

    fn snapshot(&self, kind: Kind) -> Vec<Function> {
        match kind {
            Kind::Open => self.open.clone(),
            Kind::Message => self.message.to_vec(),
            Kind::Error => self.error.clone(),
            Kind::Close => self.close.clone(),
            Kind::Reconnecting => self.reconnecting.clone(),
        }
    }
}

/// User-supplied behaviour the core cannot hold: heartbeat payloads and matchers, the
/// reconnect hook and a URL that may be a function.
#[derive(Default)]
pub struct Hooks {
    /// A string, or a function returning the data to send.
    pub ping: JsValue,
    /// A string, or a predicate over incoming data.
    pub pong: JsValue,
    /// The UTF-16 length of a string `pong`, compared first so that other messages are
    /// rejected without a string comparison; `None` for a predicate.
    pub pong_len: Option<u32>,
    pub deliver_pongs: bool,
    pub should_reconnect: Option<Function>,
}

/// A live WebSocket with our handlers attached. Dropping it detaches them (it does not close
/// the socket): no event can reach a dropped closure.
struct SocketHandle {
    socket: Socket,
    _onopen: Closure<dyn FnMut(JsValue)>,
    _onmessage: Closure<dyn FnMut(JsValue)>,
    _onerror: Closure<dyn FnMut(JsValue)>,
    _onclose: Closure<dyn FnMut(JsValue)>,
}

impl Drop for SocketHandle {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onerror(None);
        self.socket.set_onclose(None);
    }
}

/// How a task connects: fixed once at creation.
pub struct Endpoint {
    /// A `ws(s)://` string, or a function returning one on each attempt.
    pub url: JsValue,
    /// `undefined` or an array of strings.
    pub protocols: JsValue,
    /// The WebSocket constructor.
    pub ctor: Function,
}

/// One task's driver state.
pub struct TaskInner {
    pub id: TaskId,
    pub machine: Machine<Outgoing>,
    pub endpoint: Endpoint,
    /// The URL of the current (or last) connection.
    /// The URL of the current (or last) connection; shared with the `SocketTask` handle,
    /// which outlives the task.
    pub current_url: Rc<RefCell<JsValue>>,
    pub hooks: Hooks,
    pub listeners: Listeners,
    pub bound: bool,
    pub debug: bool,
    socket: Option<SocketHandle>,
    timers: [Option<Timeout>; TIMERS],
    pending: VecDeque<Command<Outgoing>>,
    scratch: Vec<Command<Outgoing>>,
    running: bool,
    connect_start: f64,
    weak: Weak<TaskCell>,
}

/// A task, shared by the page registry while live and weakly by its `SocketTask` handle and
/// closures. The state is boxed so that a handle's `Weak`, which keeps the `Rc` allocation
/// until JS collects the handle, keeps only a few bytes once the task is closed.
pub type TaskCell = RefCell<Box<TaskInner>>;

/// Creates a task in the Idle phase; [`start`] opens it.
pub fn new_task(
    id: TaskId,
    machine: Machine<Outgoing>,
    endpoint: Endpoint,
    hooks: Hooks,
    bound: bool,
    debug: bool,
) -> Rc<TaskCell> {
    Rc::new_cyclic(|weak| {
        RefCell::new(Box::new(TaskInner {
            id,
            machine,
            current_url: Rc::new(RefCell::new(if endpoint.url.is_string() {
                endpoint.url.clone()
            } else {
                JsValue::NULL
            })),
            endpoint,
            hooks,
            listeners: Listeners::default(),
            bound,
            debug,
            socket: None,
            timers: Default::default(),
            pending: VecDeque::new(),
            scratch: Vec::new(),
            running: false,
            connect_start: 0.0,
            weak: weak.clone(),
        }))
    })
}

/// Feeds one input to the machine, then runs every pending command (unless a run is already
/// under way further up the stack, which will pick them up).
pub fn apply<R>(
    cell: &TaskCell,
    f: impl FnOnce(&mut Machine<Outgoing>, &mut Vec<Command<Outgoing>>) -> R,
) -> Option<R> {
    let r = {
        let mut t = cell.try_borrow_mut().ok()?;
        let t = &mut *t;
        let before = t.machine.phase();
        let mut out = std::mem::take(&mut t.scratch);
        let r = f(&mut t.machine, &mut out);
        t.pending.extend(out.drain(..));
        t.scratch = out;
        let after = t.machine.phase();
        if t.debug && before != after {
            debug_transition(t.id, before, after);
        }
        if t.running {
            return Some(r);
        }
        t.running = true;
        r
    };
    loop {
        let cmd = cell.try_borrow_mut().ok().and_then(|mut t| t.pending.pop_front());
        match cmd {
            Some(cmd) => execute(cell, cmd),
            None => break,
        }
    }
    if let Ok(mut t) = cell.try_borrow_mut() {
        t.running = false;
    }
    Some(r)
}

fn debug_transition(id: TaskId, from: Phase, to: Phase) {
    let mut s = String::from("mpsocket: task ");
    crate::core::error::push_u64(&mut s, u64::from(id));
    s.push_str(": ");
    s.push_str(from.name());
    s.push_str(" -> ");
    s.push_str(to.name());
    web_sys::console::debug_1(&JsValue::from_str(&s));
}

fn execute(cell: &TaskCell, cmd: Command<Outgoing>) {
    match cmd {
        Command::Open { conn } => open_socket(cell, conn),
        Command::Transmit(m) => transmit(cell, m),
        Command::Fail(m, e) => fail_message(m, e),
        Command::Ping => ping(cell),
        Command::CloseSocket { code, reason } => {
            let socket = current_socket(cell);
            if let Some((socket, conn)) = socket {
                if socket.close_with(code, &reason).is_err() {
                    // The browser refused (it should not, the request was validated): finish
                    // as if the close handshake had completed.
                    let now = js::now();
                    apply(cell, |m, out| m.socket_close(now, conn, code, reason, 0, false, out));
                }
            }
        }
        Command::Abandon => {
            let handle = cell.try_borrow_mut().ok().and_then(|mut t| t.socket.take());
            if let Some(h) = handle {
                let socket = h.socket.clone();
                drop(h);
                let _ = socket.close_now();
            }
        }
        Command::SetTimer(t, after) => set_timer(cell, t, after),
        Command::CancelTimer(t) => {
            let old = cell.try_borrow_mut().ok().and_then(|mut i| i.timers[t as usize].take());
            drop(old);
        }
        Command::Release => {
            let id = match cell.try_borrow() {
                Ok(t) => t.id,
                Err(_) => return,
            };
            page::with(|p| {
                p.registry.release(id);
                p.tasks.retain(|(t, _)| *t != id);
            });
        }
        Command::EmitOpen { reconnect } => {
            let payload = open_payload(cell, reconnect);
            emit(cell, Kind::Open, &payload);
        }
        Command::EmitError(e) => emit(cell, Kind::Error, &js::err_obj(&e.err_msg())),
        Command::EmitReconnecting { attempt, delay, code, reason } => {
            let o = Object::new();
            js::set(&o, "attempt", &JsValue::from(attempt));
            js::set(&o, "delay", &JsValue::from(delay as f64));
            js::set(&o, "code", &JsValue::from(code));
            js::set(&o, "reason", &JsValue::from_str(&reason));
            emit(cell, Kind::Reconnecting, &o);
        }
        Command::EmitClose { code, reason } => {
            let o = Object::new();
            js::set(&o, "code", &JsValue::from(code));
            js::set(&o, "reason", &JsValue::from_str(&reason));
            emit(cell, Kind::Close, &o);
            // Final: every listener, timer and handler goes.
            let leftovers = cell.try_borrow_mut().ok().map(|mut t| {
                t.bound = false;
                let l = std::mem::take(&mut t.listeners);
                let s = t.socket.take();
                let timers = std::mem::take(&mut t.timers);
                (l, s, timers)
            });
            drop(leftovers);
        }
    }
}

fn current_socket(cell: &TaskCell) -> Option<(Socket, u32)> {
    let t = cell.try_borrow().ok()?;
    let h = t.socket.as_ref()?;
    Some((h.socket.clone(), t.machine.conn()))
}

fn set_timer(cell: &TaskCell, t: Timer, after: u64) {
    let Ok(mut inner) = cell.try_borrow_mut() else {
        return;
    };
    let weak = inner.weak.clone();
    // setTimeout treats anything above 2^31-1 as 0.
    let ms = after.min(0x7fff_ffff) as u32;
    let handle = Timeout::new(ms, move || {
        if let Some(cell) = weak.upgrade() {
            let buffered = current_socket(&cell).map_or(0.0, |(s, _)| s.buffered_amount());
            let buffered = if buffered.is_finite() && buffered > 0.0 { buffered as usize } else { 0 };
            apply(&cell, |m, out| m.timer(js::now(), t, buffered, out));
        }
    });
    inner.timers[t as usize] = Some(handle);
}

fn open_socket(cell: &TaskCell, conn: u32) {
    let (url, protocols, ctor, weak) = match cell.try_borrow() {
        Ok(t) => (t.endpoint.url.clone(), t.endpoint.protocols.clone(), t.endpoint.ctor.clone(), t.weak.clone()),
        Err(_) => return,
    };
    // A function URL is called on every attempt (token refresh).
    let url = if url.is_function() {
        match url.unchecked_ref::<Function>().call0(&JsValue::UNDEFINED) {
            Ok(u) if u.as_string().is_some_and(|s| crate::core::is_ws_url(&s)) => u,
            Ok(_) => {
                js::error("mpsocket: the url function did not return a ws:// or wss:// string");
                defer::push(Job::SocketFailed(weak, conn));
                return;
            }
            Err(e) => {
                js::report("mpsocket: the url function threw", &e);
                defer::push(Job::SocketFailed(weak, conn));
                return;
            }
        }
    } else {
        url
    };
    let args = if protocols.is_undefined() { Array::of1(&url) } else { Array::of2(&url, &protocols) };
    let socket = match Reflect::construct(&ctor, &args) {
        Ok(s) if s.is_object() => s.unchecked_into::<Socket>(),
        Ok(_) => {
            js::error("mpsocket: the WebSocket constructor did not return an object");
            defer::push(Job::SocketFailed(weak, conn));
            return;
        }
        Err(e) => {
            js::report("mpsocket: new WebSocket() threw", &e);
            defer::push(Job::SocketFailed(weak, conn));
            return;
        }
    };
    socket.set_binary_type("arraybuffer");
    let handle = attach(&socket, &weak, conn);
    if let Ok(mut t) = cell.try_borrow_mut() {
        if let Ok(mut u) = t.current_url.try_borrow_mut() {
            *u = url;
        }
        t.connect_start = js_sys::Date::now();
        t.socket = Some(handle);
    }
}

fn attach(socket: &Socket, weak: &Weak<TaskCell>, conn: u32) -> SocketHandle {
    let w = weak.clone();
    let onopen = Closure::<dyn FnMut(JsValue)>::new(move |_ev: JsValue| {
        if let Some(cell) = w.upgrade() {
            apply(&cell, |m, out| m.socket_open(js::now(), conn, out));
        }
    });
    let w = weak.clone();
    let onmessage = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        if let Some(cell) = w.upgrade() {
            on_message(&cell, ev.unchecked_ref::<js::Event>().data());
        }
    });
    let w = weak.clone();
    let onerror = Closure::<dyn FnMut(JsValue)>::new(move |_ev: JsValue| {
        if let Some(cell) = w.upgrade() {
            ended(&cell, conn, None);
        }
    });
    let w = weak.clone();
    let onclose = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        if let Some(cell) = w.upgrade() {
            let ev = ev.unchecked_ref::<js::Event>();
            let code = ev.code().as_f64().filter(|c| (0.0..=65535.0).contains(c)).map_or(ABNORMAL, |c| c as u16);
            let reason = ev.reason().as_string().unwrap_or_default();
            ended(&cell, conn, Some((code, reason)));
        }
    });
    socket.set_onopen(Some(onopen.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    socket.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    socket.set_onclose(Some(onclose.as_ref().unchecked_ref()));
    SocketHandle {
        socket: socket.clone(),
        _onopen: onopen,
        _onmessage: onmessage,
        _onerror: onerror,
        _onclose: onclose,
    }
}

/// Socket `conn` ended: with a close event (`Some((code, reason))`) or an error (`None`, which
/// the core treats as a close with 1006). Asks the `shouldReconnect` hook when it matters.
fn ended(cell: &TaskCell, conn: u32, close: Option<(u16, String)>) {
    let (buffered, hook) = match cell.try_borrow() {
        Ok(t) => {
            let b = t.socket.as_ref().map_or(0.0, |h| h.socket.buffered_amount());
            let hook = if t.machine.would_reconnect(conn) { t.hooks.should_reconnect.clone() } else { None };
            (if b.is_finite() && b > 0.0 { b as usize } else { 0 }, hook)
        }
        Err(_) => return,
    };
    let (code, reason) = match &close {
        Some((c, r)) => (*c, r.as_str()),
        None => (ABNORMAL, ""),
    };
    let allow = match hook {
        None => true,
        Some(f) => match f.call2(&JsValue::UNDEFINED, &JsValue::from(code), &JsValue::from_str(reason)) {
            Ok(v) => v.is_truthy(),
            Err(e) => {
                js::report("mpsocket: shouldReconnect threw; reconnecting anyway", &e);
                true
            }
        },
    };
    let now = js::now();
    match close {
        Some((code, reason)) => apply(cell, |m, out| m.socket_close(now, conn, code, reason, buffered, allow, out)),
        None => apply(cell, |m, out| m.socket_error(now, conn, buffered, allow, out)),
    };
}

/// The socket `conn` could not be created: a failed connection, reported asynchronously.
pub fn socket_failed(cell: &TaskCell, conn: u32) {
    ended(cell, conn, None);
}

fn on_message(cell: &TaskCell, data: JsValue) {
    // A string pong is matched under the borrow (no user code runs); a predicate is called
    // after it is released.
    let (listeners, bound, predicate) = match cell.try_borrow_mut() {
        Ok(mut t) => {
            let t = &mut *t;
            let mut predicate = None;
            if t.machine.config().heartbeat.is_some() {
                match t.hooks.pong_len {
                    Some(len) => {
                        let is_pong = data.is_string()
                            && data.unchecked_ref::<js_sys::JsString>().length() == len
                            && t.hooks.pong == data;
                        t.machine.inbound(js::now(), is_pong);
                        if is_pong && !t.hooks.deliver_pongs {
                            return;
                        }
                    }
                    None => predicate = Some(t.hooks.pong.clone()),
                }
            }
            (t.listeners.message.clone(), t.bound, predicate)
        }
        Err(_) => return,
    };
    if let Some(matcher) = predicate {
        let is_pong = matches_pong(&matcher, &data);
        let deliver = match cell.try_borrow_mut() {
            Ok(mut t) => {
                t.machine.inbound(js::now(), is_pong);
                !is_pong || t.hooks.deliver_pongs
            }
            Err(_) => true,
        };
        if !deliver {
            return;
        }
    }
    let payload = Object::new();
    payload.unchecked_ref::<js::Payload>().set_data(&data);
    for f in listeners.iter() {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, &payload) {
            js::report(Kind::Message.context(), &e);
        }
    }
    if bound {
        legacy_emit(Kind::Message, &payload);
    }
}

/// Whether `data` is a pong, for a predicate matcher (or anything that is not a string).
fn matches_pong(matcher: &JsValue, data: &JsValue) -> bool {
    if matcher.is_function() {
        match matcher.unchecked_ref::<Function>().call1(&JsValue::UNDEFINED, data) {
            Ok(v) => v.is_truthy(),
            Err(e) => {
                js::report("mpsocket: the heartbeat pong predicate threw", &e);
                false
            }
        }
    } else {
        false
    }
}

fn transmit(cell: &TaskCell, m: Outgoing) {
    let (socket, queue_mode) = match cell.try_borrow() {
        Ok(t) => (t.socket.as_ref().map(|h| h.socket.clone()), t.machine.config().queue.is_some()),
        Err(_) => return fail_message(m, Error::TaskNotOpen),
    };
    let Some(socket) = socket else {
        return fail_message(m, Error::TaskNotOpen);
    };
    if !queue_mode {
        // The close event may still be on its way: the browser would drop the data silently.
        let rs = socket.ready_state();
        if rs == 2.0 || rs == 3.0 {
            return fail_message(m, Error::TaskNotOpen);
        }
    }
    match socket.send(&m.data) {
        Ok(()) => {
            m.reply.ok_msg("sendSocketMessage:ok");
            if queue_mode {
                if let Ok(mut t) = cell.try_borrow_mut() {
                    if t.machine.inflight_len() >= 16 {
                        let b = socket.buffered_amount();
                        t.machine.transmitted(if b.is_finite() && b > 0.0 { b as usize } else { 0 });
                    }
                }
            }
        }
        Err(e) => {
            let msg = js::get(&e, "message").as_string().unwrap_or_else(|| "send failed".into());
            fail_message(m, Error::Socket("sendSocketMessage", msg));
        }
    }
}

fn fail_message(m: Outgoing, e: Error) {
    let e = match e {
        Error::TaskNotOpen if m.legacy => Error::NotConnected("sendSocketMessage"),
        e => e,
    };
    m.reply.fail(&e.err_msg());
}

fn ping(cell: &TaskCell) {
    let (socket, msg) = match cell.try_borrow() {
        Ok(t) => (t.socket.as_ref().map(|h| h.socket.clone()), t.hooks.ping.clone()),
        Err(_) => return,
    };
    let Some(socket) = socket else { return };
    let data = if msg.is_function() {
        match msg.unchecked_ref::<Function>().call0(&JsValue::UNDEFINED) {
            Ok(d) => d,
            Err(e) => {
                js::report("mpsocket: the heartbeat message function threw", &e);
                return;
            }
        }
    } else {
        msg
    };
    if let Err(e) = socket.send(&data) {
        js::report("mpsocket: sending the heartbeat failed", &e);
    }
}

fn open_payload(cell: &TaskCell, reconnect: bool) -> JsValue {
    let (socket, start) = match cell.try_borrow() {
        Ok(t) => (t.socket.as_ref().map(|h| h.socket.clone()), t.connect_start),
        Err(_) => (None, 0.0),
    };
    let header = Object::new();
    if let Some(s) = &socket {
        js::set(&header, "sec-websocket-protocol", &JsValue::from(s.protocol().as_string().unwrap_or_default()));
        js::set(&header, "sec-websocket-extensions", &JsValue::from(s.extensions().as_string().unwrap_or_default()));
    }
    let end = js_sys::Date::now();
    let profile = Object::new();
    for (k, v) in [
        ("fetchStart", start),
        ("domainLookUpStart", 0.0),
        ("domainLookUpEnd", 0.0),
        ("connectStart", start),
        ("connectEnd", end),
        ("rtt", 0.0),
        ("handshakeCost", 0.0),
        ("cost", if start > 0.0 { end - start } else { 0.0 }),
    ] {
        js::set(&profile, k, &JsValue::from(v));
    }
    let o = Object::new();
    js::set(&o, "header", &header);
    js::set(&o, "profile", &profile);
    js::set(&o, "isReconnect", &JsValue::from(reconnect));
    o.into()
}

fn emit(cell: &TaskCell, kind: Kind, payload: &JsValue) {
    let (fs, bound) = match cell.try_borrow() {
        Ok(t) => (t.listeners.snapshot(kind), t.bound),
        Err(_) => return,
    };
    for f in &fs {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, payload) {
            js::report(kind.context(), &e);
        }
    }
    if bound {
        legacy_emit(kind, payload);
    }
}

fn legacy_emit(kind: Kind, payload: &JsValue) {
    let f = page::with(|p| match kind {
        Kind::Open => p.legacy.open.clone(),
        Kind::Message => p.legacy.message.clone(),
        Kind::Error => p.legacy.error.clone(),
        Kind::Close => p.legacy.close.clone(),
        Kind::Reconnecting => None,
    })
    .flatten();
    if let Some(f) = f {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, payload) {
            js::report(kind.context(), &e);
        }
    }
}

/// Adds a listener; ignored once the task is closed (its listeners are gone for good).
pub fn add_listener(cell: &TaskCell, kind: Kind, f: Function) {
    if let Ok(mut t) = cell.try_borrow_mut() {
        if t.machine.phase() != Phase::Closed {
            t.listeners.list(kind).push(f);
        }
    }
}

/// Removes one listener (the first registration equal to `f`), or all with `None`.
pub fn remove_listener(cell: &TaskCell, kind: Kind, f: Option<&JsValue>) {
    if let Ok(mut t) = cell.try_borrow_mut() {
        let list = t.listeners.list(kind);
        match f {
            None => list.clear(),
            Some(f) => {
                if let Some(i) = list.iter().position(|g| JsValue::from(g.clone()) == *f) {
                    list.remove(i);
                }
            }
        }
    }
}

/// The underlying socket object, or `null`.
pub fn raw_socket(cell: &TaskCell) -> JsValue {
    current_socket(cell).map_or(JsValue::NULL, |(s, _)| s.into())
}
