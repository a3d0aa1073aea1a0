//! Native tests of the state machine with a fake clock.
//!
//! Covers: first connect and open; sends without a queue; connect timeout; connection failure
//! (error then close); user close (open, connecting, timeout of the handshake, twice, after
//! close); peer close codes; stale events of old sockets; queue flush order and overflow;
//! reconnect backoff, attempts, `maxRetries`, `minUptime`, `shouldReconnect`; offline pause
//! and online resume; heartbeat ping, pong RTT, dead-peer detection bounds, probes;
//! re-queue of untransmitted messages; and property tests over random interleavings.

use super::backoff::ReconnectConfig;
use super::close::CloseRequest;
use super::error::Error;
use super::machine::{Command, Config, HeartbeatConfig, Machine, Phase, Timer};
use super::queue::{Overflow, Payload, QueueConfig};

#[derive(Debug, Clone, PartialEq)]
struct Msg {
    id: u32,
    size: usize,
    copy: bool,
}

impl Payload for Msg {
    fn bytes(&self) -> usize {
        self.size
    }
    fn min_bytes(&self) -> usize {
        self.size
    }
    fn resend_copy(&self) -> Self {
        Msg { copy: true, ..self.clone() }
    }
}

fn msg(id: u32) -> Msg {
    Msg { id, size: 10, copy: false }
}

type Cmds = Vec<Command<Msg>>;

fn machine(cfg: Config) -> (Machine<Msg>, Cmds) {
    let mut m = Machine::new(cfg);
    let mut out = vec![];
    m.start(true, &mut out);
    (m, out)
}

fn open(m: &mut Machine<Msg>, now: u64) -> Cmds {
    let mut out = vec![];
    let c = m.conn();
    m.socket_open(now, c, &mut out);
    out
}

fn resilient() -> Config {
    Config {
        queue: Some(QueueConfig::default()),
        heartbeat: Some(HeartbeatConfig { interval: 1000, timeout: 500 }),
        reconnect: Some(ReconnectConfig { jitter: 0.0, ..Default::default() }),
        ..Config::default()
    }
}

#[test]
fn connect_then_open() {
    let (mut m, out) = machine(Config::default());
    assert_eq!(out, vec![Command::Open { conn: 1 }, Command::SetTimer(Timer::Connect, 60_000)]);
    assert_eq!(m.phase().ready_state(), 0);
    let out = open(&mut m, 5);
    assert_eq!(out, vec![Command::CancelTimer(Timer::Connect), Command::EmitOpen { reconnect: false }]);
    assert_eq!(m.phase().ready_state(), 1);
    let mut out = vec![];
    m.send(msg(1), &mut out);
    assert_eq!(out, vec![Command::Transmit(msg(1))]);
}

#[test]
fn send_without_queue_fails_when_not_open() {
    let (mut m, _) = machine(Config::default());
    let mut out = vec![];
    m.send(msg(1), &mut out);
    assert_eq!(out, vec![Command::Fail(msg(1), Error::TaskNotOpen)]);
}

#[test]
fn connect_timeout_reports_error_then_close() {
    let (mut m, _) = machine(Config { connect_timeout: 100, ..Config::default() });
    let mut out = vec![];
    m.timer(100, Timer::Connect, 0, &mut out);
    assert_eq!(
        out,
        vec![
            Command::Abandon,
            Command::Release,
            Command::EmitError(Error::ConnectTimeout),
            Command::EmitClose { code: 1006, reason: "abnormal closure".into() },
        ]
    );
    assert_eq!(m.phase(), Phase::Closed);
    // A late open of the abandoned socket is ignored.
    assert!(open(&mut m, 200).is_empty());
}

#[test]
fn connection_failure() {
    let (mut m, _) = machine(Config::default());
    let mut out = vec![];
    m.socket_error(3, 1, 0, true, &mut out);
    assert_eq!(
        out,
        vec![
            Command::EmitError(Error::ConnectionFailed),
            Command::Abandon,
            Command::CancelTimer(Timer::Connect),
            Command::Release,
            Command::EmitClose { code: 1006, reason: "abnormal closure".into() }
        ]
    );
    // The close event that browsers send afterwards is ignored.
    out.clear();
    m.socket_close(4, 1, 1006, String::new(), 0, true, &mut out);
    assert!(out.is_empty());
}

#[test]
fn user_close_reports_requested_code() {
    let (mut m, _) = machine(Config::default());
    open(&mut m, 1);
    let mut out = vec![];
    let req = CloseRequest { code: 4000, reason: "bye".into() };
    assert_eq!(m.close(req.clone(), &mut out), Ok(()));
    assert_eq!(
        out,
        vec![Command::CloseSocket { code: 4000, reason: "bye".into() }, Command::SetTimer(Timer::Close, 2000)]
    );
    assert_eq!(m.phase().ready_state(), 2);
    // A second close while closing is a no-op success.
    out.clear();
    assert_eq!(m.close(req, &mut out), Ok(()));
    assert!(out.is_empty());
    // The peer answers with another code: the user's wins.
    m.socket_close(9, 1, 1005, String::new(), 0, true, &mut out);
    assert_eq!(
        out,
        vec![
            Command::Abandon,
            Command::CancelTimer(Timer::Close),
            Command::Release,
            Command::EmitClose { code: 4000, reason: "bye".into() }
        ]
    );
    out.clear();
    let again = m.close(CloseRequest { code: 1000, reason: String::new() }, &mut out);
    assert_eq!(again, Err(Error::NotConnected("closeSocket")));
}

#[test]
fn user_close_while_connecting_and_handshake_timeout() {
    let (mut m, _) = machine(Config::default());
    let mut out = vec![];
    m.close(CloseRequest { code: 1000, reason: String::new() }, &mut out).ok();
    assert_eq!(
        out,
        vec![
            Command::CancelTimer(Timer::Connect),
            Command::CloseSocket { code: 1000, reason: String::new() },
            Command::SetTimer(Timer::Close, 2000),
        ]
    );
    // The browser fails the connection: the error is not reported, the close is the user's.
    out.clear();
    m.socket_error(1, 1, 0, true, &mut out);
    assert_eq!(
        out,
        vec![
            Command::Abandon,
            Command::CancelTimer(Timer::Close),
            Command::Release,
            Command::EmitClose { code: 1000, reason: "normal closure".into() }
        ]
    );
    // Without an error, the handshake timeout ends it the same way.
    let (mut m, _) = machine(Config::default());
    m.close(CloseRequest { code: 1000, reason: String::new() }, &mut out).ok();
    out.clear();
    m.timer(2000, Timer::Close, 0, &mut out);
    assert_eq!(
        out,
        vec![Command::Abandon, Command::Release, Command::EmitClose { code: 1000, reason: "normal closure".into() }]
    );
}

#[test]
fn peer_close_and_stale_events() {
    let (mut m, _) = machine(Config::default());
    open(&mut m, 1);
    let mut out = vec![];
    m.socket_close(2, 7, 4001, "x".into(), 0, true, &mut out);
    assert!(out.is_empty(), "events of another socket are ignored");
    m.socket_close(2, 1, 4001, "bye".into(), 0, true, &mut out);
    assert_eq!(out.last(), Some(&Command::EmitClose { code: 4001, reason: "bye".into() }));
    out.clear();
    m.socket_error(3, 1, 0, true, &mut out);
    m.timer(3, Timer::Heartbeat, 0, &mut out);
    assert!(out.is_empty(), "nothing happens after the final close");
}

#[test]
fn queue_flushes_in_order_before_open_event() {
    let (mut m, _) = machine(Config { queue: Some(QueueConfig::default()), ..Config::default() });
    let mut out = vec![];
    for i in 0..3 {
        m.send(msg(i), &mut out);
    }
    assert!(out.is_empty());
    assert_eq!(m.queue_len(), 3);
    let out = open(&mut m, 1);
    assert_eq!(
        out,
        vec![
            Command::CancelTimer(Timer::Connect),
            Command::Transmit(msg(0)),
            Command::Transmit(msg(1)),
            Command::Transmit(msg(2)),
            Command::EmitOpen { reconnect: false },
        ]
    );
}

#[test]
fn queue_overflow_and_task_closed() {
    let q = QueueConfig { max_messages: 2, max_bytes: 100, policy: Overflow::Reject };
    let (mut m, _) = machine(Config { queue: Some(q), ..Config::default() });
    let mut out = vec![];
    for i in 0..3 {
        m.send(msg(i), &mut out);
    }
    assert_eq!(out, vec![Command::Fail(msg(2), Error::QueueFull)]);
    out.clear();
    m.close(CloseRequest { code: 1000, reason: String::new() }, &mut out).ok();
    out.clear();
    m.socket_close(1, 1, 1006, String::new(), 0, true, &mut out);
    assert!(out.contains(&Command::Fail(msg(0), Error::TaskClosed)));
    assert!(out.contains(&Command::Fail(msg(1), Error::TaskClosed)));
    out.clear();
    m.send(msg(9), &mut out);
    assert_eq!(out, vec![Command::Fail(msg(9), Error::TaskClosed)]);
}

#[test]
fn reconnect_with_backoff_and_max_retries() {
    let cfg = Config {
        reconnect: Some(ReconnectConfig { jitter: 0.0, max_retries: 2, ..Default::default() }),
        ..Config::default()
    };
    let (mut m, _) = machine(cfg);
    open(&mut m, 0);
    let mut out = vec![];
    m.socket_close(10, 1, 1006, String::new(), 0, true, &mut out);
    assert_eq!(
        out,
        vec![
            Command::Abandon,
            Command::EmitReconnecting { attempt: 1, delay: 1000, code: 1006, reason: "abnormal closure".into() },
            Command::SetTimer(Timer::Backoff, 1000),
        ]
    );
    assert_eq!(m.phase().ready_state(), 0);
    out.clear();
    m.timer(1010, Timer::Backoff, 0, &mut out);
    assert_eq!(out, vec![Command::Open { conn: 2 }, Command::SetTimer(Timer::Connect, 60_000)]);
    // The attempt fails: error is held back, attempt 2 waits twice as long.
    out.clear();
    m.socket_error(1020, 2, 0, true, &mut out);
    assert!(!out.iter().any(|c| matches!(c, Command::EmitError(_))), "held back while reconnecting");
    assert!(out.contains(&Command::SetTimer(Timer::Backoff, 2000)));
    out.clear();
    m.timer(3020, Timer::Backoff, 0, &mut out);
    let o = open(&mut m, 3030);
    assert_eq!(o.last(), Some(&Command::EmitOpen { reconnect: true }));
    assert_eq!(m.reconnect_attempt(3030), 2);
    // Dropped again before minUptime: retries are spent, the final close comes with no error
    // (the last attempt succeeded).
    out.clear();
    m.socket_close(3040, 3, 4001, "bye".into(), 0, true, &mut out);
    assert_eq!(
        out,
        vec![
            Command::CancelTimer(Timer::Connect),
            Command::Abandon,
            Command::Release,
            Command::EmitClose { code: 4001, reason: "bye".into() }
        ]
        .into_iter()
        .filter(|c| *c != Command::CancelTimer(Timer::Connect))
        .collect::<Vec<_>>()
    );
}

#[test]
fn failed_attempts_end_with_error_then_close() {
    let cfg = Config {
        reconnect: Some(ReconnectConfig { jitter: 0.0, max_retries: 1, ..Default::default() }),
        ..Config::default()
    };
    let (mut m, _) = machine(cfg);
    let mut out = vec![];
    m.socket_error(1, 1, 0, true, &mut out);
    m.timer(1001, Timer::Backoff, 0, &mut out);
    out.clear();
    m.socket_error(1002, 2, 0, true, &mut out);
    let n = out.len();
    assert_eq!(out[n - 2], Command::EmitError(Error::ConnectionFailed));
    assert_eq!(out[n - 1], Command::EmitClose { code: 1006, reason: "abnormal closure".into() });
}

#[test]
fn min_uptime_resets_attempts_and_hook_can_decline() {
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    m.socket_close(100, 1, 1006, String::new(), 0, true, &mut out);
    m.timer(1100, Timer::Backoff, 0, &mut out);
    open(&mut m, 1200);
    assert_eq!(m.reconnect_attempt(1200), 1);
    assert_eq!(m.reconnect_attempt(6200), 0);
    out.clear();
    m.socket_close(7000, 2, 1006, String::new(), 0, true, &mut out);
    assert!(out.iter().any(|c| matches!(c, Command::EmitReconnecting { attempt: 1, .. })));
    m.timer(8000, Timer::Backoff, 0, &mut out);
    open(&mut m, 8100);
    out.clear();
    assert!(m.would_reconnect(3));
    m.socket_close(8200, 3, 4003, "kicked".into(), 0, false, &mut out);
    assert_eq!(out.last(), Some(&Command::EmitClose { code: 4003, reason: "kicked".into() }));
}

#[test]
fn offline_pauses_and_online_resumes_at_once() {
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    m.socket_close(10, 1, 1006, String::new(), 0, true, &mut out);
    assert_eq!(m.reconnect_attempt(10), 1);
    out.clear();
    m.network(20, false, 0, &mut out);
    assert_eq!(out, vec![Command::CancelTimer(Timer::Backoff)]);
    assert_eq!(m.phase(), Phase::Paused);
    assert_eq!(m.reconnect_attempt(20), 0, "paused waits do not use up retries");
    out.clear();
    m.network(5000, true, 0, &mut out);
    assert_eq!(
        out,
        vec![
            Command::EmitReconnecting { attempt: 1, delay: 0, code: 1006, reason: "abnormal closure".into() },
            Command::Open { conn: 2 },
            Command::SetTimer(Timer::Connect, 60_000),
        ]
    );
    // Failing while offline does not count either.
    out.clear();
    m.network(5001, false, 0, &mut out);
    m.socket_close(5002, 2, 1006, String::new(), 0, true, &mut out);
    assert_eq!(m.phase(), Phase::Paused);
    assert_eq!(m.reconnect_attempt(5002), 1);
}

#[test]
fn online_probes_an_open_socket_and_holds_sends_until_answered() {
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    m.network(10, false, 0, &mut out);
    assert!(out.is_empty(), "with a heartbeat, an open socket is kept while offline");
    assert!(m.holding());
    m.send(msg(1), &mut out);
    assert!(out.is_empty(), "offline sends wait in the queue");
    assert_eq!(m.queue_len(), 1);
    m.network(20, true, 0, &mut out);
    assert_eq!(out, vec![Command::Ping, Command::SetTimer(Timer::Heartbeat, 500), Command::Notify(true)]);
    out.clear();
    m.send(msg(2), &mut out);
    assert!(out.is_empty(), "the queue waits for the probe's answer");
    m.visible(30, &mut out);
    assert!(out.is_empty(), "no second probe while one is out");
    m.inbound(40, false, &mut out);
    let sent: Vec<u32> =
        out.iter().filter_map(|c| if let Command::Transmit(m) = c { Some(m.id) } else { None }).collect();
    assert_eq!(sent, vec![1, 2]);
    assert!(out.contains(&Command::Notify(false)));
    assert!(!m.holding());
}

#[test]
fn offline_without_heartbeat_closes_and_online_reopens() {
    let cfg = Config { heartbeat: None, ..resilient() };
    let (mut m, _) = machine(cfg);
    open(&mut m, 0);
    let mut out = vec![];
    for i in 0..3 {
        m.send(msg(i), &mut out);
    }
    out.clear();
    // Offline: the socket is closed; the 10 bytes the browser still holds go back.
    m.network(10, false, 10, &mut out);
    assert_eq!(out[0], Command::Abandon);
    assert_eq!(m.phase(), Phase::Paused);
    assert_eq!(m.queue_len(), 1);
    m.send(msg(3), &mut out);
    assert_eq!(m.queue_len(), 2);
    out.clear();
    m.network(2000, true, 0, &mut out);
    assert!(matches!(out.as_slice(), [Command::EmitReconnecting { delay: 0, .. }, Command::Open { conn: 2 }, ..]));
    let o = open(&mut m, 2100);
    let sent: Vec<(u32, bool)> =
        o.iter().filter_map(|c| if let Command::Transmit(m) = c { Some((m.id, m.copy)) } else { None }).collect();
    assert_eq!(sent, vec![(2, true), (3, false)]);
}

#[test]
fn heartbeat_detects_silent_peer_within_bounds() {
    // interval 1000 → ticks every 500 ms; the driver reports inbound counts at ticks.
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    // A message arrived just after open; the 500 ms tick sees the count move.
    m.inbound(500, false, &mut out);
    m.timer(500, Timer::Heartbeat, 0, &mut out);
    assert_eq!(out, vec![Command::SetTimer(Timer::Heartbeat, 500)]);
    out.clear();
    // 1000: nothing since 500: ping.
    m.timer(1000, Timer::Heartbeat, 0, &mut out);
    assert_eq!(out, vec![Command::Ping, Command::SetTimer(Timer::Heartbeat, 500)]);
    out.clear();
    // Dead at 1500: within interval + timeout (1500) of the last message (≥ 0).
    m.timer(1500, Timer::Heartbeat, 0, &mut out);
    assert_eq!(out[0], Command::Abandon);
    assert!(out.iter().any(|c| matches!(c, Command::EmitReconnecting { attempt: 1, code: 1006, .. })));
    assert_eq!(m.phase(), Phase::Backoff);
}

#[test]
fn heartbeat_pong_measures_rtt() {
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    m.timer(500, Timer::Heartbeat, 0, &mut out);
    m.inbound(542, true, &mut out);
    assert_eq!(m.last_rtt(), Some(42));
    out.clear();
    m.timer(1000, Timer::Heartbeat, 0, &mut out);
    assert_eq!(out, vec![Command::SetTimer(Timer::Heartbeat, 42)]);
}

#[test]
fn untransmitted_messages_go_back_to_the_front() {
    let (mut m, _) = machine(resilient());
    open(&mut m, 0);
    let mut out = vec![];
    for i in 0..5 {
        m.send(msg(i), &mut out);
    }
    m.transmitted(20);
    assert_eq!(m.inflight_len(), 2, "copies of sent messages are dropped");
    out.clear();
    m.send(msg(5), &mut out); // queued? no: still open, transmitted
                              // The connection drops with the last two messages (20 bytes) still buffered.
    out.clear();
    m.socket_close(10, 1, 1006, String::new(), 20, true, &mut out);
    assert_eq!(m.queue_len(), 2);
    m.send(msg(6), &mut out);
    m.timer(2000, Timer::Backoff, 0, &mut out);
    let o = open(&mut m, 2100);
    let sent: Vec<(u32, bool)> =
        o.iter().filter_map(|c| if let Command::Transmit(m) = c { Some((m.id, m.copy)) } else { None }).collect();
    assert_eq!(sent, vec![(4, true), (5, true), (6, false)]);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[derive(Debug, Clone)]
    enum Op {
        Send(usize),
        Open,
        Flush,
        Drop { error: bool },
        Timer(u8),
        Advance(u64),
        Inbound,
        Online(bool),
        Close,
        Decline,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (1usize..40).prop_map(Op::Send),
            3 => Just(Op::Open),
            2 => Just(Op::Flush),
            2 => any::<bool>().prop_map(|error| Op::Drop { error }),
            3 => (0u8..4).prop_map(Op::Timer),
            3 => (0u64..3000).prop_map(Op::Advance),
            2 => Just(Op::Inbound),
            1 => any::<bool>().prop_map(Op::Online),
            1 => Just(Op::Close),
            1 => Just(Op::Decline),
        ]
    }

    #[derive(Default)]
    struct World {
        now: u64,
        next_id: u32,
        socket: Option<u32>,
        socket_open: bool,
        unsent: Vec<Msg>,
        received: Vec<u32>,
        outcome: HashMap<u32, &'static str>,
        timers: [Option<u64>; 4],
        closes: u32,
        offline: bool,
        probing: bool,
    }

    fn run(cfg: Config, ops: Vec<Op>) -> Result<(), TestCaseError> {
        let q = cfg.queue.unwrap_or_default();
        let r = cfg.reconnect.clone().unwrap_or_default();
        let aware = cfg.reconnect.is_some();
        let queued = cfg.queue.is_some();
        let mut m: Machine<Msg> = Machine::new(cfg);
        let mut w = World::default();
        let mut out = vec![];
        m.start(true, &mut out);
        let ops = ops.into_iter().chain([Op::Close, Op::Drop { error: false }]);
        for op in ops {
            match op {
                Op::Send(size) => {
                    w.next_id += 1;
                    m.send(Msg { id: w.next_id, size, copy: false }, &mut out);
                }
                Op::Open => {
                    if let (Some(c), false) = (w.socket, w.socket_open) {
                        w.socket_open = true;
                        m.socket_open(w.now, c, &mut out);
                    }
                }
                // Offline, the browser holds (and in practice loses) what it was given.
                Op::Flush if !w.offline => w.received.extend(w.unsent.drain(..).map(|m| m.id)),
                Op::Flush => {}
                Op::Drop { error } => {
                    if let Some(c) = w.socket.take() {
                        w.socket_open = false;
                        let buffered = w.unsent.drain(..).map(|m| m.size).sum();
                        if error {
                            m.socket_error(w.now, c, buffered, true, &mut out);
                        } else {
                            m.socket_close(w.now, c, 1006, String::new(), buffered, true, &mut out);
                        }
                    }
                }
                Op::Decline => {
                    if let Some(c) = w.socket.take() {
                        w.socket_open = false;
                        let buffered = w.unsent.drain(..).map(|m| m.size).sum();
                        m.socket_close(w.now, c, 4000, "no".into(), buffered, false, &mut out);
                    }
                }
                Op::Timer(i) => {
                    let t = [Timer::Connect, Timer::Close, Timer::Backoff, Timer::Heartbeat][i as usize];
                    if let Some(at) = w.timers[i as usize] {
                        w.now = w.now.max(at);
                        w.timers[i as usize] = None;
                        let buffered = w.unsent.iter().map(|m| m.size).sum();
                        m.timer(w.now, t, buffered, &mut out);
                    }
                }
                Op::Advance(d) => w.now += d,
                Op::Inbound => {
                    if w.socket_open {
                        m.inbound(w.now, true, &mut out);
                    }
                }
                Op::Online(on) => {
                    let buffered = w.unsent.iter().map(|m| m.size).sum();
                    w.offline = !on;
                    m.network(w.now, on, buffered, &mut out)
                }
                Op::Close => {
                    let _ = m.close(CloseRequest { code: 1000, reason: String::new() }, &mut out);
                }
            }
            for c in out.drain(..) {
                match c {
                    Command::Open { conn } => {
                        prop_assert!(w.socket.is_none(), "two live sockets");
                        w.socket = Some(conn);
                        w.socket_open = false;
                    }
                    Command::Transmit(msg) => {
                        prop_assert!(w.socket_open, "transmit without an open socket");
                        prop_assert!(!(aware && w.offline), "a message handed to a socket while offline");
                        prop_assert!(
                            !(aware && w.probing),
                            "a message handed to a socket before the probe was answered"
                        );
                        if !msg.copy {
                            prop_assert!(w.outcome.insert(msg.id, "sent").is_none(), "callbacks twice");
                        }
                        w.unsent.push(msg);
                        let b = w.unsent.iter().map(|m| m.size).sum();
                        m.transmitted(b);
                    }
                    // A re-queued copy that fails has no callbacks: its original already
                    // reported success when it was handed to the socket.
                    Command::Fail(msg, _) if msg.copy => {}
                    Command::Fail(msg, e) => {
                        let why = match e {
                            Error::QueueFull => "full",
                            Error::TaskClosed => "closed",
                            Error::TaskNotOpen => "notopen",
                            _ => "other",
                        };
                        prop_assert!(w.outcome.insert(msg.id, why).is_none(), "callbacks twice");
                    }
                    Command::Abandon | Command::CloseSocket { .. } if w.socket.is_some() => {
                        if matches!(c, Command::Abandon) {
                            // The driver forgets the socket; its bytes in flight are gone.
                            w.socket = None;
                            w.socket_open = false;
                            w.unsent.clear();
                        }
                    }
                    Command::SetTimer(t, after) => w.timers[t as usize] = Some(w.now + after),
                    Command::CancelTimer(t) => w.timers[t as usize] = None,
                    Command::EmitReconnecting { delay, .. } => {
                        prop_assert!(delay == 0 || (r.min_delay..=r.max_delay).contains(&delay));
                    }
                    Command::EmitClose { .. } => w.closes += 1,
                    Command::Notify(on) => w.probing = on,
                    _ => {}
                }
            }
            prop_assert!(m.queue_len() <= q.max_messages && m.queue_bytes() <= q.max_bytes);
            if !queued {
                prop_assert_eq!(m.queue_len() + m.inflight_len(), 0, "a task without a queue keeps nothing");
            }
            prop_assert!(m.inflight_len() <= q.max_messages);
            prop_assert!(w.closes <= 1, "onClose twice");
        }
        prop_assert_eq!(m.phase(), Phase::Closed);
        prop_assert_eq!(w.closes, 1);
        // Every message ended exactly once: sent (handed to a socket) or failed.
        for id in 1..=w.next_id {
            prop_assert!(w.outcome.contains_key(&id), "message {} lost", id);
        }
        // What the server received is in send order with no duplicates.
        prop_assert!(w.received.windows(2).all(|p| p[0] < p[1]), "order/duplicates: {:?}", w.received);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn resilient_task(ops in proptest::collection::vec(op(), 0..120), drop_oldest in any::<bool>(), seed in any::<u64>()) {
            let cfg = Config {
                queue: Some(QueueConfig {
                    max_messages: 16,
                    max_bytes: 200,
                    policy: if drop_oldest { Overflow::DropOldest } else { Overflow::Reject },
                }),
                heartbeat: Some(HeartbeatConfig { interval: 1000, timeout: 400 }),
                reconnect: Some(ReconnectConfig { min_delay: 100, max_delay: 2000, max_retries: 5, ..Default::default() }),
                seed,
                ..Config::default()
            };
            run(cfg, ops)?;
        }

        #[test]
        fn plain_task(ops in proptest::collection::vec(op(), 0..60)) {
            run(Config::default(), ops)?;
        }

        #[test]
        fn reconnect_without_heartbeat(ops in proptest::collection::vec(op(), 0..120), seed in any::<u64>()) {
            let cfg = Config {
                queue: Some(QueueConfig { max_messages: 8, max_bytes: 100, policy: Overflow::DropOldest }),
                reconnect: Some(ReconnectConfig { min_delay: 50, max_delay: 500, max_retries: 3, ..Default::default() }),
                seed,
                ..Config::default()
            };
            run(cfg, ops)?;
        }
    }
}
