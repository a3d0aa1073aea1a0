//! `mpsocket-server`: the test and demo server for mpsocket.
//!
//! Binds **127.0.0.1 only**, serving HTTP and WebSocket on one port, and
//! optionally the same over TLS (`https://`, `wss://`) on a second port.
//!
//! ```text
//! mpsocket-server [--port N] [--port-file PATH] [--static DIR]... [--mount /PREFIX=DIR]...
//!                 [--tls-port N] [--tls-port-file PATH] [--tls-cert-out DIR]
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
//! * `--tls-port N` — also listen with TLS on port N (0 = ephemeral). A fresh
//!   self-signed certificate for `127.0.0.1` and `localhost` (an ECDSA P-256
//!   key) is made at every start. Prints
//!   `mpsocket-server listening on https://127.0.0.1:TLSPORT` after the plain
//!   line. Every path below behaves the same on both ports; `/control/*`
//!   acts on the connections of both.
//! * `--tls-port-file PATH` — writes `TLSPORT\n` to PATH (written before the
//!   plain `--port-file`, so once that exists this one does too).
//! * `--tls-cert-out DIR` — writes `DIR/cert.pem` (the certificate) and
//!   `DIR/spki.txt` (base64 of the SHA-256 of its SubjectPublicKeyInfo: the
//!   value for Chromium's `--ignore-certificate-errors-spki-list`), before
//!   either port file.
//! * SIGINT/SIGTERM: prints `mpsocket-server stopped` and exits 0.
//! * `MPSOCKET_SERVER_LOG=1` logs one line per connection event to stderr.
//!
//! Every plain HTTP answer has `Connection: close`, `Cache-Control: no-store`
//! and `Access-Control-Allow-Origin: *`; `OPTIONS` gets a CORS preflight 204.
//!
//! # WebSocket paths
//!
//! All take `?id=NAME` (groups counters in stats) and `&record=1` (with an
//! id: record received payloads: texts whole, binary messages as the hex of
//! their first 8 bytes). If the client offers `Sec-WebSocket-Protocol`, the
//! first offered protocol is selected. No extensions are negotiated.
//!
//! * `/echo` — echoes every text frame as text and binary frame as binary;
//!   counts every data message. Obeys `/control/silence` and `/control/close`.
//! * `/echo-headers` — first sends one text message, a JSON object of the
//!   handshake request's headers (names lower-cased, repeated headers joined
//!   with `, `), then behaves as `/echo`.
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
//! * `/echo`, `/echo-headers`, `/close`, `/silent`, `/drop` without an
//!   upgrade → 426.
//!
//! # Control endpoints (HTTP, answer `200 application/json`)
//!
//! * `/control/stats` →
//!   `{"accepted":N,"connections":[{"id":"","path":"/echo","received":N,"open":true,"tls":false},…],
//!   "receivedTexts":{"NAME":["text",…]},"receivedBinary":{"NAME":["0001020304050607",…]},
//!   "byId":{"NAME":{"connections":N,"open":N,"maxOpen":N,"received":N}}}`
//!   — every WebSocket accepted since start or the last reset, in accept
//!   order; `received` counts text+binary messages. `receivedTexts` and
//!   `receivedBinary` hold, per id, what its `record=1` connections received,
//!   in receive order (across reconnects); a binary message is recorded as
//!   the lower-case hex of its first 8 bytes (all of it if shorter).
//!   `maxOpen` is the most connections of that id open at once.
//!   `/control/stats?brief=1` answers only `{"accepted":N,"byId":{…}}`.
//! * `/control/reset` → forgets all stats. `{"reset":true}`
//! * `/control/drop-all[?id=NAME]` → resets (RST, no Close frame) every open
//!   WebSocket TCP connection (of that id). `{"dropped":N}`
//! * `/control/close?code=N&reason=R[&id=NAME]` → every open `/echo` and
//!   `/echo-headers` connection (of that id) sends a Close frame with that
//!   code and reason (no code → an empty Close frame), stops echoing, still
//!   counts and records what arrives until the client's Close (up to 5 s),
//!   then closes TCP. `{"closed":N}`
//! * `/control/silence?on=1|0[&drop=1]` → while on, `/echo` connections stop
//!   reading and echoing (half-open); `on=0` resumes. With `on=0&drop=1`
//!   every WebSocket is reset first, so what the silent peer was sent is never
//!   read (a peer that really went away). `{"silence":true|false}`
//! * `/control/restart?down=MS[&mode=refuse|ignore]` → answers
//!   `{"restarting":true,"down":MS}`, then resets every connection and is
//!   down for `down` ms (default 500). `refuse` (the default) closes the
//!   listeners (connection refused) and rebinds the same ports
//!   (SO_REUSEADDR). `ignore` keeps them open but holds every new connection
//!   unanswered, and resets those when the `down` ms are over (a server that
//!   accepts but is not up yet).

mod http;
mod stats;
mod tls;
mod ws;

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{mpsc, watch, Notify};
use tokio::time::{sleep, timeout, Instant};
use tokio_rustls::TlsAcceptor;

use http::{Head, Mount, Request, StaticResult};

/// How long a connection may take to send its request head (or finish its
/// TLS handshake).
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

/// A connection's byte stream: plain TCP or TLS over TCP.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// The TCP socket underneath.
    fn tcp(&self) -> &TcpStream;
    fn is_tls(&self) -> bool;
}

impl Io for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
    fn is_tls(&self) -> bool {
        false
    }
}

impl Io for tokio_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
    fn is_tls(&self) -> bool {
        true
    }
}

/// What `/control/close` asks a connection to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseCmd {
    pub code: Option<u16>,
    pub reason: String,
}

struct ConnEntry {
    /// Set once the connection is a WebSocket: its `?id=`.
    ws: Option<String>,
    kill: Arc<Notify>,
    /// Set for the echo routes, which obey `/control/close`.
    close: Option<mpsc::UnboundedSender<CloseCmd>>,
}

/// A restart request: down for `down` ms, refusing or ignoring connections.
#[derive(Debug, Clone, Copy)]
struct Restart {
    down: u64,
    ignore: bool,
}

/// State shared by all connections.
pub struct Shared {
    stats: Mutex<stats::Stats>,
    conns: Mutex<HashMap<u64, ConnEntry>>,
    next_conn: AtomicU64,
    pub silence: watch::Sender<bool>,
    /// Non-zero during an `ignore`-mode restart (a count, as they may
    /// overlap): new connections are held, then reset.
    down: watch::Sender<u32>,
    restart: mpsc::UnboundedSender<Restart>,
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
        lock(&self.conns).insert(id, ConnEntry { ws: None, kill: kill.clone(), close: None });
        (id, kill)
    }

    fn deregister(&self, id: u64) {
        lock(&self.conns).remove(&id);
    }

    /// Marks connection `conn` as a WebSocket with `?id=ws_id`; `close` is
    /// where `/control/close` reaches it (echo routes only).
    pub fn mark_ws(&self, conn: u64, ws_id: &str, close: Option<mpsc::UnboundedSender<CloseCmd>>) {
        if let Some(e) = lock(&self.conns).get_mut(&conn) {
            e.ws = Some(ws_id.to_owned());
            e.close = close;
        }
    }

    /// Resets matching connections (WebSockets only, or every connection;
    /// with `id`, only WebSockets of that id); returns how many.
    fn kill(&self, only_ws: bool, id: Option<&str>) -> usize {
        let conns = lock(&self.conns);
        let mut n = 0;
        for e in conns.values() {
            let hit = match (&e.ws, id) {
                (Some(w), Some(id)) => w == id,
                (Some(_), None) => true,
                (None, _) => !only_ws && id.is_none(),
            };
            if hit {
                e.kill.notify_one();
                n += 1;
            }
        }
        n
    }

    /// Sends `cmd` to every echo connection (of `id`); returns how many.
    fn close_all(&self, cmd: &CloseCmd, id: Option<&str>) -> usize {
        let conns = lock(&self.conns);
        let mut n = 0;
        for e in conns.values() {
            let (Some(w), Some(tx)) = (&e.ws, &e.close) else { continue };
            if id.is_some_and(|id| id != w) {
                continue;
            }
            if tx.send(cmd.clone()).is_ok() {
                n += 1;
            }
        }
        n
    }
}

struct Args {
    port: u16,
    port_file: Option<PathBuf>,
    tls_port: Option<u16>,
    tls_port_file: Option<PathBuf>,
    tls_cert_out: Option<PathBuf>,
    mounts: Vec<Mount>,
}

const USAGE: &str = "usage: mpsocket-server [--port N] [--port-file PATH] [--static DIR]... [--mount /PREFIX=DIR]...
                       [--tls-port N] [--tls-port-file PATH] [--tls-cert-out DIR]";

fn parse_port(v: &str) -> Result<u16, String> {
    v.parse().map_err(|_| format!("bad port {v:?}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { port: 0, port_file: None, tls_port: None, tls_port_file: None, tls_cert_out: None, mounts: Vec::new() };
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
            "--port" => args.port = parse_port(&value()?)?,
            "--port-file" => args.port_file = Some(value()?.into()),
            "--tls-port" => args.tls_port = Some(parse_port(&value()?)?),
            "--tls-port-file" => args.tls_port_file = Some(value()?.into()),
            "--tls-cert-out" => args.tls_cert_out = Some(value()?.into()),
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
    if args.tls_port.is_none() && (args.tls_port_file.is_some() || args.tls_cert_out.is_some()) {
        return Err("--tls-port-file and --tls-cert-out need --tls-port".to_owned());
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

/// The TLS listener and what it serves with.
struct TlsSide {
    listener: TcpListener,
    port: u16,
    acceptor: TlsAcceptor,
}

async fn run(args: Args) -> Result<(), String> {
    // Install signal handlers before announcing the port.
    let mut shutdown = std::pin::pin!(shutdown_signal()?);

    let mut listener = bind(args.port).map_err(|e| format!("bind 127.0.0.1:{}: {e}", args.port))?;
    let port = listener.local_addr().map_err(|e| format!("local_addr: {e}"))?.port();
    let mut tls = match args.tls_port {
        None => None,
        Some(p) => {
            let id = tls::identity()?;
            let l = bind(p).map_err(|e| format!("bind 127.0.0.1:{p}: {e}"))?;
            let tls_port = l.local_addr().map_err(|e| format!("local_addr: {e}"))?.port();
            if let Some(dir) = &args.tls_cert_out {
                tls::write_out(dir, &id).map_err(|e| format!("--tls-cert-out {}: {e}", dir.display()))?;
            }
            if let Some(path) = &args.tls_port_file {
                write_port_file(path, tls_port).map_err(|e| format!("tls port file {}: {e}", path.display()))?;
            }
            Some(TlsSide { listener: l, port: tls_port, acceptor: id.acceptor })
        }
    };
    if let Some(path) = &args.port_file {
        write_port_file(path, port).map_err(|e| format!("port file {}: {e}", path.display()))?;
    }
    println!("mpsocket-server listening on http://127.0.0.1:{port}");
    if let Some(t) = &tls {
        println!("mpsocket-server listening on https://127.0.0.1:{}", t.port);
    }
    let _ = std::io::stdout().flush();

    let (restart_tx, mut restart_rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        stats: Mutex::default(),
        conns: Mutex::default(),
        next_conn: AtomicU64::new(1),
        silence: watch::channel(false).0,
        down: watch::channel(0).0,
        restart: restart_tx,
        mounts: args.mounts,
    });

    loop {
        tokio::select! {
            _ = accept_loop(&listener, &shared, None) => {}
            _ = async {
                match &tls {
                    Some(t) => accept_loop(&t.listener, &shared, Some(&t.acceptor)).await,
                    None => std::future::pending().await,
                }
            } => {}
            Some(r) = restart_rx.recv() => {
                if r.ignore {
                    // Runs beside the accept loops, which must keep accepting (and holding).
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        shared.down.send_modify(|n| *n += 1);
                        let n = shared.kill(false, None);
                        log!("restart (ignore): {n} connections reset, new ones held for {} ms", r.down);
                        sleep(Duration::from_millis(r.down)).await;
                        shared.down.send_modify(|n| *n -= 1);
                        log!("restart (ignore): up again");
                    });
                    continue;
                }
                drop(listener);
                let tls_parts = tls.take().map(|t| (t.port, t.acceptor));
                let n = shared.kill(false, None);
                log!("restart: listeners closed, {n} connections reset, down {} ms", r.down);
                tokio::select! {
                    _ = sleep(Duration::from_millis(r.down)) => {}
                    _ = &mut shutdown => return Ok(()),
                }
                listener = rebind(port).await?;
                if let Some((p, acceptor)) = tls_parts {
                    tls = Some(TlsSide { listener: rebind(p).await?, port: p, acceptor });
                }
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

async fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, tls: Option<&TlsAcceptor>) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(shared.clone(), stream, peer, tls.cloned()));
            }
            Err(e) => {
                log!("accept error: {e}");
                sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// What to do after a connection's handler returns.
enum After {
    Nothing,
    /// Reset the TCP connection (SO_LINGER 0) rather than close it.
    Reset,
    Restart(Restart),
}

async fn connection(shared: Arc<Shared>, stream: TcpStream, peer: SocketAddr, tls: Option<TlsAcceptor>) {
    // A second handle on the socket, so it can be reset (SO_LINGER 0) and
    // closed from here even while the handler future owns the stream.
    let dup = socket2::SockRef::from(&stream).try_clone().ok();
    let (conn, kill) = shared.register();
    log!("conn {conn} accepted from {peer}{}", if tls.is_some() { " (tls)" } else { "" });
    let after = tokio::select! {
        // A reset asked for by a control endpoint wins over anything the
        // handler could still do.
        biased;
        _ = kill.notified() => {
            log!("conn {conn} reset by control");
            After::Reset
        }
        a = handle(shared.clone(), stream, conn, tls) => a,
    };
    shared.deregister(conn);
    match after {
        After::Reset => {
            if let Some(d) = &dup {
                let _ = d.set_linger(Some(Duration::ZERO));
            }
        }
        // serve() starts restarts itself, as soon as the answer is out.
        After::Restart(_) | After::Nothing => {}
    }
    drop(dup);
}

async fn handle(shared: Arc<Shared>, stream: TcpStream, conn: u64, tls: Option<TlsAcceptor>) -> After {
    let mut down = shared.down.subscribe();
    if *down.borrow_and_update() > 0 {
        // An `ignore`-mode restart: hold the connection unanswered, then reset it.
        while *down.borrow_and_update() > 0 {
            if down.changed().await.is_err() {
                break;
            }
        }
        log!("conn {conn} held during restart, now reset");
        return After::Reset;
    }
    match tls {
        None => serve(shared, stream, conn).await,
        Some(acceptor) => match timeout(HEAD_TIMEOUT, acceptor.accept(stream)).await {
            Ok(Ok(s)) => serve(shared, s, conn).await,
            Ok(Err(e)) => {
                log!("conn {conn} tls handshake failed: {e}");
                After::Nothing
            }
            Err(_) => After::Nothing,
        },
    }
}

async fn serve<S: Io>(shared: Arc<Shared>, mut stream: S, conn: u64) -> After {
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
            Ok(accept) => return ws::serve(shared, stream, conn, req, accept, rest, route).await,
            Err(resp) => finish(stream, resp).await,
        },
        (Some(_), false) => finish(stream, http::text(426, "this is a websocket path\n")).await,
        (None, true) => finish(stream, http::text(404, "no websocket here\n")).await,
        (None, false) => {
            let (resp, after) = answer(&shared, &req);
            if let After::Restart(r) = after {
                // The restart starts as soon as its answer is out (so the client can tell
                // when the server will be back), not after the linger; this connection is
                // taken off the list first so that the restart does not reset it.
                if respond(&mut stream, &resp).await {
                    shared.deregister(conn);
                    let _ = shared.restart.send(r);
                    linger(stream).await;
                }
                return After::Nothing;
            }
            finish(stream, resp).await;
            return after;
        }
    }
    After::Nothing
}

/// Sends `resp`, then closes our side and lingers briefly for the client's
/// EOF so that closing never turns into a reset that eats the answer.
async fn finish<S: Io>(mut stream: S, resp: Vec<u8>) {
    if respond(&mut stream, &resp).await {
        linger(stream).await;
    }
}

/// Writes `resp` and shuts our side down; false if the write failed.
async fn respond<S: Io>(stream: &mut S, resp: &[u8]) -> bool {
    if stream.write_all(resp).await.is_err() {
        return false;
    }
    let _ = stream.shutdown().await;
    true
}

/// Waits (up to 500 ms) for the client's EOF.
async fn linger<S: Io>(mut stream: S) {
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
        let id = req.query("id");
        let body = match cmd {
            "stats" => {
                let st = shared.stats();
                if req.query("brief") == Some("1") {
                    st.to_json_brief()
                } else {
                    st.to_json()
                }
            }
            "reset" => {
                shared.stats().reset();
                "{\"reset\":true}".to_owned()
            }
            "drop-all" => format!("{{\"dropped\":{}}}", shared.kill(true, id)),
            "close" => {
                let cmd = CloseCmd {
                    code: req.query_u64("code").and_then(|c| u16::try_from(c).ok()),
                    reason: req.query("reason").unwrap_or("").to_owned(),
                };
                let n = shared.close_all(&cmd, id);
                log!("close {cmd:?} sent to {n} connections");
                format!("{{\"closed\":{n}}}")
            }
            "silence" => {
                let on = matches!(req.query("on"), Some("1" | "true") | None);
                if !on && req.query("drop") == Some("1") {
                    let n = shared.kill(true, None);
                    log!("silence off: {n} websockets reset first");
                }
                shared.silence.send_replace(on);
                log!("silence {on}");
                format!("{{\"silence\":{on}}}")
            }
            "restart" => {
                let down = req.query_u64("down").unwrap_or(500);
                let ignore = match req.query("mode") {
                    None | Some("refuse") => false,
                    Some("ignore") => true,
                    Some(_) => return (http::text(400, "mode is refuse or ignore\n"), After::Nothing),
                };
                let body = format!("{{\"restarting\":true,\"down\":{down}}}");
                return (http::json(&body), After::Restart(Restart { down, ignore }));
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
