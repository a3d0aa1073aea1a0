//! wasm-bindgen-test suite in headless Chromium against the real test server
//! (`mpsocket-server`, started by `scripts/test.sh`, port passed in `MPSOCKET_TEST_PORT`).
//!
//! Covers (contract A1–A3):
//! - [x] `connectSocket` returns a task synchronously; `success` is async, once, with
//!   `socketTaskId`, then `complete`
//! - [x] readyState and the four constants
//! - [x] validation errMsgs (missing/number url, non-ws url, non-object options) return
//!   `undefined`
//! - [x] echo of text and binary; binary arrives as ArrayBuffer; a view sends exactly its bytes
//! - [x] send: bad data, not OPEN, success errMsg
//! - [x] close: invalid code and 124-byte reason fail and the socket stays open; client close
//!   codes and reasons; reason table; server close with and without a code; close while
//!   CONNECTING; close after close
//! - [x] refused port: onError then onClose 1006; silent handshake: connect timeout
//! - [x] the 5-task limit and `configure({maxConnections})`
//! - [x] stacking listeners, a throwing listener isolated, `off*`, no events after the final
//!   close
//! - [x] `send` / `close` called re-entrantly from inside listeners
//! - [x] legacy globals: binding, one slot, Promise returns, `closeSocket` closes all, the
//!   "not connected" errors
//! - [x] the `WebSocket` option
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Reflect, Uint8Array};
use mpsocket::api;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn ready(task: &JsValue) -> f64 {
    get(task, "readyState").as_f64().unwrap()
}

/// Connects with listeners on every event, recorded in `log`.
fn connect(path: &str, log: &Log, extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("url", s(&url(path))),
        ("success", log.cb("success")),
        ("fail", log.cb("fail")),
        ("complete", log.cb("complete")),
    ];
    pairs.extend(extra.iter().cloned());
    let task = api::connect_socket(obj(&pairs));
    for ev in ["Open", "Message", "Error", "Close"] {
        call(&task, &format!("on{ev}"), &[log.cb(&ev.to_lowercase())]);
    }
    task
}

fn close_of(log: &Log) -> (f64, String) {
    let c = log.get("close").expect("no close event");
    (get(&c, "code").as_f64().unwrap(), get(&c, "reason").as_string().unwrap())
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

#[wasm_bindgen_test]
async fn connect_is_synchronous_and_success_is_async() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    assert!(task.is_object(), "a task, not undefined");
    assert!(!get(&task, "then").is_function(), "never a Promise");
    assert_eq!(ready(&task), 0.0);
    for (k, v) in [("CONNECTING", 0.0), ("OPEN", 1.0), ("CLOSING", 2.0), ("CLOSED", 3.0)] {
        assert_eq!(get(&task, k).as_f64(), Some(v), "{k}");
    }
    assert!(log.names().is_empty(), "success must be asynchronous");
    log.wait("open", 1).await;
    assert_eq!(ready(&task), 1.0);
    let ok = log.get("success").unwrap();
    assert_eq!(err_msg(&ok), "connectSocket:ok");
    assert!(get(&ok, "socketTaskId").as_f64().unwrap() >= 1.0);
    assert_eq!(log.names()[..3], ["success", "complete", "open"]);
    let open = log.get("open").unwrap();
    assert!(get(&open, "header").is_object());
    assert!(get(&get(&open, "profile"), "connectEnd").as_f64().unwrap() > 0.0);
    call(&task, "close", &[obj(&[])]);
    log.wait("close", 1).await;
    assert_eq!(close_of(&log), (1000.0, "normal closure".into()));
    assert_eq!(ready(&task), 3.0);
    assert_eq!((log.count("success"), log.count("fail"), log.count("complete")), (1, 0, 1));
}

#[wasm_bindgen_test]
async fn validation_errors_return_undefined() {
    let cases: Vec<(JsValue, &str)> = vec![
        (obj(&[]), "connectSocket:fail parameter error: parameter.url should be String instead of Undefined;"),
        (
            obj(&[("url", JsValue::from(5))]),
            "connectSocket:fail parameter error: parameter.url should be String instead of Number;",
        ),
        (
            obj(&[("url", obj(&[]))]),
            "connectSocket:fail parameter error: parameter.url should be String instead of Object;",
        ),
        (obj(&[("url", s("http://x"))]), "connectSocket:fail invalid url \"http://x\""),
        (obj(&[("url", s("ws://[bad"))]), "connectSocket:fail invalid url \"ws://[bad\""),
    ];
    for (opts, want) in cases {
        let log = Log::default();
        for k in ["success", "fail", "complete"] {
            Reflect::set(&opts, &s(k), &log.cb(k)).unwrap();
        }
        let r = api::connect_socket(opts);
        assert!(r.is_undefined(), "{want}");
        log.wait("complete", 1).await;
        assert_eq!(log.names(), ["fail", "complete"]);
        assert_eq!(err_msg(&log.get("fail").unwrap()), want, "case {want}");
    }
    // Options that are not an object: nothing to call back, and nothing thrown.
    assert!(api::connect_socket(JsValue::from(3)).is_undefined());
    assert!(api::connect_socket(JsValue::UNDEFINED).is_undefined());
}

#[wasm_bindgen_test]
async fn echo_text_and_binary() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    log.wait("open", 1).await;
    call(
        &task,
        "send",
        &[obj(&[("data", s("hello")), ("success", log.cb("sent")), ("complete", log.cb("sent-complete"))])],
    );
    log.wait("message", 1).await;
    assert_eq!(get(&log.all("message")[0], "data").as_string().as_deref(), Some("hello"));
    assert_eq!(err_msg(&log.get("sent").unwrap()), "sendSocketMessage:ok");
    // A view of bytes 2..5 of a 8-byte buffer sends exactly those 3 bytes.
    let whole = Uint8Array::from(&[0u8, 1, 2, 3, 4, 5, 6, 7][..]);
    let view = whole.subarray(2, 5);
    call(&task, "send", &[obj(&[("data", view.into())])]);
    // A plain ArrayBuffer goes as is.
    call(&task, "send", &[obj(&[("data", Uint8Array::from(&[9u8, 9][..]).buffer().into())])]);
    log.wait("message", 3).await;
    let msgs = log.all("message");
    let bin = get(&msgs[1], "data");
    assert!(bin.is_instance_of::<js_sys::ArrayBuffer>(), "binary arrives as ArrayBuffer");
    assert_eq!(Uint8Array::new(&bin).to_vec(), vec![2, 3, 4]);
    assert_eq!(Uint8Array::new(&get(&msgs[2], "data")).to_vec(), vec![9, 9]);
    call(&task, "close", &[obj(&[])]);
    log.wait("close", 1).await;
    assert_eq!(log.count("sent"), 1);
    assert_eq!(log.count("sent-complete"), 1);
}

#[wasm_bindgen_test]
async fn send_failures() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    call(
        &task,
        "send",
        &[obj(&[("data", s("early")), ("fail", log.cb("early-fail")), ("complete", log.cb("early-complete"))])],
    );
    log.wait("early-complete", 1).await;
    assert_eq!(err_msg(&log.get("early-fail").unwrap()), "SocketTask.send:fail SocketTask.readyState is not OPEN");
    log.wait("open", 1).await;
    for bad in [JsValue::from(1), JsValue::UNDEFINED, obj(&[]), JsValue::NULL] {
        call(&task, "send", &[obj(&[("data", bad), ("fail", log.cb("bad"))])]);
    }
    log.wait("bad", 4).await;
    for v in log.all("bad") {
        assert_eq!(err_msg(&v), "sendSocketMessage:fail data must be string or ArrayBuffer");
    }
    // Malformed call shapes never throw.
    call(&task, "send", &[JsValue::UNDEFINED]);
    call(&task, "send", &[JsValue::from(7)]);
    call(&task, "close", &[obj(&[])]);
    log.wait("close", 1).await;
    call(&task, "send", &[obj(&[("data", s("late")), ("fail", log.cb("late"))])]);
    log.wait("late", 1).await;
    assert_eq!(err_msg(&log.get("late").unwrap()), "SocketTask.send:fail SocketTask.readyState is not OPEN");
    assert_eq!(log.count("message"), 0);
}

#[wasm_bindgen_test]
async fn invalid_close_keeps_the_socket_open() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    log.wait("open", 1).await;
    let long = "é".repeat(62); // 124 bytes
    let bad: Vec<(JsValue, &str)> = vec![
        (
            obj(&[("code", JsValue::from(1001))]),
            "closeSocket:fail invalid code 1001: must be 1000 or between 3000 and 4999",
        ),
        (
            obj(&[("code", JsValue::from(5000))]),
            "closeSocket:fail invalid code 5000: must be 1000 or between 3000 and 4999",
        ),
        (
            obj(&[("code", JsValue::from(3000.5))]),
            "closeSocket:fail invalid code 3000.5: must be 1000 or between 3000 and 4999",
        ),
        (obj(&[("reason", s(&long))]), "closeSocket:fail reason is 124 bytes of UTF-8, more than 123"),
        (
            obj(&[("code", s("x"))]),
            "closeSocket:fail parameter error: parameter.code should be Number instead of String;",
        ),
    ];
    for (i, (opts, want)) in bad.into_iter().enumerate() {
        Reflect::set(&opts, &s("fail"), &log.cb("close-fail")).unwrap();
        Reflect::set(&opts, &s("complete"), &log.cb("close-complete")).unwrap();
        call(&task, "close", &[opts]);
        log.wait("close-complete", i + 1).await;
        assert_eq!(err_msg(&log.all("close-fail")[i]), want);
    }
    assert_eq!(ready(&task), 1.0, "still open");
    call(&task, "send", &[obj(&[("data", s("still here"))])]);
    log.wait("message", 1).await;
    // A reason of exactly 123 bytes is fine.
    let ok = format!("{}a", "é".repeat(61));
    call(&task, "close", &[obj(&[("code", JsValue::from(4000)), ("reason", s(&ok)), ("success", log.cb("close-ok"))])]);
    assert_eq!(ready(&task), 2.0);
    log.wait("close", 1).await;
    assert_eq!(err_msg(&log.get("close-ok").unwrap()), "closeSocket:ok");
    assert_eq!(close_of(&log), (4000.0, ok));
    // Closing again fails.
    call(&task, "close", &[obj(&[("fail", log.cb("again"))])]);
    log.wait("again", 1).await;
    assert_eq!(err_msg(&log.get("again").unwrap()), "closeSocket:fail WebSocket is not connected");
}

#[wasm_bindgen_test]
async fn server_close_codes_and_reason_table() {
    for (path, code, reason) in [
        ("/close?code=4001&reason=bye", 4001.0, "bye"),
        ("/close", 1005.0, "no status rcvd"),
        ("/close?code=1000", 1000.0, "normal closure"),
        ("/close?code=1011", 1011.0, "internal server error"),
        ("/drop", 1006.0, "abnormal closure"),
    ] {
        let log = Log::default();
        let _task = connect(path, &log, &[]);
        log.wait("close", 1).await;
        assert_eq!(close_of(&log), (code, reason.to_string()), "{path}");
    }
}

#[wasm_bindgen_test]
async fn close_while_connecting_reports_requested_code() {
    let log = Log::default();
    let task = connect("/hang", &log, &[]);
    call(&task, "close", &[obj(&[("code", JsValue::from(4002)), ("reason", s("changed my mind"))])]);
    assert_eq!(ready(&task), 2.0);
    log.wait("close", 1).await;
    assert_eq!(close_of(&log), (4002.0, "changed my mind".into()));
    assert_eq!(log.count("error"), 0, "a requested close is not an error");
    assert_eq!(log.count("open"), 0);
}

#[wasm_bindgen_test]
async fn refused_port_and_connect_timeout() {
    let dead = dead_port();
    let log = Log::default();
    let task = api::connect_socket(obj(&[("url", s(&format!("ws://127.0.0.1:{dead}/")))]));
    for ev in ["Error", "Close"] {
        call(&task, &format!("on{ev}"), &[log.cb(&ev.to_lowercase())]);
    }
    log.wait("close", 1).await;
    assert_eq!(log.names(), ["error", "close"]);
    assert_eq!(err_msg(&log.get("error").unwrap()), "connectSocket:fail WebSocket connection failed");
    assert_eq!(close_of(&log), (1006.0, "abnormal closure".into()));

    let log = Log::default();
    let task = connect("/hang", &log, &[("timeout", JsValue::from(300))]);
    log.wait("close", 1).await;
    assert_eq!(log.names(), ["success", "complete", "error", "close"]);
    assert_eq!(err_msg(&log.get("error").unwrap()), "connectSocket:fail timeout");
    assert_eq!(close_of(&log), (1006.0, "abnormal closure".into()));
    assert_eq!(ready(&task), 3.0);
    assert!(get(&task, "socket").is_null(), "the timed-out socket is abandoned");
}

#[wasm_bindgen_test]
async fn five_task_limit_is_configurable() {
    let log = Log::default();
    let tasks: Vec<JsValue> = (0..5).map(|_| connect("/echo", &log, &[])).collect();
    let sixth_log = Log::default();
    let sixth = connect("/echo", &sixth_log, &[]);
    assert!(sixth.is_object(), "still returns a task");
    assert_eq!(ready(&sixth), 3.0);
    sixth_log.wait("complete", 1).await;
    assert_eq!(err_msg(&sixth_log.get("fail").unwrap()), "connectSocket:fail fail reach max websocket connect count 5");
    assert_eq!(sixth_log.count("success"), 0);
    log.wait("open", 5).await;
    settle().await;
    assert_eq!(sixth_log.count("close") + sixth_log.count("error") + sixth_log.count("open"), 0);
    // Closing one frees a slot (once it is CLOSED).
    call(&tasks[0], "close", &[obj(&[])]);
    log.wait("close", 1).await;
    let seventh_log = Log::default();
    let seventh = connect("/echo", &seventh_log, &[]);
    seventh_log.wait("open", 1).await;
    // configure() changes the limit.
    api::configure(obj(&[("maxConnections", JsValue::from(1))]));
    let eighth_log = Log::default();
    let _eighth = connect("/echo", &eighth_log, &[]);
    eighth_log.wait("fail", 1).await;
    assert_eq!(
        err_msg(&eighth_log.get("fail").unwrap()),
        "connectSocket:fail fail reach max websocket connect count 1"
    );
    api::configure(obj(&[("maxConnections", JsValue::from(5))]));
    for t in tasks.iter().skip(1).chain([&seventh]) {
        call(t, "close", &[obj(&[])]);
    }
    log.wait("close", 5).await;
    seventh_log.wait("close", 1).await;
}

#[wasm_bindgen_test]
async fn listeners_stack_isolate_throws_and_can_be_removed() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    let thrower = Function::new_no_args("throw new Error('listener failure (expected by the test)')");
    call(&task, "onMessage", &[thrower.clone().into()]);
    let second = log.cb("second");
    call(&task, "onMessage", std::slice::from_ref(&second));
    // Not a function: ignored, no throw.
    call(&task, "onMessage", &[JsValue::from(3)]);
    log.wait("open", 1).await;
    call(&task, "send", &[obj(&[("data", s("1"))])]);
    log.wait("second", 1).await;
    assert_eq!(log.count("message"), 1, "the listener before the thrower ran");
    assert_eq!(ready(&task), 1.0, "a throwing listener does not corrupt the task");
    call(&task, "offMessage", &[second]);
    call(&task, "send", &[obj(&[("data", s("2"))])]);
    log.wait("message", 2).await;
    assert_eq!(log.count("second"), 1, "offMessage(fn) removed it");
    call(&task, "offMessage", &[]);
    call(&task, "send", &[obj(&[("data", s("3"))])]);
    settle().await;
    settle().await;
    assert_eq!(log.count("message"), 2, "offMessage() removed all");
    call(&task, "close", &[obj(&[])]);
    log.wait("close", 1).await;
    // After the final close, listeners are gone and new ones are ignored.
    call(&task, "onClose", &[log.cb("late-close")]);
    settle().await;
    assert_eq!(log.count("late-close"), 0);
}

#[wasm_bindgen_test]
async fn reentrant_send_and_close_from_listeners() {
    let log = Log::default();
    let task = connect("/echo", &log, &[]);
    let t2 = task.clone();
    let l2 = log.clone();
    let on_open = Closure::<dyn FnMut(JsValue)>::new(move |_v: JsValue| {
        call(&t2, "send", &[obj(&[("data", s("from onOpen")), ("success", l2.cb("reentrant-sent"))])]);
    })
    .into_js_value();
    call(&task, "onOpen", &[on_open]);
    let t3 = task.clone();
    let seen = Rc::new(RefCell::new(0));
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        let n = {
            let mut n = seen.borrow_mut();
            *n += 1;
            *n
        };
        if n < 3 {
            call(&t3, "send", &[obj(&[("data", get(&v, "data"))])]);
        } else {
            call(&t3, "close", &[obj(&[("code", JsValue::from(4100)), ("reason", s("done"))])]);
            // A send right after close() in the same listener fails cleanly.
            call(&t3, "send", &[obj(&[("data", s("too late"))])]);
        }
    })
    .into_js_value();
    call(&task, "onMessage", &[on_message]);
    log.wait("close", 1).await;
    assert_eq!(log.count("message"), 3);
    assert_eq!(log.count("reentrant-sent"), 1);
    assert_eq!(close_of(&log), (4100.0, "done".into()));
}

#[wasm_bindgen_test]
async fn legacy_globals() {
    // No task yet: both legacy calls fail, with Promises when no callback is given.
    let p = api::send_socket_message(obj(&[("data", s("x"))]));
    let err = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.unwrap_err();
    assert_eq!(err_msg(&err), "sendSocketMessage:fail WebSocket is not connected");
    let p = api::close_socket(obj(&[]));
    let err = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.unwrap_err();
    assert_eq!(err_msg(&err), "closeSocket:fail WebSocket is not connected");

    let log = Log::default();
    api::on_socket_open(log.cb("legacy-open-replaced"));
    api::on_socket_open(log.cb("legacy-open"));
    api::on_socket_message(log.cb("legacy-message"));
    api::on_socket_close(log.cb("legacy-close"));
    api::on_socket_error(log.cb("legacy-error"));
    let first = connect("/echo", &log, &[]);
    let other = Log::default();
    let second = connect("/echo", &other, &[]);
    log.wait("legacy-open", 1).await;
    other.wait("open", 1).await;
    assert_eq!(log.count("legacy-open-replaced"), 0, "one slot: the second registration replaced the first");
    assert_eq!(log.count("legacy-open"), 1, "fires for the bound task only");
    // Callback style returns undefined.
    let r = api::send_socket_message(obj(&[("data", s("legacy")), ("success", log.cb("legacy-sent"))]));
    assert!(r.is_undefined());
    log.wait("legacy-message", 1).await;
    assert_eq!(get(&log.get("legacy-message").unwrap(), "data").as_string().as_deref(), Some("legacy"));
    assert_eq!(log.count("message"), 1, "went through the bound (first) task");
    assert_eq!(other.count("message"), 0);
    // Promise style resolves with the success object.
    let p = api::send_socket_message(obj(&[("data", s("p"))]));
    let ok = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.unwrap();
    assert_eq!(err_msg(&ok), "sendSocketMessage:ok");
    // An invalid close through closeSocket closes nothing.
    let p = api::close_socket(obj(&[("code", JsValue::from(2000))]));
    assert!(wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.is_err());
    assert_eq!(ready(&first), 1.0);
    // closeSocket closes the bound task and every other live task.
    let p = api::close_socket(obj(&[("code", JsValue::from(4200)), ("reason", s("all"))]));
    let ok = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.unwrap();
    assert_eq!(err_msg(&ok), "closeSocket:ok");
    log.wait("legacy-close", 1).await;
    other.wait("close", 1).await;
    assert_eq!(close_of(&log), (4200.0, "all".into()));
    assert_eq!(ready(&second), 3.0);
    assert_eq!(get(&log.get("legacy-close").unwrap(), "code").as_f64(), Some(4200.0));
    // The next connectSocket binds anew.
    let third_log = Log::default();
    let third = connect("/echo", &third_log, &[]);
    log.wait("legacy-open", 2).await;
    let p = api::close_socket(obj(&[]));
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.unwrap();
    third_log.wait("close", 1).await;
    assert_eq!(ready(&third), 3.0);
}

#[wasm_bindgen_test]
async fn injected_websocket_class_and_protocols() {
    let ctor = Function::new_no_args(
        "return class Counting extends WebSocket { constructor(u, p) { super(u, p); globalThis.__mpsocketInjected = (globalThis.__mpsocketInjected || 0) + 1; } }",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    let log = Log::default();
    let task = connect("/echo", &log, &[("WebSocket", ctor), ("protocols", s("chat.v1"))]);
    log.wait("open", 1).await;
    let count = Reflect::get(&js_sys::global(), &s("__mpsocketInjected")).unwrap();
    assert_eq!(count.as_f64(), Some(1.0));
    let header = get(&log.get("open").unwrap(), "header");
    assert_eq!(get(&header, "sec-websocket-protocol").as_string().as_deref(), Some("chat.v1"));
    assert!(get(&task, "socket").is_object());
    call(&task, "close", &[obj(&[])]);
    log.wait("close", 1).await;
    assert!(get(&task, "socket").is_null());

    // Not a constructor at all: a clear parameter error.
    let log = Log::default();
    let r = api::connect_socket(obj(&[
        ("url", s(&url("/echo"))),
        ("WebSocket", JsValue::from(1)),
        ("fail", log.cb("fail")),
    ]));
    assert!(r.is_undefined());
    log.wait("fail", 1).await;
    assert_eq!(
        err_msg(&log.get("fail").unwrap()),
        "connectSocket:fail parameter error: parameter.WebSocket should be Function instead of Number;"
    );
}
