//! The WebSocket paths: `/echo`, `/close`, `/silent`, `/drop`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tokio::time::{sleep, sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::http::{self, Request};
use crate::stats::StatHandle;
use crate::{log, Shared};

/// How long a server-initiated close waits for the client's Close reply.
const CLOSE_REPLY_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub enum Route {
    Echo,
    Close { code: Option<u16>, reason: String, after: u64 },
    Silent,
    Drop { after: u64 },
}

impl Route {
    /// The WebSocket route for `req.path`, if it is one.
    pub fn from_request(req: &Request) -> Option<Route> {
        Some(match req.path.as_str() {
            "/echo" => Route::Echo,
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

/// Marks the stats entry closed however the connection ends (even when the
/// task is cancelled by drop-all/restart).
struct StatGuard<'a> {
    shared: &'a Shared,
    handle: StatHandle,
    conn: u64,
}

impl Drop for StatGuard<'_> {
    fn drop(&mut self) {
        self.shared.stats().closed(&self.handle);
        log!("conn {} websocket ended", self.conn);
    }
}

/// Completes the handshake (already validated, `accept` is the key answer),
/// then runs `route` until the connection ends.
pub async fn serve(
    shared: Arc<Shared>,
    mut stream: TcpStream,
    conn: u64,
    req: Request,
    accept: String,
    leftover: Vec<u8>,
    route: Route,
) {
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
    if stream.write_all(resp.as_bytes()).await.is_err() {
        return;
    }
    let id = req.query("id").unwrap_or("");
    let record = req.query("record") == Some("1");
    let handle = shared.stats().open(id, &req.path, record);
    shared.mark_ws(conn);
    let guard = StatGuard { shared: &shared, handle, conn };
    log!("conn {conn} websocket {} id={id:?} protocol={protocol:?}", req.path);

    match route {
        Route::Silent => hold_silent(&stream).await,
        Route::Echo => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            echo(&mut ws, &guard, true, None).await;
        }
        Route::Close { code, reason, after } => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            let deadline = Instant::now() + Duration::from_millis(after);
            if echo(&mut ws, &guard, false, Some(deadline)).await == End::Deadline {
                let frame =
                    code.map(|c| CloseFrame { code: CloseCode::from(c), reason: truncate(&reason, 123).into() });
                log!("conn {conn} sending close {code:?} {reason:?}");
                if ws.close(frame).await.is_ok() {
                    // Finish the closing handshake: wait for the client's Close.
                    let _ = timeout(CLOSE_REPLY_WAIT, async { while let Some(Ok(_)) = ws.next().await {} }).await;
                }
            }
        }
        Route::Drop { after } => {
            let mut ws = WebSocketStream::from_partially_read(stream, leftover, Role::Server, None).await;
            let deadline = Instant::now() + Duration::from_millis(after);
            if echo(&mut ws, &guard, false, Some(deadline)).await == End::Deadline {
                log!("conn {conn} dropping abruptly");
                let _ = ws.get_ref().set_zero_linger();
            }
        }
    }
    drop(guard);
}

#[derive(PartialEq, Eq, Debug)]
enum End {
    Closed,
    Deadline,
}

async fn sleep_opt(deadline: Option<Instant>) {
    match deadline {
        Some(d) => sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Echoes data frames and counts them until the peer goes away or `deadline`
/// passes. With `obey_silence`, `/control/silence?on=1` pauses all reading.
async fn echo(
    ws: &mut WebSocketStream<TcpStream>,
    guard: &StatGuard<'_>,
    obey_silence: bool,
    deadline: Option<Instant>,
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
                    Message::Text(t) => {
                        guard.shared.stats().received(&guard.handle, Some(t.as_str()));
                        if ws.send(msg).await.is_err() {
                            return End::Closed;
                        }
                    }
                    Message::Binary(_) => {
                        guard.shared.stats().received(&guard.handle, None);
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
            _ = sleep_opt(deadline) => return End::Deadline,
        }
    }
}

/// Never reads or writes; returns once the peer has closed or reset the
/// connection (readiness polling only, so nothing is consumed).
async fn hold_silent(stream: &TcpStream) {
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
