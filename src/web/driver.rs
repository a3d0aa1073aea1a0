//! The driver of the tasks: it feeds inputs into each task's core [`Machine`] and carries out
//! the [`Command`]s that come back, through the edge (sockets, payloads, listeners, timers).
//!
//! Exception safety, by construction:
//! - the page state is borrowed only inside [`page::with`] closures, which never call
//!   JavaScript; every call out (edge, user hooks) happens with nothing borrowed;
//! - user listeners never run here at all: events are queued on the edge and dispatched by
//!   it after Rust has returned (or, for timers and network events, by `edge.drain()` as the
//!   last step, with nothing borrowed);
//! - nothing foreign runs from Rust either: socket actions (open, with a `url` function
//!   called first; send; close; the heartbeat message) go to the edge's action queue, which
//!   the edge carries out in order after Rust has returned. A socket or a `url` function
//!   that re-enters therefore finds Rust idle;
//! - each task's commands run from a FIFO, so a command that re-enters the task appends its
//!   commands after the current one instead of running them out of order. The `running`
//!   mark that makes this work is cleared by a drop guard, and only our own edge code runs
//!   while it is set.

use std::collections::VecDeque;

use wasm_bindgen::prelude::*;

use super::{clock, edge, page};
use crate::engine::machine::{Command, Machine, Phase, Timer};
use crate::engine::queue::Payload;
use crate::engine::registry::TaskId;

/// A message on its way out. The payload and the reply never enter Rust memory: they are
/// handles to JS values, passed back to the edge when the message is sent or failed.
///
/// A message must settle: whoever hands its reply to the edge (or leaves the edge to settle
/// it) calls [`Msg::settled`]. One dropped with its reply still armed fails that reply with
/// a clear `errMsg`, so no callback or Promise waits forever.
#[must_use = "a message's reply must be settled: transmit it, fail it, or call settled()"]
pub struct Msg {
    /// A string, or an ArrayBuffer holding exactly the bytes sent (a copy when it must
    /// survive the caller reusing its buffer).
    pub data: JsValue,
    /// The edge's reply record (callbacks or Promise), or `undefined`.
    pub reply: JsValue,
    /// UTF-16 length of text, byte length of binary.
    pub len: u32,
    /// `data` is a string.
    pub text: bool,
    /// Sent through `sendSocketMessage`, whose errors read differently.
    pub legacy: bool,
    /// A resend copy: its original already reported its outcome.
    pub copy: bool,
    /// Tells this message from others in the commands of one send.
    pub seq: u32,
}

impl Msg {
    /// Disarms the drop guard: the reply was settled (or the edge settles it).
    pub fn settled(mut self) {
        self.reply = JsValue::UNDEFINED;
    }
}

impl Drop for Msg {
    fn drop(&mut self) {
        if !self.reply.is_undefined() {
            if let Some(e) = edge::get() {
                // Our own JS: it queues the settlement, it runs no user code now.
                e.fail(&self.reply, &crate::engine::error::Error::Dropped.err_msg());
            }
        }
    }
}

impl Payload for Msg {
    fn bytes(&self) -> usize {
        if self.text {
            // Exact UTF-8 size, asked of the edge only when the message is queued or re-queued.
            let n = edge::get().map_or(f64::from(self.len), |e| e.utf8(&self.data));
            if n.is_finite() && n > 0.0 {
                n as usize
            } else {
                0
            }
        } else {
            self.len as usize
        }
    }

    fn min_bytes(&self) -> usize {
        self.len as usize
    }

    fn resend_copy(&self) -> Self {
        Msg {
            data: self.data.clone(),
            reply: JsValue::UNDEFINED,
            len: self.len,
            text: self.text,
            legacy: self.legacy,
            copy: true,
            seq: self.seq,
        }
    }
}

/// One live task's driver state, owned by the page registry.
pub struct Task {
    /// The edge's `SocketTask` object.
    pub js: JsValue,
    pub machine: Machine<Msg>,
    /// A `ws(s)://` string, or a function returning one on each attempt.
    pub url: JsValue,
    /// `undefined` or an array of strings.
    pub protocols: JsValue,
    /// The WebSocket constructor.
    pub ctor: JsValue,
    pub debug: bool,
    pending: VecDeque<Command<Msg>>,
    running: bool,
    released: bool,
    /// What the edge was last told: (readyState, direct).
    mirror: (u8, bool),
    /// The edge's inbound count at the last heartbeat tick.
    rx_seen: u32,
}

impl Task {
    /// A task in the Idle phase.
    pub fn new(
        js: JsValue,
        machine: Machine<Msg>,
        url: JsValue,
        protocols: JsValue,
        ctor: JsValue,
        debug: bool,
    ) -> Task {
        Task {
            js,
            machine,
            url,
            protocols,
            ctor,
            debug,
            pending: VecDeque::new(),
            running: false,
            released: false,
            mirror: (0, false),
            rx_seen: 0,
        }
    }
}

/// What an input to a task's machine decided about one message sent on the fast path.
pub enum Sent {
    /// The edge hands the message (this `seq`) to the socket itself and settles its reply.
    Now(u32),
    /// Rust holds the message (queued, or behind earlier commands).
    Held,
    /// The message failed with this error message.
    Failed(String),
    /// No such live task.
    Gone,
}

/// Feeds one input to task `id`'s machine (with its driver state), then runs every pending
/// command unless a run is already under way further up the stack, which will pick them up.
/// `None` when the task is not live.
pub fn apply<R>(id: TaskId, f: impl FnOnce(&mut Task, &mut Vec<Command<Msg>>) -> R) -> Option<R> {
    let (r, run, moved) = page::with(|p| {
        let t = p.reg.get_mut(id)?;
        let before = t.machine.phase();
        let mut out = Vec::new();
        let r = f(t, &mut out);
        t.pending.extend(out);
        let after = t.machine.phase();
        let moved = (t.debug && before != after).then_some((before, after));
        let run = !t.running && !t.pending.is_empty();
        if run {
            t.running = true;
        }
        Some((r, run, moved))
    })
    .flatten()?;
    if let Some((before, after)) = moved {
        debug_transition(id, before, after);
    }
    if run {
        run_task(id);
    } else {
        sync(id);
    }
    Some(r)
}

/// A send on task `id`: the fast path returns [`Sent::Now`] when the only thing to do is to
/// hand the message to the socket, so the edge does it without a second call. `fast` is
/// `false` while the edge is carrying out earlier socket actions: the message then goes to
/// the back of its action queue, in order.
pub fn send(id: TaskId, mut m: Msg, buffered: usize, socket_open: bool, fast: bool) -> Sent {
    let r = page::with(|p| {
        // 1..=2^31-1: the edge reads a positive return as "send now, this seq".
        p.seq = if p.seq >= 0x7fff_ffff { 1 } else { p.seq + 1 };
        let seq = p.seq;
        m.seq = seq;
        let Some(t) = p.reg.get_mut(id) else {
            m.settled(); // the edge fails it
            return (Sent::Gone, false);
        };
        let mut out = Vec::new();
        t.machine.transmitted(buffered);
        if socket_open {
            t.machine.send(m, &mut out);
        } else {
            t.machine.send_socket_closing(m, &mut out);
        }
        if !t.running && t.pending.is_empty() && out.len() == 1 {
            match out.pop() {
                Some(Command::Transmit(m)) if m.seq == seq && fast => {
                    m.settled(); // the edge sends it and reports success
                    return (Sent::Now(seq), false);
                }
                Some(Command::Fail(m, e)) if m.seq == seq => {
                    let e = if m.legacy { e.legacy() } else { e };
                    m.settled(); // the edge reports the failure
                    return (Sent::Failed(e.err_msg()), false);
                }
                Some(c) => out.push(c),
                None => {}
            }
        }
        t.pending.extend(out);
        let run = !t.running && !t.pending.is_empty();
        if run {
            t.running = true;
        }
        (Sent::Held, run)
    });
    match r {
        Some((sent, run)) => {
            if run {
                run_task(id);
            }
            sent
        }
        None => Sent::Gone,
    }
}

/// Clears a task's `running` mark however its run ends.
struct Running(TaskId);

impl Drop for Running {
    fn drop(&mut self) {
        page::with(|p| {
            if let Some(t) = p.reg.get_mut(self.0) {
                t.running = false;
            }
        });
    }
}

fn run_task(id: TaskId) {
    {
        let _running = Running(id);
        loop {
            let next = page::with(|p| p.reg.get_mut(id).and_then(|t| t.pending.pop_front().map(|c| (c, t.js.clone()))))
                .flatten();
            match next {
                Some((cmd, js)) => execute(id, &js, cmd),
                None => break,
            }
        }
    }
    sync(id);
}

/// Tells the edge the task's readyState and fast-path flag when they changed, and removes a
/// released task from the registry (its state is dropped outside the borrow).
fn sync(id: TaskId) {
    let r = page::with(|p| {
        let t = p.reg.get_mut(id)?;
        if t.running {
            return None;
        }
        let now = (t.machine.phase().ready_state(), t.machine.direct());
        let changed = now != t.mirror;
        t.mirror = now;
        let js = t.js.clone();
        let gone = if t.released && t.pending.is_empty() { p.reg.release(id) } else { None };
        Some((js, now, changed, gone))
    })
    .flatten();
    if let Some((js, (rs, direct), changed, gone)) = r {
        let Some(e) = edge::get() else { return };
        if changed {
            e.state(&js, rs, direct);
        }
        if gone.is_some() {
            e.bind(&js, false);
        }
        drop(gone);
    }
}

fn debug_transition(id: TaskId, from: Phase, to: Phase) {
    let mut s = String::from("mpsocket: task ");
    crate::engine::error::push_u64(&mut s, u64::from(id));
    s.push_str(": ");
    s.push_str(from.name());
    s.push_str(" -> ");
    s.push_str(to.name());
    edge::debug(&s);
}

fn execute(id: TaskId, js: &JsValue, cmd: Command<Msg>) {
    let Some(e) = edge::get() else { return };
    match cmd {
        Command::Open { conn } => {
            if let Some((url, protocols, ctor)) =
                with_task(id, |t| (t.url.clone(), t.protocols.clone(), t.ctor.clone()))
            {
                e.open(js, conn, &url, &protocols, &ctor);
            }
        }
        Command::Transmit(m) => {
            // The edge settles the reply; a socket that throws is reported back by `seq`.
            e.transmit(js, &m.data, &m.reply, m.seq);
            m.settled();
        }
        Command::Fail(m, err) => {
            if !m.copy {
                let err = if m.legacy { err.legacy() } else { err };
                e.fail(&m.reply, &err.err_msg());
            }
            m.settled();
        }
        Command::Ping => e.ping(js),
        // With no socket, or one that refuses, the edge reports the close as done (`ended`).
        Command::CloseSocket { code, reason } => {
            let conn = with_task(id, |t| t.machine.conn()).unwrap_or(0);
            e.close(js, conn, code, &reason);
        }
        Command::Abandon => e.abandon(js),
        // setTimeout treats anything above 2^31-1 as 0.
        Command::SetTimer(t, after) => e.set_timer(js, t as u32, after.min(0x7fff_ffff) as u32),
        Command::CancelTimer(t) => e.clear_timer(js, t as u32),
        Command::Notify(on) => e.notify(js, on),
        Command::Release => {
            with_task(id, |t| t.released = true);
        }
        Command::EmitOpen { reconnect } => e.emit(js, 0, if reconnect { 1.0 } else { 0.0 }, 0.0, 0.0, ""),
        Command::EmitError(err) => e.emit(js, 1, 0.0, 0.0, 0.0, &err.err_msg()),
        Command::EmitReconnecting { attempt, delay, code, reason } => {
            e.emit(js, 3, f64::from(attempt), delay as f64, f64::from(code), &reason)
        }
        Command::EmitClose { code, reason } => e.emit(js, 2, f64::from(code), 0.0, 0.0, &reason),
    }
}

/// Runs `f` on a live task's state.
pub fn with_task<R>(id: TaskId, f: impl FnOnce(&mut Task) -> R) -> Option<R> {
    page::with(|p| p.reg.get_mut(id).map(|t| f(t))).flatten()
}

/// A timer of task `id` fired. The edge read the socket's `bufferedAmount` and the task's
/// inbound count (`rx`) before calling; it dispatches the events when this returns.
pub fn fire(id: TaskId, t: Timer, buffered: usize, rx: u32) {
    let now = clock::now();
    apply(id, |task, out| {
        if t == Timer::Heartbeat && rx != task.rx_seen {
            task.rx_seen = rx;
            task.machine.inbound(now, false, out);
        }
        task.machine.timer(now, t, buffered, out);
    });
}

/// The edge called the `url` function of task `id` for socket `conn` and got `url`: `1`
/// open it; `0` don't (the function closed the task, or the machine moved on); `-1` it is not
/// a `ws://`/`wss://` string (logged; the edge fails the connection).
pub fn opening(id: TaskId, conn: u32, url: &JsValue) -> i32 {
    let still = with_task(id, |t| t.machine.conn() == conn && t.machine.phase() == Phase::Connecting);
    if still != Some(true) {
        return 0;
    }
    if url.as_string().is_some_and(|s| s.len() <= crate::api::MAX_URL && crate::engine::is_ws_url(&s)) {
        1
    } else {
        edge::error("mpsocket: the url function did not return a ws:// or wss:// string");
        -1
    }
}

/// A `bufferedAmount` as a byte count (negative, NaN and infinite read as 0).
pub fn clamp(b: f64) -> usize {
    if b.is_finite() && b > 0.0 {
        b as usize
    } else {
        0
    }
}
