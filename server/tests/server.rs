//! Starts the real binary and talks to it over loopback.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Server {
    fn start() -> Server {
        Server::start_with(Stdio::null())
    }

    fn start_with(stdout: Stdio) -> Server {
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
        let child = Command::new(env!("CARGO_BIN_EXE_mpsocket-server"))
            .arg("--port")
            .arg("0")
            .arg("--port-file")
            .arg(&port_file)
            .arg("--static")
            .arg(&www)
            .arg("--mount")
            .arg(format!("/p={}", www.join("pkg").display()))
            .stdout(stdout)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let port = loop {
            if let Ok(s) = std::fs::read_to_string(&port_file) {
                break s.trim().parse().unwrap();
            }
            assert!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_millis(5));
        };
        Server { child, port, dir }
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

async fn next(ws: &mut Ws) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    timeout(Duration::from_secs(2), ws.next()).await.unwrap()
}

/// The connection must end with an error (reset / EOF), not a Close frame.
async fn assert_abrupt_end(ws: &mut Ws) {
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
            r#"{"id":"a","path":"/echo","received":2,"open":true},{"id":"","path":"/echo","received":0,"open":true}"#
        ),
        "{body}"
    );
    assert!(body.contains(r#""receivedTexts":{"a":["hello \"x\""]}"#), "{body}");

    ws.close(None).await.unwrap();
    while let Some(Ok(_)) = next(&mut ws).await {}
    let (_, _, body) = srv.get("/control/stats").await;
    assert!(body.contains(r#""received":2,"open":false"#), "{body}");

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
    let mut srv = Server::start_with(Stdio::piped());
    let status = Command::new("kill").arg("-TERM").arg(srv.child.id().to_string()).status().unwrap();
    assert!(status.success());
    let mut out = String::new();
    std::io::Read::read_to_string(srv.child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(srv.child.wait().unwrap().success());
    assert_eq!(out, format!("mpsocket-server listening on http://127.0.0.1:{}\nmpsocket-server stopped\n", srv.port));
}
