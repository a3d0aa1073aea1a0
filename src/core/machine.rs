//! The sans-IO state machine of one task.
//!
//! Inputs are method calls (user calls, socket events, timer fires, network changes), each
//! with `now` in milliseconds. Outputs are [`Command`]s pushed onto a caller-owned `Vec`,
//! which the caller carries out in order. The machine never reads a clock, never touches a
//! socket and never calls user code, so every rule is testable with a fake clock.
//!
//! ```text
//!            start                open                   close() / peer close
//!  Idle ─────────────▶ Connecting ─────▶ Open ──────────────────────────────┐
//!                         ▲  │ fail/timeout │ drop / heartbeat dead          ▼
//!                         │  ▼              ▼                             Closed
//!                Backoff ◀──── (reconnect on, retries left, online) ──────────▲
//!                   │  ▲                                                     │
//!         offline   ▼  │ online                     give up / declined / close()
//!                 Paused ────────────────────────────────────────────────────┘
//! ```

use std::collections::VecDeque;

use super::backoff::{ReconnectConfig, Rng};
use super::close::{fill_reason, CloseRequest, ABNORMAL};
use super::error::Error;
use super::queue::{Payload, Queue, QueueConfig};
use super::Millis;

/// Heartbeat timing (contract B1 `heartbeat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeartbeatConfig {
    /// Silence after which a ping is sent. Default 30000 ms.
    pub interval: Millis,
    /// Time a ping may go unanswered (by anything at all) before the connection is declared
    /// dead. Default 10000 ms.
    pub timeout: Millis,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        HeartbeatConfig { interval: 30_000, timeout: 10_000 }
    }
}

/// Everything a task is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Connect timeout (the `timeout` option). Default 60000 ms.
    pub connect_timeout: Millis,
    /// How long a user close waits for the close handshake before the socket is abandoned.
    /// Default 2000 ms: a peer that answers at all answers within a round trip.
    pub close_timeout: Millis,
    /// `None` when the queue is off.
    pub queue: Option<QueueConfig>,
    /// `None` when heartbeats are off.
    pub heartbeat: Option<HeartbeatConfig>,
    /// `None` when reconnect (and with it network awareness) is off.
    pub reconnect: Option<ReconnectConfig>,
    /// Seed of the jitter's random source.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { connect_timeout: 60_000, close_timeout: 2000, queue: None, heartbeat: None, reconnect: None, seed: 1 }
    }
}

/// The timers a task may have running; at most one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Connect timeout while CONNECTING.
    Connect = 0,
    /// Close handshake timeout after a user close.
    Close = 1,
    /// Wait before the next reconnect attempt.
    Backoff = 2,
    /// Heartbeat check while OPEN.
    Heartbeat = 3,
}

/// Number of [`Timer`] kinds.
pub const TIMERS: usize = 4;

/// Where the task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Created, [`Machine::start`] not called yet.
    Idle,
    /// A socket is opening.
    Connecting,
    /// The socket is open.
    Open,
    /// The user asked to close; waiting for the socket to finish.
    Closing,
    /// Waiting before a reconnect attempt.
    Backoff,
    /// Reconnect paused while the runtime is offline.
    Paused,
    /// Finished for good.
    Closed,
}

impl Phase {
    /// The WebSocket `readyState` reported for this phase. A task that is between
    /// connections reports CONNECTING.
    pub fn ready_state(self) -> u8 {
        match self {
            Phase::Idle | Phase::Connecting | Phase::Backoff | Phase::Paused => 0,
            Phase::Open => 1,
            Phase::Closing => 2,
            Phase::Closed => 3,
        }
    }

    /// A short lowercase name, for debug logs.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Connecting => "connecting",
            Phase::Open => "open",
            Phase::Closing => "closing",
            Phase::Backoff => "backoff",
            Phase::Paused => "paused",
            Phase::Closed => "closed",
        }
    }
}

/// What the driver must do, in order.
#[derive(Debug, PartialEq)]
pub enum Command<M> {
    /// Create socket number `conn` (replacing none: there is never more than one).
    Open {
        /// Identifies the socket in later events; events of older sockets are ignored.
        conn: u32,
    },
    /// Hand the message to the socket, then report its success.
    Transmit(M),
    /// Report the message's failure.
    Fail(M, Error),
    /// Send the heartbeat message.
    Ping,
    /// Start the close handshake of the current socket and keep listening to it.
    CloseSocket {
        /// A code the browser accepts.
        code: u16,
        /// At most 123 bytes.
        reason: String,
    },
    /// Stop listening to the current socket, close it, and forget it.
    Abandon,
    /// (Re)start a timer; a running one of the same kind is replaced.
    SetTimer(Timer, Millis),
    /// Stop a timer.
    CancelTimer(Timer),
    /// Ask the driver to report every inbound message ([`Machine::inbound`]) while `true`:
    /// the machine is waiting for the answer to a probe before it flushes the queue. While
    /// `false`, inbound messages are only counted, and the count is read at the heartbeat tick.
    Notify(bool),
    /// The task closed for good: free its slot in the registry. Comes before the final events.
    Release,
    /// Call the `onOpen` listeners.
    EmitOpen {
        /// `true` for every open after the first.
        reconnect: bool,
    },
    /// Call the `onError` listeners.
    EmitError(Error),
    /// Call the `onReconnecting` listeners, before a wait.
    EmitReconnecting {
        /// 1-based attempt number.
        attempt: u32,
        /// The wait in ms.
        delay: Millis,
        /// Code of the close that caused it.
        code: u16,
        /// Reason of that close (filled from the table when empty).
        reason: String,
    },
    /// Call the `onClose` listeners, then drop every listener. Always the last command.
    EmitClose {
        /// Close code.
        code: u16,
        /// Close reason (filled from the table when empty).
        reason: String,
    },
}

#[derive(Debug, Default)]
struct Heartbeat {
    last_rx: Millis,
    ping_at: Option<Millis>,
    last_rtt: Option<Millis>,
}

/// One task's state. `M` is the message type: the driver's payload handle, or a plain id in
/// tests.
#[derive(Debug)]
pub struct Machine<M> {
    cfg: Config,
    phase: Phase,
    conn: u32,
    timers: u8,
    opened_once: bool,
    opened_at: Millis,
    attempt: u32,
    online: bool,
    user_close: Option<CloseRequest>,
    /// An online probe is out: sends are held until anything arrives.
    probing: bool,
    last_close: (u16, String),
    pending_error: Option<Error>,
    queue: Queue<M>,
    inflight: VecDeque<(M, usize)>,
    inflight_min: usize,
    hb: Heartbeat,
    rng: Rng,
}

type Out<M> = Vec<Command<M>>;

/// The heartbeat's tick: half the interval (at least 1 ms).
fn tick(hb: HeartbeatConfig) -> Millis {
    (hb.interval / 2).max(1)
}

impl<M: Payload> Machine<M> {
    /// A machine in [`Phase::Idle`].
    pub fn new(cfg: Config) -> Self {
        let rng = Rng::new(cfg.seed);
        Machine {
            cfg,
            phase: Phase::Idle,
            conn: 0,
            timers: 0,
            opened_once: false,
            opened_at: 0,
            attempt: 0,
            online: true,
            user_close: None,
            probing: false,
            last_close: (ABNORMAL, String::new()),
            pending_error: None,
            queue: Queue::default(),
            inflight: VecDeque::new(),
            inflight_min: 0,
            hb: Heartbeat::default(),
            rng,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Id of the current (or last) socket.
    pub fn conn(&self) -> u32 {
        self.conn
    }

    /// Messages waiting in the queue.
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    /// Bytes waiting in the queue.
    pub fn queue_bytes(&self) -> usize {
        self.queue.bytes()
    }

    /// Copies kept of transmitted messages the browser may not have sent yet.
    pub fn inflight_len(&self) -> usize {
        self.inflight.len()
    }

    /// The current reconnect attempt number; 0 when connected for at least `minUptime` or
    /// never disconnected.
    pub fn reconnect_attempt(&self, now: Millis) -> u32 {
        match (&self.cfg.reconnect, self.phase) {
            (Some(r), Phase::Open) if now.saturating_sub(self.opened_at) >= r.min_uptime => 0,
            _ => self.attempt,
        }
    }

    /// Round-trip time of the last answered ping.
    pub fn last_rtt(&self) -> Option<Millis> {
        self.hb.last_rtt
    }

    /// Whether a close of socket `conn` arriving now would lead to a reconnect if the
    /// `shouldReconnect` hook agrees; the driver asks the hook only then.
    pub fn would_reconnect(&self, conn: u32) -> bool {
        self.cfg.reconnect.is_some() && conn == self.conn && matches!(self.phase, Phase::Connecting | Phase::Open)
    }

    fn set_timer(&mut self, t: Timer, after: Millis, out: &mut Out<M>) {
        self.timers |= 1 << t as u8;
        out.push(Command::SetTimer(t, after));
    }

    fn cancel_timer(&mut self, t: Timer, out: &mut Out<M>) {
        if self.timers & (1 << t as u8) != 0 {
            self.timers &= !(1 << t as u8);
            out.push(Command::CancelTimer(t));
        }
    }

    fn fired(&mut self, t: Timer) -> bool {
        let was = self.timers & (1 << t as u8) != 0;
        self.timers &= !(1 << t as u8);
        was
    }

    fn connect(&mut self, out: &mut Out<M>) {
        self.conn = self.conn.wrapping_add(1);
        self.phase = Phase::Connecting;
        out.push(Command::Open { conn: self.conn });
        let t = self.cfg.connect_timeout;
        self.set_timer(Timer::Connect, t, out);
    }

    /// Opens the first socket. `online` is the runtime's current network state.
    pub fn start(&mut self, online: bool, out: &mut Out<M>) {
        if self.phase == Phase::Idle {
            self.online = online;
            self.connect(out);
        }
    }

    /// The connection limit was reached: the task goes straight to CLOSED, with no events.
    pub fn refuse(&mut self) {
        self.phase = Phase::Closed;
    }

    /// A user `send`. The message is transmitted now, queued, or failed.
    pub fn send(&mut self, m: M, out: &mut Out<M>) {
        match (self.phase, self.cfg.queue) {
            (Phase::Open, _) if !self.holding() => self.transmit(m, out),
            (Phase::Closed | Phase::Closing, Some(_)) => out.push(Command::Fail(m, Error::TaskClosed)),
            (_, Some(q)) => {
                let size = m.bytes();
                self.queue.push(m, size, &q, |old| out.push(Command::Fail(old, Error::QueueFull)));
            }
            (_, None) => out.push(Command::Fail(m, Error::TaskNotOpen)),
        }
    }

    /// A user `send` made while the task is OPEN but its socket no longer reports OPEN: the
    /// peer's close is on its way, and the browser would drop the bytes after reporting them
    /// sent. With a queue the message waits for the next connection; without one it fails.
    pub fn send_socket_closing(&mut self, m: M, out: &mut Out<M>) {
        match (self.phase, self.cfg.queue) {
            (Phase::Open, Some(q)) => {
                let size = m.bytes();
                self.queue.push(m, size, &q, |old| out.push(Command::Fail(old, Error::QueueFull)));
            }
            (Phase::Open, None) => out.push(Command::Fail(m, Error::TaskNotOpen)),
            _ => self.send(m, out),
        }
    }

    /// Whether an open socket may be handed data now. With reconnect (and with it network
    /// awareness) on, nothing goes to a socket while the runtime is offline or while the probe
    /// made on `online` is unanswered: the browser would accept the bytes, report them sent,
    /// and lose them.
    pub fn holding(&self) -> bool {
        self.cfg.reconnect.is_some() && (!self.online || self.probing)
    }

    /// Whether a send made now goes straight to the open socket with nothing else to do: OPEN,
    /// not holding, and no queue (so no resend copy is kept). The driver may then skip the
    /// machine for the message.
    pub fn direct(&self) -> bool {
        self.phase == Phase::Open && self.cfg.queue.is_none() && !self.holding()
    }

    fn transmit(&mut self, m: M, out: &mut Out<M>) {
        if let Some(q) = self.cfg.queue {
            let min = m.min_bytes();
            self.inflight.push_back((m.resend_copy(), min));
            self.inflight_min += min;
            // Bounded memory: beyond the queue's bounds, the oldest copies go.
            while self.inflight.len() > q.max_messages || self.inflight_min > q.max_bytes {
                match self.inflight.pop_front() {
                    Some((_, n)) => self.inflight_min -= n,
                    None => break,
                }
            }
        }
        out.push(Command::Transmit(m));
    }

    /// After a transmit: `buffered` is the socket's `bufferedAmount`. Copies of messages the
    /// browser has certainly sent are dropped.
    pub fn transmitted(&mut self, buffered: usize) {
        while let Some(&(_, n)) = self.inflight.front() {
            if self.inflight_min - n >= buffered {
                self.inflight.pop_front();
                self.inflight_min -= n;
            } else {
                break;
            }
        }
    }

    /// The socket refused a transmitted message (its `send` threw): the copy kept for a
    /// resend goes, since the message was reported failed. `is_it` picks the message out of
    /// the copies (the newest match goes); nothing happens when none matches.
    pub fn unsent(&mut self, is_it: impl Fn(&M) -> bool) {
        if let Some(i) = self.inflight.iter().rposition(|(m, _)| is_it(m)) {
            if let Some((_, n)) = self.inflight.remove(i) {
                self.inflight_min -= n;
            }
        }
    }

    /// A user `close()`, already validated.
    ///
    /// # Errors
    /// [`Error::NotConnected`] when the task is already CLOSED.
    pub fn close(&mut self, req: CloseRequest, out: &mut Out<M>) -> Result<(), Error> {
        match self.phase {
            Phase::Closed => Err(Error::NotConnected("closeSocket")),
            Phase::Closing => Ok(()),
            Phase::Backoff | Phase::Paused | Phase::Idle => {
                let (code, reason) = (req.code, req.reason.clone());
                self.user_close = Some(req);
                self.finish(code, reason, None, out);
                Ok(())
            }
            Phase::Connecting | Phase::Open => {
                self.phase = Phase::Closing;
                self.cancel_timer(Timer::Connect, out);
                self.cancel_timer(Timer::Heartbeat, out);
                out.push(Command::CloseSocket { code: req.code, reason: req.reason.clone() });
                self.user_close = Some(req);
                let t = self.cfg.close_timeout;
                self.set_timer(Timer::Close, t, out);
                Ok(())
            }
        }
    }

    /// The socket `conn` opened.
    pub fn socket_open(&mut self, now: Millis, conn: u32, out: &mut Out<M>) {
        if conn != self.conn || self.phase != Phase::Connecting {
            return;
        }
        self.phase = Phase::Open;
        self.opened_at = now;
        self.pending_error = None;
        self.cancel_timer(Timer::Connect, out);
        self.probing = false;
        if !self.holding() {
            self.flush(out);
        }
        if let Some(hb) = self.cfg.heartbeat {
            self.hb.last_rx = now;
            self.hb.ping_at = None;
            self.set_timer(Timer::Heartbeat, tick(hb), out);
        }
        let reconnect = self.opened_once;
        self.opened_once = true;
        out.push(Command::EmitOpen { reconnect });
    }

    fn flush(&mut self, out: &mut Out<M>) {
        while let Some(m) = self.queue.pop() {
            self.transmit(m, out);
        }
    }

    /// Something arrived on the open socket at `now`. `pong` says whether it matched the
    /// heartbeat's pong. Cheap: no timer is touched. The driver calls this for pongs, for
    /// every message while [`Command::Notify`] is on, and at a heartbeat tick when its count
    /// of inbound messages moved (then `now` is the tick's time).
    pub fn inbound(&mut self, now: Millis, pong: bool, out: &mut Out<M>) {
        if self.phase != Phase::Open {
            return;
        }
        self.hb.last_rx = now;
        if pong {
            if let Some(p) = self.hb.ping_at {
                self.hb.last_rtt = Some(now.saturating_sub(p));
            }
        }
        if self.probing {
            // The probe is answered: the socket is alive, and what waited goes out.
            self.probing = false;
            out.push(Command::Notify(false));
            if !self.holding() {
                self.flush(out);
            }
        }
    }

    /// The socket `conn` reported an error. The connection is over: browsers follow with a
    /// close event, but some runtimes (Node 20's WebSocket) never do, so the socket is
    /// abandoned now and reported as closed with 1006. `buffered` and `allow_reconnect` are
    /// as for [`Machine::socket_close`].
    pub fn socket_error(&mut self, now: Millis, conn: u32, buffered: usize, allow_reconnect: bool, out: &mut Out<M>) {
        if conn != self.conn {
            return;
        }
        if self.phase == Phase::Closing {
            // Closing while CONNECTING makes browsers fail the connection: not an error, and
            // the close reports what the user asked for.
            out.push(Command::Abandon);
            self.finish_user(out);
            return;
        }
        if !matches!(self.phase, Phase::Connecting | Phase::Open) {
            return;
        }
        let err = if self.cfg.reconnect.is_some() {
            Some(Error::ConnectionFailed)
        } else {
            out.push(Command::EmitError(Error::ConnectionFailed));
            None
        };
        out.push(Command::Abandon);
        self.dropped(now, ABNORMAL, String::new(), err, buffered, allow_reconnect, out);
    }

    /// The socket `conn` closed with `code` and `reason`. `buffered` is its `bufferedAmount`;
    /// `allow_reconnect` is the answer of the `shouldReconnect` hook (true without a hook).
    #[allow(clippy::too_many_arguments)]
    pub fn socket_close(
        &mut self,
        now: Millis,
        conn: u32,
        code: u16,
        reason: String,
        buffered: usize,
        allow_reconnect: bool,
        out: &mut Out<M>,
    ) {
        if conn != self.conn {
            return;
        }
        match self.phase {
            Phase::Closing => {
                out.push(Command::Abandon);
                self.finish_user(out);
            }
            Phase::Connecting | Phase::Open => {
                // The socket is over: the driver forgets it (no stale socket during backoff).
                out.push(Command::Abandon);
                self.dropped(now, code, reason, None, buffered, allow_reconnect, out);
            }
            _ => {}
        }
    }

    fn finish_user(&mut self, out: &mut Out<M>) {
        let (code, reason) = match &self.user_close {
            Some(r) => (r.code, r.reason.clone()),
            None => (super::close::NORMAL, String::new()),
        };
        self.finish(code, reason, None, out);
    }

    /// Timer `t` fired. `buffered` is the current socket's `bufferedAmount` (0 without one).
    pub fn timer(&mut self, now: Millis, t: Timer, buffered: usize, out: &mut Out<M>) {
        if !self.fired(t) {
            return;
        }
        match (t, self.phase) {
            (Timer::Connect, Phase::Connecting) => {
                out.push(Command::Abandon);
                self.dropped(now, ABNORMAL, String::new(), Some(Error::ConnectTimeout), buffered, true, out);
            }
            (Timer::Close, Phase::Closing) => {
                out.push(Command::Abandon);
                self.finish_user(out);
            }
            (Timer::Backoff, Phase::Backoff) => {
                if self.online {
                    self.connect(out);
                } else {
                    self.attempt = self.attempt.saturating_sub(1);
                    self.phase = Phase::Paused;
                }
            }
            (Timer::Heartbeat, Phase::Open) => self.heartbeat(now, buffered, out),
            _ => {}
        }
    }

    fn heartbeat(&mut self, now: Millis, buffered: usize, out: &mut Out<M>) {
        let Some(hb) = self.cfg.heartbeat else { return };
        if let Some(p) = self.hb.ping_at {
            if self.hb.last_rx >= p {
                self.hb.ping_at = None;
            } else {
                out.push(Command::Abandon);
                let err = Some(Error::HeartbeatTimeout);
                self.dropped(now, ABNORMAL, String::new(), err, buffered, true, out);
                return;
            }
        }
        // Inbound messages are counted, not timed: the driver reports them at this tick, so
        // `last_rx` is known to within one tick. Ticking every interval/2 and pinging after
        // interval/2 of silence keeps a silent peer's death within interval + timeout of its
        // last message.
        let half = tick(hb);
        let silent = now.saturating_sub(self.hb.last_rx);
        if silent >= half {
            self.ping(now, out);
        } else {
            self.set_timer(Timer::Heartbeat, half - silent, out);
        }
    }

    fn ping(&mut self, now: Millis, out: &mut Out<M>) {
        if let Some(hb) = self.cfg.heartbeat {
            self.hb.ping_at = Some(now);
            out.push(Command::Ping);
            self.set_timer(Timer::Heartbeat, hb.timeout, out);
        }
    }

    fn probe(&mut self, now: Millis, out: &mut Out<M>) {
        if self.phase == Phase::Open && self.hb.ping_at.is_none() {
            self.ping(now, out);
        }
    }

    /// The runtime went online or offline; `buffered` is the current socket's
    /// `bufferedAmount`. Acts only with reconnect on:
    /// - offline: a reconnect wait pauses; an open socket is held (nothing is handed to it)
    ///   when a heartbeat can tell later whether it survived, and closed otherwise, with what
    ///   the browser still holds put back in the queue;
    /// - online: a paused task reconnects at once; an open socket is probed, and the queue
    ///   waits for the answer.
    pub fn network(&mut self, now: Millis, online: bool, buffered: usize, out: &mut Out<M>) {
        if online == self.online {
            return;
        }
        self.online = online;
        let Some(r) = self.cfg.reconnect.clone() else {
            return;
        };
        if !online {
            match self.phase {
                Phase::Backoff => {
                    self.cancel_timer(Timer::Backoff, out);
                    self.attempt = self.attempt.saturating_sub(1);
                    self.phase = Phase::Paused;
                }
                Phase::Open if self.cfg.heartbeat.is_none() => {
                    // No way to tell a live socket from a dead one later: close it now.
                    out.push(Command::Abandon);
                    self.dropped(now, ABNORMAL, String::new(), None, buffered, true, out);
                }
                _ => {}
            }
            return;
        }
        match self.phase {
            Phase::Paused | Phase::Backoff => {
                self.cancel_timer(Timer::Backoff, out);
                if self.attempt >= r.max_retries {
                    self.give_up(out);
                    return;
                }
                self.attempt += 1;
                let (code, reason) = (self.last_close.0, fill_reason(self.last_close.0, self.last_close.1.clone()));
                out.push(Command::EmitReconnecting { attempt: self.attempt, delay: 0, code, reason });
                self.connect(out);
            }
            Phase::Open => {
                if self.hb.ping_at.is_none() {
                    self.ping(now, out);
                }
                // Anything arriving answers the probe; until then the queue waits.
                self.probing = true;
                out.push(Command::Notify(true));
            }
            _ => {}
        }
    }

    /// A hidden page became visible: check liveness at once.
    pub fn visible(&mut self, now: Millis, out: &mut Out<M>) {
        self.probe(now, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn dropped(
        &mut self,
        now: Millis,
        code: u16,
        reason: String,
        err: Option<Error>,
        buffered: usize,
        allow_reconnect: bool,
        out: &mut Out<M>,
    ) {
        let was_open = self.phase == Phase::Open;
        self.cancel_timer(Timer::Connect, out);
        self.cancel_timer(Timer::Heartbeat, out);
        self.hb.ping_at = None;
        if self.probing {
            self.probing = false;
            out.push(Command::Notify(false));
        }
        self.requeue(buffered);
        if err.is_some() {
            self.pending_error = err;
        }
        self.last_close = (code, reason);
        let Some(r) = self.cfg.reconnect.clone().filter(|_| allow_reconnect) else {
            // Without reconnect, socket errors were reported as they happened and only a
            // timeout or heartbeat failure is pending; with it, the last held-back error.
            self.give_up(out);
            return;
        };
        if was_open && now.saturating_sub(self.opened_at) >= r.min_uptime {
            self.attempt = 0;
        }
        if !self.online {
            self.phase = Phase::Paused;
            return;
        }
        if self.attempt >= r.max_retries {
            self.give_up(out);
            return;
        }
        self.attempt += 1;
        let delay = r.delay(self.attempt, self.rng.next_f64());
        let code = self.last_close.0;
        let reason = fill_reason(code, self.last_close.1.clone());
        out.push(Command::EmitReconnecting { attempt: self.attempt, delay, code, reason });
        self.phase = Phase::Backoff;
        self.set_timer(Timer::Backoff, delay, out);
    }

    fn give_up(&mut self, out: &mut Out<M>) {
        let (code, reason) = std::mem::take(&mut self.last_close);
        let err = self.pending_error.take();
        self.finish(code, reason, err, out);
    }

    /// Puts back, at the front of the queue, the transmitted messages that `buffered` bytes
    /// show the browser never sent.
    fn requeue(&mut self, buffered: usize) {
        let mut acc = 0usize;
        let mut back = Vec::new();
        while acc < buffered {
            let Some((m, _)) = self.inflight.pop_back() else {
                break;
            };
            acc += m.bytes();
            back.push(m);
        }
        self.inflight.clear();
        self.inflight_min = 0;
        let Some(q) = self.cfg.queue else { return };
        // Newest first, each in front of the last: the queue ends up oldest first. A copy that
        // no longer fits the queue's bounds (sends queued since took the room) is dropped: its
        // original already reported success, so it joins the at-most-once window rather than
        // growing memory past the bounds.
        for m in back {
            let size = m.bytes();
            if self.queue.fits(size, &q) {
                self.queue.push_front(m, size);
            }
        }
    }

    fn finish(&mut self, code: u16, reason: String, err: Option<Error>, out: &mut Out<M>) {
        for t in [Timer::Connect, Timer::Close, Timer::Backoff, Timer::Heartbeat] {
            self.cancel_timer(t, out);
        }
        self.phase = Phase::Closed;
        if self.probing {
            self.probing = false;
            out.push(Command::Notify(false));
        }
        self.inflight.clear();
        self.inflight_min = 0;
        out.push(Command::Release);
        while let Some(m) = self.queue.pop() {
            out.push(Command::Fail(m, Error::TaskClosed));
        }
        if let Some(e) = err {
            out.push(Command::EmitError(e));
        }
        out.push(Command::EmitClose { code, reason: fill_reason(code, reason) });
    }
}
