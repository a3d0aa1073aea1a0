//! Minimal HTTP/1.1 request-head parsing, responses and static files.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest request head accepted (request line + headers).
pub const MAX_HEAD: usize = 32 * 1024;

pub enum Head {
    /// The head (through `\r\n\r\n`) and any bytes read after it.
    Complete(Vec<u8>, Vec<u8>),
    TooLarge,
    /// EOF or an I/O error before the head was complete.
    Closed,
}

/// Reads until the end of the request head, keeping every byte read.
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Head {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Head::Closed,
            Ok(n) => n,
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = find(&buf[from..], b"\r\n\r\n") {
            let end = from + pos + 4;
            let rest = buf.split_off(end);
            return Head::Complete(buf, rest);
        }
        if buf.len() > MAX_HEAD {
            return Head::TooLarge;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// Percent-encoded path, without the query string.
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn parse(head: &[u8]) -> Option<Request> {
        let text = String::from_utf8_lossy(head);
        let mut lines = text.split("\r\n");
        let mut parts = lines.next()?.split(' ').filter(|s| !s.is_empty());
        let method = parts.next()?.to_owned();
        let mut target = parts.next()?;
        if !parts.next()?.starts_with("HTTP/") {
            return None;
        }
        // Absolute-form target: drop scheme and authority.
        if let Some(rest) = target.strip_prefix("http://").or_else(|| target.strip_prefix("https://")) {
            target = rest.find('/').map_or("/", |i| &rest[i..]);
        }
        let target = target.split('#').next().unwrap_or("");
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, parse_query(q)),
            None => (target, Vec::new()),
        };
        if !path.starts_with('/') {
            return None;
        }
        let mut headers = Vec::new();
        for line in lines {
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        Some(Request { method, path: path.to_owned(), query, headers })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Comma-separated tokens of every header named `name`, trimmed.
    pub fn tokens<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.tokens(name).any(|t| t.eq_ignore_ascii_case(token))
    }

    pub fn query(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn query_u64(&self, key: &str) -> Option<u64> {
        self.query(key).and_then(|v| v.trim().parse().ok())
    }
}

pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true), decode(v, true))
        })
        .collect()
}

/// Percent-decodes `s` (and `+` → space when `plus` is set), lossily as UTF-8.
pub fn decode(s: &str, plus: bool) -> String {
    String::from_utf8_lossy(&decode_bytes(s, plus)).into_owned()
}

fn decode_bytes(s: &str, plus: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(if plus && b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A complete `Connection: close` response with CORS and no-store headers.
pub fn response(status: u16, content_type: &str, extra: &[(&str, &str)], body: &[u8], head_only: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\n\
         Content-Type: {content_type}\r\n\
         Content-Length: {}\r\n\
         Cache-Control: no-store\r\n\
         Access-Control-Allow-Origin: *\r\n\
         Cross-Origin-Resource-Policy: cross-origin\r\n\
         Connection: close\r\n",
        reason(status),
        body.len()
    )
    .into_bytes();
    for (k, v) in extra {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(body);
    }
    out
}

pub fn text(status: u16, body: &str) -> Vec<u8> {
    response(status, "text/plain; charset=utf-8", &[], body.as_bytes(), false)
}

pub fn json(body: &str) -> Vec<u8> {
    response(200, "application/json", &[], body.as_bytes(), false)
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        _ => "Unknown",
    }
}

/// A directory served under a URL prefix (`""` for `/`).
#[derive(Debug, Clone)]
pub struct Mount {
    /// `""` or `/name` (no trailing slash).
    pub prefix: String,
    pub dir: PathBuf,
}

pub enum StaticResult {
    File(PathBuf),
    Redirect(String),
    BadPath,
    NotFound,
}

/// Maps a request path onto the mounts (longest prefix first, falling through
/// to shorter ones when the file is missing).
pub fn resolve(mounts: &[Mount], raw_path: &str) -> StaticResult {
    let bytes = decode_bytes(raw_path, false);
    let Ok(path) = String::from_utf8(bytes) else {
        return StaticResult::BadPath;
    };
    if path.contains('\0') || path.contains('\\') {
        return StaticResult::BadPath;
    }
    if path.split('/').any(|seg| seg == "..") {
        return StaticResult::BadPath;
    }
    for m in mounts {
        let rest = if m.prefix.is_empty() {
            path.as_str()
        } else if path == m.prefix {
            return StaticResult::Redirect(format!("{}/", m.prefix));
        } else if let Some(r) = path.strip_prefix(&m.prefix) {
            if !r.starts_with('/') {
                continue;
            }
            r
        } else {
            continue;
        };
        let mut file = m.dir.clone();
        for seg in rest.split('/').filter(|s| !s.is_empty() && *s != ".") {
            file.push(seg);
        }
        if file.is_dir() {
            if !rest.ends_with('/') {
                return StaticResult::Redirect(format!("{path}/"));
            }
            file.push("index.html");
        }
        if file.is_file() {
            return StaticResult::File(file);
        }
    }
    StaticResult::NotFound
}

pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let ext = name.rsplit('.').next().unwrap_or("");
    if name.ends_with(".d.ts") {
        return "text/plain; charset=utf-8";
    }
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "ts" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request() {
        let r = Request::parse(
            b"GET /close?code=4001&reason=a%20b+c HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\n\r\n",
        )
        .expect("parse");
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/close");
        assert_eq!(r.query_u64("code"), Some(4001));
        assert_eq!(r.query("reason"), Some("a b c"));
        assert!(r.has_token("connection", "upgrade"));
        assert!(Request::parse(b"garbage\r\n\r\n").is_none());
    }

    #[test]
    fn decodes_edge_cases() {
        assert_eq!(decode("%", true), "%");
        assert_eq!(decode("%4", true), "%4");
        assert_eq!(decode("%41%zz", true), "A%zz");
        assert_eq!(decode("%e4%b8%ad", false), "中");
    }

    #[test]
    fn types() {
        assert_eq!(content_type(Path::new("a/x.d.ts")), "text/plain; charset=utf-8");
        assert_eq!(content_type(Path::new("x.MJS")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
    }

    #[test]
    fn rejects_traversal() {
        let m = [Mount { prefix: String::new(), dir: PathBuf::from(".") }];
        assert!(matches!(resolve(&m, "/../x"), StaticResult::BadPath));
        assert!(matches!(resolve(&m, "/a/%2e%2e/%2e%2e/x"), StaticResult::BadPath));
        assert!(matches!(resolve(&m, "/a\\..\\x"), StaticResult::BadPath));
    }
}
