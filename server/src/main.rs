//! `mpsocket-server`: the test and demo server for mpsocket.
//!
//! Binds **127.0.0.1 only**, serving HTTP and WebSocket on one port.
//!
//! ```text
//! mpsocket-server [--port N] [--port-file PATH] [--static DIR]... [--mount /PREFIX=DIR]...
//! ```
//!
//! * `--port N` — port to bind (default 0 = ephemeral). Once bound it prints
//!   `mpsocket-server listening on http://127.0.0.1:PORT` on stdout.
//! * `--port-file PATH` — also writes `PORT\n` to PATH (via a temp file and
//!   rename, so readers never see a partial file).
//! * `--static DIR` — serves DIR at `/`; `--mount /pkg=DIR` serves DIR under
//!   `/pkg/`. Both may be repeated; longer prefixes are tried first and a
//!   missing file falls through to the next match. `/` → `index.html`,
//!   `/pkg` → redirect to `/pkg/`, `..` → 400, otherwise 404.
//! * SIGINT/SIGTERM: prints `mpsocket-server stopped` and exits 0.
//! * `MPSOCKET_SERVER_LOG=1` logs one line per connection event to stderr.
//!
//! Every plain HTTP answer has `Connection: close`, `Cache-Control: no-store`
//! and `Access-Control-Allow-Origin: *`; `OPTIONS` gets a CORS preflight 204.
//!
//! # WebSocket paths
//!
//! All take `?id=NAME` (groups counters in stats) and `&record=1` (with an
//! id: record received text payloads). If the client offers
//! `Sec-WebSocket-Protocol`, the first offered protocol is selected. No
//! extensions are negotiated.
//!
//! * `/echo` — echoes every text frame as text and binary frame as binary;
//!   counts every data message. Obeys `/control/silence`.
//! * `/close?code=4001&reason=bye&after=MS` — echoes until `after` ms
//!   (default 0) have passed, then sends a Close frame with `code` and
//!   `reason` (no `code` → empty Close frame, so the client sees 1005), and
//!   waits (up to 5 s) for the client's Close before closing TCP.
//! * `/silent` — completes the handshake, then never reads or writes (no
//!   pongs, no Close reply): a half-open peer. The socket is held until the
//!   client goes away, a drop-all/restart, or server shutdown.
//! * `/drop?after=MS` — echoes until `after` ms (default 0), then resets the
//!   TCP connection (SO_LINGER 0, no Close frame).
//!
//! # Other paths
//!
//! * `/hang…` (any path starting with `/hang`, any method, upgrade or not) —
//!   the request is read and never answered; the socket is held open.
//! * `/echo`, `/close`, `/silent`, `/drop` without an upgrade → 426.
//!
//! # Control endpoints (HTTP, answer `200 application/json`)
//!
//! * `/control/stats` →
//!   `{"accepted":N,"connections":[{"id":"","path":"/echo","received":N,"open":true},…],
//!   "receivedTexts":{"NAME":["text",…]},"byId":{"NAME":{"connections":N,"open":N,"received":N}}}`
//!   — every WebSocket accepted since start or the last reset, in accept
//!   order; `received` counts text+binary messages. `receivedTexts` holds,
//!   per id, the texts received on its `record=1` connections in receive
//!   order (across reconnects).
//! * `/control/reset` → forgets all stats. `{"reset":true}`
//! * `/control/drop-all` → resets (RST, no Close frame) every open WebSocket
//!   TCP connection. `{"dropped":N}`
//! * `/control/silence?on=1|0` → while on, `/echo` connections stop reading
//!   and echoing (half-open); `on=0` resumes. `{"silence":true|false}`
//! * `/control/restart?down=MS` → answers `{"restarting":true,"down":MS}`,
//!   then closes the listener, resets every connection, stays down `down` ms
//!   (default 500) and rebinds the same port (SO_REUSEADDR).

mod http;
mod stats;
mod ws;

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{mpsc, watch, Notify};
use tokio::time::{sleep, timeout, Instant};

use http::{Head, Mount, Request, StaticResult};

/// How long a connection may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

pub fn log_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("MPSOCKET_SERVER_LOG").as_deref() == Ok("1"))
}

#[macro_export]
macro_rules! log {
    ($($t:tt)*) => {
        if $crate::log_enabled() {
            eprintln!("mpsocket-server: {}", format_args!($($t)*));
        }
    };
}

struct ConnEntry {
    ws: bool,
    kill: Arc<Notify>,
}

/// State shared by all connections.
pub struct Shared {
    stats: Mutex<stats::Stats>,
    conns: Mutex<HashMap<u64, ConnEntry>>,
    next_conn: AtomicU64,
    pub silence: watch::Sender<bool>,
    restart: mpsc::UnboundedSender<u64>,
    mounts: Vec<Mount>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn stats(&self) -> MutexGuard<'_, stats::Stats> {
        lock(&self.stats)
    }

    fn register(&self) -> (u64, Arc<Notify>) {
        let id = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let kill = Arc::new(Notify::new());
        lock(&self.conns).insert(id, ConnEntry { ws: false, kill: kill.clone() });
        (id, kill)
    }

    fn deregister(&self, id: u64) {
        lock(&self.conns).remove(&id);
    }

    pub fn mark_ws(&self, id: u64) {
        if let Some(e) = lock(&self.conns).get_mut(&id) {
            e.ws = true;
        }
    }

    /// Resets matching connections; returns how many.
    fn kill(&self, only_ws: bool) -> usize {
        let conns = lock(&self.conns);
        let mut n = 0;
        for e in conns.values().filter(|e| e.ws || !only_ws) {
            e.kill.notify_one();
            n += 1;
        }
        n
    }
}

struct Args {
    port: u16,
    port_file: Option<PathBuf>,
    mounts: Vec<Mount>,
}

const USAGE: &str = "usage: mpsocket-server [--port N] [--port-file PATH] [--static DIR]... [--mount /PREFIX=DIR]...";

fn parse_args() -> Result<Args, String> {
    let mut args = Args { port: 0, port_file: None, mounts: Vec::new() };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--mount" => (f.to_owned(), Some(v.into())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                args.port = v.parse().map_err(|_| format!("bad port {v:?}"))?;
            }
            "--port-file" => args.port_file = Some(value()?.into()),
            "--static" => args.mounts.push(Mount { prefix: String::new(), dir: value()?.into() }),
            "--mount" => {
                let v = value()?;
                let (prefix, dir) = v.split_once('=').ok_or_else(|| format!("--mount wants PREFIX=DIR, got {v:?}"))?;
                let prefix = format!("/{}", prefix.trim_matches('/'));
                let prefix = if prefix == "/" { String::new() } else { prefix };
                args.mounts.push(Mount { prefix, dir: dir.into() });
            }
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    for m in &args.mounts {
        if !m.dir.is_dir() {
            return Err(format!("not a directory: {}", m.dir.display()));
        }
    }
    // Longest prefix first; stable so repeated --static keep their order.
    args.mounts.sort_by_key(|m| std::cmp::Reverse(m.prefix.len()));
    Ok(args)
}

fn bind(port: u16) -> std::io::Result<TcpListener> {
    let sock = TcpSocket::new_v4()?;
    sock.set_reuseaddr(true)?;
    sock.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    sock.listen(1024)
}

fn write_port_file(path: &std::path::Path, port: u16) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    std::fs::write(&tmp, format!("{port}\n"))?;
    std::fs::rename(&tmp, path)
}

/// Registers SIGTERM/SIGINT handlers now; the future resolves on either.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    let mut term = signal(SignalKind::terminate()).map_err(|e| format!("SIGTERM: {e}"))?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| format!("SIGINT: {e}"))?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("mpsocket-server: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mpsocket-server: cannot start runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt.block_on(run(args)) {
        eprintln!("mpsocket-server: {e}");
        std::process::exit(1);
    }
    println!("mpsocket-server stopped");
    let _ = std::io::stdout().flush();
}

async fn run(args: Args) -> Result<(), String> {
    // Install signal handlers before announcing the port.
    let mut shutdown = std::pin::pin!(shutdown_signal()?);

    let mut listener = bind(args.port).map_err(|e| format!("bind 127.0.0.1:{}: {e}", args.port))?;
    let port = listener.local_addr().map_err(|e| format!("local_addr: {e}"))?.port();
    if let Some(path) = &args.port_file {
        write_port_file(path, port).map_err(|e| format!("port file {}: {e}", path.display()))?;
    }
    println!("mpsocket-server listening on http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();

    let (restart_tx, mut restart_rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        stats: Mutex::default(),
        conns: Mutex::default(),
        next_conn: AtomicU64::new(1),
        silence: watch::channel(false).0,
        restart: restart_tx,
        mounts: args.mounts,
    });

    loop {
        tokio::select! {
            _ = accept_loop(&listener, &shared) => {}
            Some(down) = restart_rx.recv() => {
                drop(listener);
                let n = shared.kill(false);
                log!("restart: listener closed, {n} connections reset, down {down} ms");
                tokio::select! {
                    _ = sleep(Duration::from_millis(down)) => {}
                    _ = &mut shutdown => return Ok(()),
                }
                listener = rebind(port).await?;
                log!("restart: listening again on {port}");
            }
            _ = &mut shutdown => return Ok(()),
        }
    }
}

async fn rebind(port: u16) -> Result<TcpListener, String> {
    let give_up = Instant::now() + Duration::from_secs(5);
    loop {
        match bind(port) {
            Ok(l) => return Ok(l),
            Err(e) if Instant::now() >= give_up => return Err(format!("rebind {port}: {e}")),
            Err(_) => sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(shared.clone(), stream, peer));
            }
            Err(e) => {
                log!("accept error: {e}");
                sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// What to do after an HTTP answer has been sent and the socket closed.
enum After {
    Nothing,
    Restart(u64),
}

async fn connection(shared: Arc<Shared>, stream: TcpStream, peer: SocketAddr) {
    // A second handle on the socket, so it can be reset (SO_LINGER 0) and
    // closed from here even while the handler future owns the stream.
    let dup = socket2::SockRef::from(&stream).try_clone().ok();
    let (conn, kill) = shared.register();
    log!("conn {conn} accepted from {peer}");
    let after = tokio::select! {
        _ = kill.notified() => {
            if let Some(d) = &dup {
                let _ = d.set_linger(Some(Duration::ZERO));
            }
            log!("conn {conn} reset by control");
            After::Nothing
        }
        a = serve(shared.clone(), stream, conn) => a,
    };
    shared.deregister(conn);
    drop(dup);
    if let After::Restart(ms) = after {
        let _ = shared.restart.send(ms);
    }
}

async fn serve(shared: Arc<Shared>, mut stream: TcpStream, conn: u64) -> After {
    let (head, rest) = match timeout(HEAD_TIMEOUT, http::read_head(&mut stream)).await {
        Err(_) | Ok(Head::Closed) => return After::Nothing,
        Ok(Head::TooLarge) => {
            finish(stream, http::text(431, "request head too large\n")).await;
            return After::Nothing;
        }
        Ok(Head::Complete(h, r)) => (h, r),
    };
    let Some(req) = Request::parse(&head) else {
        finish(stream, http::text(400, "bad request\n")).await;
        return After::Nothing;
    };
    log!("conn {conn} {} {}", req.method, req.path);

    if req.path.starts_with("/hang") {
        // Read (and discard) until the client goes away; never answer.
        let mut buf = [0u8; 1024];
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
        return After::Nothing;
    }

    let upgrade = req.has_token("upgrade", "websocket");
    match (ws::Route::from_request(&req), upgrade) {
        (Some(route), true) => match ws::check_handshake(&req) {
            Ok(accept) => ws::serve(shared, stream, conn, req, accept, rest, route).await,
            Err(resp) => finish(stream, resp).await,
        },
        (Some(_), false) => finish(stream, http::text(426, "this is a websocket path\n")).await,
        (None, true) => finish(stream, http::text(404, "no websocket here\n")).await,
        (None, false) => {
            let (resp, after) = answer(&shared, &req);
            finish(stream, resp).await;
            return after;
        }
    }
    After::Nothing
}

/// Sends `resp`, then closes our side and lingers briefly for the client's
/// EOF so that closing never turns into a reset that eats the answer.
async fn finish(mut stream: TcpStream, resp: Vec<u8>) {
    if stream.write_all(&resp).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    let mut buf = [0u8; 512];
    let _ = timeout(Duration::from_millis(500), async {
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

/// Plain HTTP: control endpoints and static files.
fn answer(shared: &Shared, req: &Request) -> (Vec<u8>, After) {
    let head_only = req.method == "HEAD";
    if req.method == "OPTIONS" {
        let resp = http::response(
            204,
            "text/plain",
            &[
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "*"),
                ("Access-Control-Max-Age", "600"),
            ],
            b"",
            false,
        );
        return (resp, After::Nothing);
    }
    if let Some(cmd) = req.path.strip_prefix("/control/") {
        let body = match cmd {
            "stats" => shared.stats().to_json(),
            "reset" => {
                shared.stats().reset();
                "{\"reset\":true}".to_owned()
            }
            "drop-all" => format!("{{\"dropped\":{}}}", shared.kill(true)),
            "silence" => {
                let on = matches!(req.query("on"), Some("1" | "true") | None);
                shared.silence.send_replace(on);
                log!("silence {on}");
                format!("{{\"silence\":{on}}}")
            }
            "restart" => {
                let down = req.query_u64("down").unwrap_or(500);
                let body = format!("{{\"restarting\":true,\"down\":{down}}}");
                return (http::json(&body), After::Restart(down));
            }
            _ => return (http::text(404, "unknown control endpoint\n"), After::Nothing),
        };
        return (http::json(&body), After::Nothing);
    }
    if req.method != "GET" && !head_only {
        let resp = http::response(
            405,
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD, OPTIONS")],
            b"method not allowed\n",
            false,
        );
        return (resp, After::Nothing);
    }
    let resp = match http::resolve(&shared.mounts, &req.path) {
        StaticResult::File(path) => match std::fs::read(&path) {
            Ok(bytes) => http::response(200, http::content_type(&path), &[], &bytes, head_only),
            Err(_) => http::text(404, "not found\n"),
        },
        StaticResult::Redirect(to) => http::response(301, "text/plain", &[("Location", &to)], b"", head_only),
        StaticResult::BadPath => http::text(400, "bad path\n"),
        StaticResult::NotFound => http::text(404, "not found\n"),
    };
    (resp, After::Nothing)
}
