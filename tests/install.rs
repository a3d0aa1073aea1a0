//! The drop-in shim (contract A5) in headless Chromium against the real test server.
//!
//! Covers:
//! - [x] `install` for wx, qq, swan, uni (WeChat shape), tt (no legacy globals), my (Alipay), taro
//! - [x] existing members are never overwritten unless `overwrite: true`
//! - [x] the article's `wx.rtc` code runs unchanged and gets its echo
//! - [x] Alipay: task only with `multiple: true`, `{error, errorMessage}` failures, base64
//!   `isBuffer` legacy binary both ways, `offSocket*`
//! - [x] taro: `connectSocket` returns a Promise of the task (rejects with `{errMsg}`)
//! - [x] uni: `connectSocket` without callbacks returns the task
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Reflect};
use mpsocket::api;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Clone, Default)]
struct Seen(Rc<RefCell<Vec<JsValue>>>);

impl Seen {
    fn cb(&self) -> JsValue {
        let me = self.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| me.0.borrow_mut().push(v)).into_js_value()
    }
    async fn wait(&self, n: usize) -> Vec<JsValue> {
        for _ in 0..300 {
            if self.0.borrow().len() >= n {
                break;
            }
            TimeoutFuture::new(10).await;
        }
        let v = self.0.borrow().clone();
        assert!(v.len() >= n, "waited for {n} calls, saw {}", v.len());
        v
    }
}

const SOCKET_FNS: [&str; 8] = [
    "connectSocket",
    "createSocketTask",
    "sendSocketMessage",
    "closeSocket",
    "onSocketOpen",
    "onSocketMessage",
    "onSocketError",
    "onSocketClose",
];
const NETWORK_FNS: [&str; 5] = [
    "getNetworkType",
    "onNetworkStatusChange",
    "offNetworkStatusChange",
    "onNetworkWeakChange",
    "offNetworkWeakChange",
];

#[wasm_bindgen_test]
fn every_platform_gets_its_shape() {
    for p in ["wx", "qq", "swan", "uni", "tt", "my", "taro"] {
        let target: JsValue = Object::new().into();
        let ns = api::install(target.clone(), obj(&[("platform", s(p))]));
        assert!(ns.is_object(), "{p}");
        assert!(Object::is(&ns, &get(&target, p)), "{p}: installed on the target");
        for f in SOCKET_FNS {
            let has = get(&ns, f).is_function();
            let legacy = !matches!(f, "connectSocket" | "createSocketTask");
            assert_eq!(has, !(p == "tt" && legacy), "{p}.{f}");
        }
        for f in NETWORK_FNS {
            let expected = p != "my" || !f.contains("Weak");
            assert_eq!(get(&ns, f).is_function(), expected, "{p}.{f}");
        }
        assert_eq!(get(&ns, "offSocketOpen").is_function(), p == "my", "{p}.offSocketOpen");
        assert_eq!(get(&ns, "rtc").is_object(), p == "wx", "{p}.rtc");
    }
    // Unknown platform and bad target: undefined, nothing thrown.
    assert!(api::install(Object::new().into(), obj(&[("platform", s("xx"))])).is_undefined());
    assert!(api::install(JsValue::from(3), JsValue::UNDEFINED).is_undefined());
}

#[wasm_bindgen_test]
fn existing_members_are_kept_unless_overwrite() {
    let mine = Function::new_no_args("return 'mine'");
    let target: JsValue = obj(&[("wx", obj(&[("connectSocket", mine.clone().into()), ("login", s("x"))]))]);
    let wx = api::install(target.clone(), obj(&[("platform", s("wx"))]));
    assert!(Object::is(&get(&wx, "connectSocket"), &mine), "kept the page's own member");
    assert_eq!(get(&wx, "login").as_string().as_deref(), Some("x"));
    assert!(get(&wx, "sendSocketMessage").is_function(), "added the missing ones");
    let wx = api::install(target, obj(&[("platform", s("wx")), ("overwrite", JsValue::TRUE)]));
    assert!(!Object::is(&get(&wx, "connectSocket"), &mine), "replaced with overwrite: true");
    // Installing on globalThis by default.
    let g: JsValue = js_sys::global().into();
    let ns = api::install(JsValue::UNDEFINED, obj(&[("platform", s("swan"))]));
    assert!(Object::is(&ns, &get(&g, "swan")));
}

#[wasm_bindgen_test]
async fn the_articles_code_runs_unchanged() {
    let g: JsValue = js_sys::global().into();
    api::install(g.clone(), obj(&[("platform", s("wx")), ("overwrite", JsValue::TRUE)]));
    // Capture console.log, where the article prints what it receives.
    let logged = Seen::default();
    let original = get(&g, "console");
    let saved = get(&original, "log");
    let capture = logged.cb();
    Reflect::set(&original, &s("log"), &capture).unwrap();
    // The article's first listing, verbatim but for the URL; it returns its send function.
    let code = format!(
        r#"
let socketOpened = false;
let socketMsgQueue = [];
const socketTask = wx.rtc.createSocketTask({{
url: '{url}',
header: {{
'content-type': 'application/json'
}},
sslVerify: true,
success: function () {{
socketOpened = true;
for (let i = 0; i < socketMsgQueue.length; i++) {{
sendSocketMessage(socketMsgQueue[i])
}}
socketMsgQueue = []
}}
}})
function sendSocketMessage(msg) {{
if (socketOpened) {{
wx.rtc.sendSocketMessage({{
data: msg
}})
}} else {{
socketMsgQueue.push(msg)
}}
}}
wx.rtc.onSocketMessage(function (res) {{
console.log('收到服务器内容:' + res.data)
}})
sendSocketMessage('你好');
return [sendSocketMessage, socketTask];
"#,
        url = url("/echo")
    );
    let out = Function::new_no_args(&code).call0(&JsValue::UNDEFINED).unwrap();
    let send: Function = Array::from(&out).get(0).dyn_into().unwrap();
    send.call1(&JsValue::UNDEFINED, &s("second")).unwrap();
    let seen = logged.wait(2).await;
    Reflect::set(&original, &s("log"), &saved).unwrap();
    let texts: Vec<String> = seen.iter().filter_map(|v| v.as_string()).collect();
    assert_eq!(texts, ["收到服务器内容:你好", "收到服务器内容:second"]);
    let task = Array::from(&out).get(1);
    call(&task, "close", &[obj(&[])]);
    TimeoutFuture::new(50).await;
    assert_eq!(get(&task, "readyState").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
async fn alipay_shape() {
    let target: JsValue = Object::new().into();
    let my = api::install(target, obj(&[("platform", s("my"))]));
    // Without `multiple`, no task is returned (the legacy functions drive it).
    let opened = Seen::default();
    call(&my, "onSocketOpen", &[opened.cb()]);
    let r = call(&my, "connectSocket", &[obj(&[("url", s(&url("/echo")))])]);
    assert!(r.is_undefined());
    opened.wait(1).await;
    // Legacy binary travels as base64 with isBuffer both ways.
    let got = Seen::default();
    call(&my, "onSocketMessage", &[got.cb()]);
    call(&my, "sendSocketMessage", &[obj(&[("data", s("AAEC/w==")), ("isBuffer", JsValue::TRUE)])]);
    call(&my, "sendSocketMessage", &[obj(&[("data", s("text"))])]);
    let msgs = got.wait(2).await;
    assert_eq!(get(&msgs[0], "data").as_string().as_deref(), Some("AAEC/w=="));
    assert_eq!(get(&msgs[0], "isBuffer").as_bool(), Some(true));
    assert_eq!(get(&msgs[1], "data").as_string().as_deref(), Some("text"));
    assert_eq!(get(&msgs[1], "isBuffer").as_bool(), Some(false));
    // offSocketMessage empties the slot.
    call(&my, "offSocketMessage", &[]);
    call(&my, "sendSocketMessage", &[obj(&[("data", s("unheard"))])]);
    TimeoutFuture::new(100).await;
    assert_eq!(got.0.borrow().len(), 2);
    // Failures are {error, errorMessage}.
    let failed = Seen::default();
    call(&my, "connectSocket", &[obj(&[("url", s("http://x")), ("fail", failed.cb())])]);
    let f = failed.wait(1).await;
    assert_eq!(get(&f[0], "error").as_f64(), Some(5.0));
    assert_eq!(get(&f[0], "errorMessage").as_string().as_deref(), Some("connectSocket:fail invalid url \"http://x\""));
    assert!(get(&f[0], "errMsg").is_undefined());
    // With `multiple`, a task.
    let task = call(&my, "connectSocket", &[obj(&[("url", s(&url("/echo"))), ("multiple", JsValue::TRUE)])]);
    assert!(task.is_object());
    let closed = Seen::default();
    call(&my, "closeSocket", &[obj(&[("success", closed.cb())])]);
    closed.wait(1).await;
    TimeoutFuture::new(50).await;
    assert_eq!(get(&task, "readyState").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
async fn taro_returns_a_promise_and_uni_returns_the_task() {
    let target: JsValue = Object::new().into();
    let taro = api::install(target.clone(), obj(&[("platform", s("taro"))]));
    let p = call(&taro, "connectSocket", &[obj(&[("url", s(&url("/echo")))])]);
    assert!(p.is_instance_of::<js_sys::Promise>());
    let task = JsFuture::from(js_sys::Promise::from(p)).await.unwrap();
    assert!(get(&task, "onOpen").is_function());
    call(&task, "close", &[obj(&[])]);
    let p = call(&taro, "connectSocket", &[obj(&[("url", s("nope"))])]);
    let err = JsFuture::from(js_sys::Promise::from(p)).await.unwrap_err();
    assert_eq!(get(&err, "errMsg").as_string().as_deref(), Some("connectSocket:fail invalid url \"nope\""));

    let uni = api::install(target, obj(&[("platform", s("uni"))]));
    let task = call(&uni, "connectSocket", &[obj(&[("url", s(&url("/echo")))])]);
    assert!(get(&task, "send").is_function(), "uni H5: the task, not a Promise");
    let open = Seen::default();
    call(&task, "onOpen", &[open.cb()]);
    open.wait(1).await;
    call(&task, "close", &[obj(&[])]);
    TimeoutFuture::new(50).await;
}
