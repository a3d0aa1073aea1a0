//! The WebSocket paths: `/echo`, `/echo-headers`, `/close`, `/silent`, `/drop`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncWriteExt, Interest};
use tokio::sync::mpsc;
use tokio::time::{sleep, sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::http::{self, Request};
use crate::stats::{json_str, Payload, StatHandle};
use crate::{log, After, CloseCmd, Io, Shared};

/// How long a server-initiated close waits for the client's Close reply.
const CLOSE_REPLY_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub enum Route {
    Echo,
    EchoHeaders,
    Close { code: Option<u16>, reason: String, after: u64 },
    Silent,
    Drop { after: u64 },
}

impl Route {
    /// The WebSocket route for `req.path`, if it is one.
    pub fn from_request(req: &Request) -> Option<Route> {
        Some(match req.path.as_str() {
            "/echo" => Route::Echo,
            "/echo-headers" => Route::EchoHeaders,
            "/close" => Route::Close {
                code: req.query_u64("code").and_then(|c| u16::try_from(c).ok()),
                reason: req.query("reason").unwrap_or("").to_owned(),
                after: req.query_u64("after").unwrap_or(0),
            },
            "/silent" => Route::Silent,
            "/drop" => Route::Drop { after: req.query_u64("after").unwrap_or(0) },
            _ => return None,
        })
    }
}

/// Checks the upgrade request; on failure returns the HTTP answer to send.
pub fn check_handshake(req: &Request) -> Result<String, Vec<u8>> {
    if req.method != "GET" {
        return Err(http::text(405, "websocket upgrade needs GET\n"));
    }
    if !req.has_token("connection", "upgrade") {
        return Err(http::text(400, "missing Connection: Upgrade\n"));
    }
    if req.header("sec-websocket-version").map(str::trim) != Some("13") {
        return Err(http::response(
            426,
            "text/plain; charset=utf-8",
            &[("Sec-WebSocket-Version", "13")],
            b"unsupported Sec-WebSocket-Version\n",
            false,
        ));
    }
    match req.header("sec-websocket-key").map(str::trim) {
        Some(k) if !k.is_empty() => Ok(derive_accept_key(k.as_bytes())),
        _ => Err(http::text(400, "missing Sec-WebSocket-Key\n")),
    }
}

/// The request's headers as a JSON object (names lower-cased, in first-seen
/// order; a repeated header's values joined with `, `).
pub fn headers_json(req: &Request) -> String {
    let mut merged: Vec<(&str, String)> = Vec::new();
    for (name, value) in &req.headers {
        match merged.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => {
                v.push_str(", ");
                v.push_str(value);
            }
            None => merged.push((name, value.clone())),
        }
    }
    let mut s = String::from("{");
    for (i, (name, value)) in merged.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        json_str(&mut s, name);
        s.push(':');
        json_str(&mut s, value);
    }
    s.push('}');
    s
}

/// Marks the stats entry closed however the connection ends (even when the
/// task is cancelled by drop-all/restart).
struct StatGuard<'a> {
    shared: &'a Shared,
    handle: StatHandle,
    conn: u64,
}

impl StatGuard<'_> {
    fn received(&self, msg: &Message) {
        let payload = match msg {
            Message::Text(t) => Payload::Text(t.as_str()),
            Message::Binary(b) => Payload::Binary(b),
            _ => return,
        };
        self.shared.stats().received(&self.handle, payload);
    }
}

impl Drop for StatGuard<'_> {
    fn drop(&mut self) {
        self.shared.stats().closed(&self.handle);
        log!("conn {} websocket ended", self.conn);
    }
}

/// Completes the handshake (already validated, `accept` is the key answer),
/// then runs `route` until the connection ends.
pub async fn serve<S: Io>(
    shared: Arc<Shared>,
    mut stream: S,
    conn: u64,
    req: Request,
    accept: String,
    leftover: Vec<u8>,
    route: Route,
) -> After {
    let protocol = req.tokens("sec-websocket-protocol").next();
    let mut resp = format!(
        "HTTP/1.1 101 Switching Protocols\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n"
    );
    if let Some(p) = protocol {
        resp.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
    }
    resp.push_str("\r\n");
    if stream.write_all(resp.as_bytes()).await.is_err() || stream.flush().await.is_err() {
        return After::Nothing;
    }
    let id = req.query("id").unwrap_or("");
    let record = req.query("record") == Some("1");
    let handle = shared.stats().open(id, &req.path, record, stream.is_tls());
    let (close_tx, mut close_rx) = mpsc::unbounded_channel();
    let obeys_close = matches!(route, Route::Echo | Route::EchoHeaders);
    shared.mark_ws(conn, id, obeys_close.then_some(close_tx));
    let guard = StatGuard { shared: &shared, handle, conn };
    log!("conn {conn} websocket {} id={id:?} protocol={protocol:?} tls={}", req.path, stream.is_tls());

    let mut after = After::Nothing;
    match route {
        Route::Silent => hold_silent(stream.tcp()).await,
        Route::Echo | Route::EchoHeaders => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            if matches!(route, Route::EchoHeaders) && ws.send(Message::text(headers_json(&req))).await.is_err() {
                return After::Nothing;
            }
            if let End::CloseAsked(cmd) = echo(&mut ws, &guard, true, None, Some(&mut close_rx)).await {
                close_and_drain(&mut ws, &guard, cmd.code, &cmd.reason).await;
            }
        }
        Route::Close { code, reason, after } => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            let deadline = Instant::now() + Duration::from_millis(after);
            if echo(&mut ws, &guard, false, Some(deadline), None).await == End::Deadline {
                close_and_drain(&mut ws, &guard, code, &reason).await;
            }
        }
        Route::Drop { after: ms } => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            let deadline = Instant::now() + Duration::from_millis(ms);
            if echo(&mut ws, &guard, false, Some(deadline), None).await == End::Deadline {
                log!("conn {conn} dropping abruptly");
                after = After::Reset;
            }
        }
    }
    drop(guard);
    after
}

/// Sends a Close frame (`code` None → empty), then reads until the client's
/// Close (up to [`CLOSE_REPLY_WAIT`]), still counting and recording data
/// messages that were on their way.
async fn close_and_drain<S: Io>(ws: &mut WebSocketStream<S>, guard: &StatGuard<'_>, code: Option<u16>, reason: &str) {
    let frame = code.map(|c| CloseFrame { code: CloseCode::from(c), reason: truncate(reason, 123).into() });
    log!("conn {} sending close {code:?} {reason:?}", guard.conn);
    if ws.close(frame).await.is_ok() {
        let _ = timeout(CLOSE_REPLY_WAIT, async {
            while let Some(Ok(msg)) = ws.next().await {
                guard.received(&msg);
            }
        })
        .await;
    }
}

#[derive(PartialEq, Eq, Debug)]
enum End {
    Closed,
    Deadline,
    CloseAsked(CloseCmd),
}

async fn sleep_opt(deadline: Option<Instant>) {
    match deadline {
        Some(d) => sleep_until(d).await,
        None => std::future::pending().await,
    }
}

async fn recv_opt(rx: &mut Option<&mut mpsc::UnboundedReceiver<CloseCmd>>) -> CloseCmd {
    match rx {
        Some(rx) => match rx.recv().await {
            Some(c) => c,
            None => std::future::pending().await,
        },
        None => std::future::pending().await,
    }
}

/// Echoes data frames and counts them until the peer goes away, `deadline`
/// passes or a `/control/close` arrives. With `obey_silence`,
/// `/control/silence?on=1` pauses all reading (and close requests).
async fn echo<S: Io>(
    ws: &mut WebSocketStream<S>,
    guard: &StatGuard<'_>,
    obey_silence: bool,
    deadline: Option<Instant>,
    mut close_rx: Option<&mut mpsc::UnboundedReceiver<CloseCmd>>,
) -> End {
    let mut silence = guard.shared.silence.subscribe();
    loop {
        if obey_silence && *silence.borrow_and_update() {
            tokio::select! {
                r = silence.changed() => if r.is_err() { std::future::pending::<()>().await },
                _ = sleep_opt(deadline) => return End::Deadline,
            }
            continue;
        }
        tokio::select! {
            msg = ws.next() => match msg {
                None => return End::Closed,
                Some(Err(e)) => {
                    log!("conn {} read error: {e}", guard.conn);
                    return End::Closed;
                }
                Some(Ok(msg)) => match &msg {
                    Message::Text(_) | Message::Binary(_) => {
                        guard.received(&msg);
                        if ws.send(msg).await.is_err() {
                            return End::Closed;
                        }
                    }
                    // Keep reading: tungstenite answers pings and close
                    // frames itself, then reports the end of the stream.
                    _ => {}
                },
            },
            r = silence.changed(), if obey_silence => {
                if r.is_err() {
                    std::future::pending::<()>().await;
                }
            }
            cmd = recv_opt(&mut close_rx) => return End::CloseAsked(cmd),
            _ = sleep_opt(deadline) => return End::Deadline,
        }
    }
}

/// Never reads or writes; returns once the peer has closed or reset the
/// connection (readiness polling only, so nothing is consumed).
async fn hold_silent(stream: &tokio::net::TcpStream) {
    loop {
        match stream.ready(Interest::READABLE).await {
            Ok(r) if r.is_read_closed() || r.is_error() => return,
            Ok(_) => sleep(Duration::from_millis(200)).await,
            Err(_) => return,
        }
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_json() {
        let req = Request::parse(b"GET /echo-headers HTTP/1.1\r\nHost: x\r\nX-Token: a\"b\r\nx-token: c\r\n\r\n")
            .expect("parse");
        assert_eq!(headers_json(&req), r#"{"host":"x","x-token":"a\"b, c"}"#);
    }
}
