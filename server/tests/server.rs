//! Starts the real binary and talks to it over loopback.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{client_async, connect_async, MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Server {
    child: Child,
    port: u16,
    /// With `start_tls`: the TLS port.
    tls_port: u16,
    dir: PathBuf,
}

fn read_port(path: &std::path::Path) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(s) = std::fs::read_to_string(path) {
            break s.trim().parse().unwrap();
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
}

impl Server {
    fn start() -> Server {
        Server::start_with(Stdio::null(), false)
    }

    /// Also listening with TLS; the certificate goes to `dir/cert`.
    fn start_tls() -> Server {
        Server::start_with(Stdio::null(), true)
    }

    fn start_with(stdout: Stdio, tls: bool) -> Server {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "mpsocket-server-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let www = dir.join("www");
        std::fs::create_dir_all(www.join("pkg")).unwrap();
        std::fs::write(www.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(www.join("pkg/m.wasm"), b"\0asm").unwrap();
        let port_file = dir.join("port");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mpsocket-server"));
        cmd.arg("--port")
            .arg("0")
            .arg("--port-file")
            .arg(&port_file)
            .arg("--static")
            .arg(&www)
            .arg("--mount")
            .arg(format!("/p={}", www.join("pkg").display()));
        if tls {
            cmd.args(["--tls-port", "0", "--tls-port-file"])
                .arg(dir.join("tls-port"))
                .arg("--tls-cert-out")
                .arg(dir.join("cert"));
        }
        let child = cmd.stdout(stdout).spawn().unwrap();
        let port = read_port(&port_file);
        // The TLS port file is written before the plain one.
        let tls_port = if tls { read_port(&dir.join("tls-port")) } else { 0 };
        Server { child, port, tls_port, dir }
    }

    fn wss_url(&self, path: &str) -> String {
        format!("wss://127.0.0.1:{}{path}", self.tls_port)
    }

    /// A TLS connection to the TLS port, trusting `roots` (PEM) only.
    async fn tls_connect(&self, roots_pem: &str) -> std::io::Result<TlsStream<TcpStream>> {
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from_pem_slice(roots_pem.as_bytes()).unwrap()).unwrap();
        let config = ClientConfig::builder_with_provider(Arc::new(default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tcp = TcpStream::connect(("127.0.0.1", self.tls_port)).await?;
        let name = ServerName::try_from("127.0.0.1").unwrap();
        TlsConnector::from(Arc::new(config)).connect(name, tcp).await
    }

    fn cert_pem(&self) -> String {
        std::fs::read_to_string(self.dir.join("cert/cert.pem")).unwrap()
    }

    /// A WebSocket over TLS, trusting the server's own certificate.
    async fn wss(&self, path: &str) -> WebSocketStream<TlsStream<TcpStream>> {
        let tls = self.tls_connect(&self.cert_pem()).await.unwrap();
        client_async(self.wss_url(path), tls).await.unwrap().0
    }

    /// GET over TLS: (status, head, body).
    async fn get_tls(&self, path: &str) -> (u16, String, String) {
        let mut s = self.tls_connect(&self.cert_pem()).await.unwrap();
        let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        // The server closes without close_notify after its answer (Connection: close).
        let _ = timeout(Duration::from_secs(2), s.read_to_end(&mut out)).await.unwrap();
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        (status, head.to_owned(), body.to_owned())
    }

    fn url(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.port)
    }

    async fn ws(&self, path: &str) -> Ws {
        connect_async(self.url(path)).await.unwrap().0
    }

    /// GET over a raw socket: (status, head, body).
    async fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        timeout(Duration::from_secs(2), s.read_to_end(&mut out)).await.unwrap().unwrap();
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        (status, head.to_owned(), body.to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn next<S: AsyncRead + AsyncWrite + Unpin>(
    ws: &mut WebSocketStream<S>,
) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    timeout(Duration::from_secs(2), ws.next()).await.unwrap()
}

/// The connection must end with an error (reset / EOF), not a Close frame.
async fn assert_abrupt_end<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>) {
    match next(ws).await {
        Some(Err(_)) => {}
        other => panic!("expected an abrupt end, got {other:?}"),
    }
}

#[tokio::test]
async fn echo_text_binary_and_stats() {
    let srv = Server::start();
    let mut ws = srv.ws("/echo?id=a&record=1").await;
    ws.send(Message::text("hello \"x\"")).await.unwrap();
    ws.send(Message::binary(vec![0u8, 1, 255])).await.unwrap();
    ws.send(Message::Ping(vec![9].into())).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("hello \"x\""));
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::binary(vec![0u8, 1, 255]));
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::Pong(vec![9].into()));
    let _plain = srv.ws("/echo").await;

    let (status, head, body) = srv.get("/control/stats").await;
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/json"));
    assert!(head.contains("Access-Control-Allow-Origin: *"));
    assert!(body.contains("\"accepted\":2"), "{body}");
    assert!(
        body.contains(
            r#"{"id":"a","path":"/echo","received":2,"open":true,"tls":false},{"id":"","path":"/echo","received":0,"open":true,"tls":false}"#
        ),
        "{body}"
    );
    assert!(body.contains(r#""receivedTexts":{"a":["hello \"x\""]}"#), "{body}");
    assert!(body.contains(r#""receivedBinary":{"a":["0001ff"]}"#), "{body}");

    ws.close(None).await.unwrap();
    while let Some(Ok(_)) = next(&mut ws).await {}
    let (_, _, body) = srv.get("/control/stats").await;
    assert!(body.contains(r#""received":2,"open":false"#), "{body}");
    assert!(body.contains(r#""byId":{"a":{"connections":1,"open":0,"maxOpen":1,"received":2}}"#), "{body}");

    srv.get("/control/reset").await;
    let (_, _, body) = srv.get("/control/stats").await;
    assert!(body.contains("\"accepted\":0,\"connections\":[]"), "{body}");
}

#[tokio::test]
async fn selects_first_subprotocol() {
    let srv = Server::start();
    let mut req = srv.url("/echo").into_client_request().unwrap();
    req.headers_mut().insert("Sec-WebSocket-Protocol", "chat.v2, chat.v1".parse().unwrap());
    let (_ws, resp) = connect_async(req).await.unwrap();
    assert_eq!(resp.headers().get("sec-websocket-protocol").unwrap(), "chat.v2");
}

#[tokio::test]
async fn close_with_code_and_reason() {
    let srv = Server::start();
    let mut ws = srv.ws("/close?code=4001&reason=bye%20now&after=20").await;
    match next(&mut ws).await {
        Some(Ok(Message::Close(Some(f)))) => {
            assert_eq!(f.code, CloseCode::from(4001));
            assert_eq!(f.reason.as_str(), "bye now");
        }
        other => panic!("expected close frame, got {other:?}"),
    }
    assert!(next(&mut ws).await.is_none(), "clean end after close");

    let mut ws = srv.ws("/close").await;
    match next(&mut ws).await {
        Some(Ok(Message::Close(None))) => {}
        other => panic!("expected empty close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn drop_ends_abruptly() {
    let srv = Server::start();
    let mut ws = srv.ws("/drop?after=50").await;
    ws.send(Message::text("x")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("x"));
    assert_abrupt_end(&mut ws).await;
}

#[tokio::test]
async fn hang_and_silent_never_answer() {
    let srv = Server::start();
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).await.unwrap();
    s.write_all(
        b"GET /hang HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
          Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )
    .await
    .unwrap();
    let mut buf = [0u8; 16];
    assert!(timeout(Duration::from_millis(300), s.read(&mut buf)).await.is_err(), "/hang answered");

    let mut ws = srv.ws("/silent").await;
    ws.send(Message::Ping(vec![1].into())).await.unwrap();
    assert!(timeout(Duration::from_millis(300), ws.next()).await.is_err(), "/silent answered");
    // The held socket is released once the client goes away.
    drop(ws);
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let (_, _, body) = srv.get("/control/stats").await;
        if body.contains(r#""path":"/silent","received":0,"open":false"#) {
            break;
        }
        assert!(Instant::now() < deadline, "{body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn silence_pauses_echo() {
    let srv = Server::start();
    let mut ws = srv.ws("/echo").await;
    assert_eq!(srv.get("/control/silence?on=1").await.2, "{\"silence\":true}");
    ws.send(Message::text("later")).await.unwrap();
    assert!(timeout(Duration::from_millis(200), ws.next()).await.is_err());
    srv.get("/control/silence?on=0").await;
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("later"));
}

#[tokio::test]
async fn drop_all_resets_websockets() {
    let srv = Server::start();
    let mut a = srv.ws("/echo").await;
    let mut b = srv.ws("/silent").await;
    let (status, _, body) = srv.get("/control/drop-all").await;
    assert_eq!(status, 200);
    assert_eq!(body, "{\"dropped\":2}");
    assert_abrupt_end(&mut a).await;
    assert_abrupt_end(&mut b).await;
}

#[tokio::test]
async fn restart_rebinds_same_port() {
    let srv = Server::start();
    let mut ws = srv.ws("/echo").await;
    let (_, _, body) = srv.get("/control/restart?down=300").await;
    assert_eq!(body, "{\"restarting\":true,\"down\":300}");
    assert_abrupt_end(&mut ws).await;
    assert!(TcpStream::connect(("127.0.0.1", srv.port)).await.is_err(), "listener should be down");
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut ws = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Ok((ws, _)) = connect_async(srv.url("/echo")).await {
            break ws;
        }
        assert!(Instant::now() < deadline, "server did not come back");
    };
    ws.send(Message::text("again")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("again"));
}

#[tokio::test]
async fn static_files() {
    let srv = Server::start();
    let (status, head, body) = srv.get("/").await;
    assert_eq!((status, body.as_str()), (200, "<p>hi</p>"));
    assert!(head.contains("Content-Type: text/html"));
    assert!(head.contains("Cache-Control: no-store"));
    let (status, head, _) = srv.get("/p/m.wasm").await;
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/wasm"));
    assert_eq!(srv.get("/../etc/passwd").await.0, 400);
    assert_eq!(srv.get("/nope.js").await.0, 404);
    assert_eq!(srv.get("/echo").await.0, 426);
}

#[test]
fn sigterm_stops_cleanly() {
    let mut srv = Server::start_with(Stdio::piped(), false);
    let status = Command::new("kill").arg("-TERM").arg(srv.child.id().to_string()).status().unwrap();
    assert!(status.success());
    let mut out = String::new();
    std::io::Read::read_to_string(srv.child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(srv.child.wait().unwrap().success());
    assert_eq!(out, format!("mpsocket-server listening on http://127.0.0.1:{}\nmpsocket-server stopped\n", srv.port));
}

/// Polls `/control/stats` until `want` appears in it.
async fn wait_stats(srv: &Server, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let (_, _, body) = srv.get("/control/stats").await;
        if body.contains(want) {
            return;
        }
        assert!(Instant::now() < deadline, "stats never showed {want}: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn tls_echo_static_and_stats() {
    let srv = Server::start_tls();
    assert_ne!(srv.tls_port, srv.port);
    let spki = std::fs::read_to_string(srv.dir.join("cert/spki.txt")).unwrap();
    assert!(spki.ends_with("=\n") && spki.trim().len() == 44, "sha256 in base64: {spki:?}");
    assert!(srv.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));

    let mut ws = srv.wss("/echo?id=t&record=1").await;
    ws.send(Message::text("over tls")).await.unwrap();
    ws.send(Message::binary(vec![7u8; 100_000])).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("over tls"));
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::binary(vec![7u8; 100_000]));
    let mut plain = srv.ws("/echo?id=p").await;
    plain.send(Message::text("plain")).await.unwrap();
    assert_eq!(next(&mut plain).await.unwrap().unwrap(), Message::text("plain"));

    // Control and static paths answer on the TLS port too, and see both ports' connections.
    let (status, head, body) = srv.get_tls("/control/stats").await;
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/json"));
    assert!(body.contains(r#"{"id":"t","path":"/echo","received":2,"open":true,"tls":true}"#), "{body}");
    assert!(body.contains(r#"{"id":"p","path":"/echo","received":1,"open":true,"tls":false}"#), "{body}");
    assert!(body.contains(r#""receivedTexts":{"t":["over tls"]}"#), "{body}");
    assert!(body.contains(r#""receivedBinary":{"t":["0707070707070707"]}"#), "{body}");
    let (status, head, _) = srv.get_tls("/p/m.wasm").await;
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/wasm"));
    assert_eq!(srv.get_tls("/echo").await.0, 426);

    // /close over TLS.
    let mut ws = srv.wss("/close?code=4002&reason=tls%20bye").await;
    match next(&mut ws).await {
        Some(Ok(Message::Close(Some(f)))) => assert_eq!((u16::from(f.code), f.reason.as_str()), (4002, "tls bye")),
        other => panic!("expected close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn tls_certificate_is_fresh_and_verified() {
    let a = Server::start_tls();
    let b = Server::start_tls();
    // Each start makes its own key; trusting the other server's certificate fails.
    assert_ne!(a.cert_pem(), b.cert_pem());
    assert!(a.tls_connect(&b.cert_pem()).await.is_err(), "a certificate nobody trusts was accepted");
    let other = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    assert!(a.tls_connect(&other.cert.pem()).await.is_err());
    assert!(a.tls_connect(&a.cert_pem()).await.is_ok(), "valid for 127.0.0.1");
    // A plain request to the TLS port is no HTTP answer.
    let mut s = TcpStream::connect(("127.0.0.1", a.tls_port)).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut out = Vec::new();
    let _ = timeout(Duration::from_secs(2), s.read_to_end(&mut out)).await.unwrap();
    assert!(!out.starts_with(b"HTTP/1.1 200"), "plain HTTP answered on the TLS port");
}

#[tokio::test]
async fn echo_headers_sends_the_handshake_headers() {
    let srv = Server::start_tls();
    let mut req = srv.url("/echo-headers?id=h").into_client_request().unwrap();
    req.headers_mut().insert("x-token", "abc".parse().unwrap());
    let (mut ws, _) = connect_async(req).await.unwrap();
    let Some(Ok(Message::Text(first))) = next(&mut ws).await else { panic!("no headers message") };
    assert!(first.starts_with('{') && first.contains(r#""x-token":"abc""#), "{first}");
    assert!(first.contains(r#""sec-websocket-version":"13""#), "{first}");
    ws.send(Message::text("then echo")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("then echo"));

    // Same over TLS, without the header.
    let mut ws = srv.wss("/echo-headers").await;
    let Some(Ok(Message::Text(first))) = next(&mut ws).await else { panic!("no headers message") };
    assert!(!first.contains("x-token") && first.contains(r#""upgrade":"websocket""#), "{first}");
}

#[tokio::test]
async fn control_close_sends_codes_and_records_late_messages() {
    let srv = Server::start();
    let mut a = srv.ws("/echo?id=a&record=1").await;
    let mut b = srv.ws("/echo?id=b").await;
    let (_, _, body) = srv.get("/control/close?code=4005&reason=go%20away&id=a").await;
    assert_eq!(body, "{\"closed\":1}");
    // Sent before the client has read the Close: still counted and recorded.
    a.send(Message::text("late")).await.unwrap();
    loop {
        match next(&mut a).await {
            Some(Ok(Message::Close(Some(f)))) => {
                assert_eq!((u16::from(f.code), f.reason.as_str()), (4005, "go away"));
                break;
            }
            Some(Ok(Message::Text(t))) if t.as_str() == "late" => continue,
            other => panic!("expected close 4005, got {other:?}"),
        }
    }
    assert!(next(&mut a).await.is_none(), "clean end after the close handshake");
    wait_stats(&srv, r#""receivedTexts":{"a":["late"]}"#).await;
    wait_stats(&srv, r#""path":"/echo","received":1,"open":false"#).await;

    b.send(Message::text("b lives")).await.unwrap();
    assert_eq!(next(&mut b).await.unwrap().unwrap(), Message::text("b lives"));
    let _silent = srv.ws("/silent?id=s").await;
    // No code: an empty Close frame. /silent ignores it.
    assert_eq!(srv.get("/control/close").await.2, "{\"closed\":1}");
    match next(&mut b).await {
        Some(Ok(Message::Close(None))) => {}
        other => panic!("expected an empty close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn drop_all_by_id_and_max_open() {
    let srv = Server::start();
    let mut a1 = srv.ws("/echo?id=a").await;
    let mut a2 = srv.ws("/echo?id=a").await;
    let mut b = srv.ws("/echo?id=b").await;
    assert_eq!(srv.get("/control/drop-all?id=a").await.2, "{\"dropped\":2}");
    assert_abrupt_end(&mut a1).await;
    assert_abrupt_end(&mut a2).await;
    b.send(Message::text("still here")).await.unwrap();
    assert_eq!(next(&mut b).await.unwrap().unwrap(), Message::text("still here"));
    let _a3 = srv.ws("/echo?id=a").await;
    wait_stats(&srv, r#""a":{"connections":3,"open":1,"maxOpen":2,"received":0}"#).await;
    let (_, _, brief) = srv.get("/control/stats?brief=1").await;
    assert_eq!(
        brief,
        r#"{"accepted":4,"byId":{"a":{"connections":3,"open":1,"maxOpen":2,"received":0},"b":{"connections":1,"open":1,"maxOpen":1,"received":1}}}"#
    );
}

#[tokio::test]
async fn silence_then_drop_loses_what_the_silent_peer_was_sent() {
    let srv = Server::start();
    let mut ws = srv.ws("/echo?id=s&record=1").await;
    ws.send(Message::text("before")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("before"));
    srv.get("/control/silence?on=1").await;
    ws.send(Message::text("lost")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(srv.get("/control/silence?on=0&drop=1").await.2, "{\"silence\":false}");
    assert_abrupt_end(&mut ws).await;
    let mut ws = srv.ws("/echo?id=s&record=1").await;
    ws.send(Message::text("after")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("after"));
    let (_, _, body) = srv.get("/control/stats").await;
    assert!(body.contains(r#""receivedTexts":{"s":["before","after"]}"#), "{body}");
}

#[tokio::test]
async fn restart_ignore_holds_new_connections_then_resets_them() {
    let srv = Server::start_tls();
    let mut ws = srv.wss("/echo").await;
    let t0 = Instant::now();
    let (_, _, body) = srv.get("/control/restart?down=600&mode=ignore").await;
    assert_eq!(body, "{\"restarting\":true,\"down\":600}");
    assert_abrupt_end(&mut ws).await;
    // The listener still accepts, but nothing is answered until the end, then it is reset.
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).await.unwrap();
    s.write_all(b"GET /control/stats HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut out = Vec::new();
    let r = timeout(Duration::from_secs(3), s.read_to_end(&mut out)).await.unwrap();
    assert!(out.is_empty(), "answered while down: {}", String::from_utf8_lossy(&out));
    assert!(r.is_err(), "held connection should be reset, got {r:?}");
    assert!(t0.elapsed() >= Duration::from_millis(550), "reset after {:?}", t0.elapsed());
    let mut ws = srv.wss("/echo").await;
    ws.send(Message::text("up")).await.unwrap();
    assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("up"));
    assert_eq!(srv.get("/control/restart?mode=bogus").await.0, 400);
}

#[tokio::test]
async fn restart_takes_the_tls_port_down_too() {
    let srv = Server::start_tls();
    let mut ws = srv.wss("/echo").await;
    srv.get("/control/restart?down=300").await;
    assert_abrupt_end(&mut ws).await;
    assert!(TcpStream::connect(("127.0.0.1", srv.tls_port)).await.is_err(), "tls listener should be down");
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Ok(tls) = srv.tls_connect(&srv.cert_pem()).await {
            let (mut ws, _) = client_async(srv.wss_url("/echo"), tls).await.unwrap();
            ws.send(Message::text("back")).await.unwrap();
            assert_eq!(next(&mut ws).await.unwrap().unwrap(), Message::text("back"));
            break;
        }
        assert!(Instant::now() < deadline, "tls port did not come back");
    }
}

#[test]
fn tls_flags_need_tls_port() {
    let out = Command::new(env!("CARGO_BIN_EXE_mpsocket-server"))
        .args(["--port", "0", "--tls-cert-out", "/tmp/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("need --tls-port"));
}
