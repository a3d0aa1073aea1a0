//! Resilience scenarios (contract B1–B2) in headless Chromium against the real test server
//! and its fault controls (`/control/drop-all`, `/control/silence`, `/drop`).
//!
//! Covers:
//! - [x] messages sent before open and during an outage arrive exactly once, in order
//! - [x] a silent, half-open peer is detected by the heartbeat and replaced; pongs hidden;
//!   `lastRtt` measured
//! - [x] a user `close()` never reconnects
//! - [x] retries run out: `onReconnecting` per attempt, then one `onError` and one final
//!   `onClose`
//! - [x] `shouldReconnect` declining ends the task with the server's code
//! - [x] `url` as a function, called on every attempt
//! - [x] queue overflow policies and `task closed` failures
//! - [x] soak: 1,000 drop/reconnect cycles without growth of wasm memory
//!
//! Offline/online is driven from Playwright (tests/page), because only the DevTools
//! protocol can take the page offline.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function};
use mpsocket::api;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn listen(task: &JsValue, log: &Log) {
    for ev in ["Open", "Message", "Error", "Close", "Reconnecting"] {
        call(task, &format!("on{ev}"), &[log.cb(&ev.to_lowercase())]);
    }
}

async fn control(path: &str) -> JsValue {
    let fetch: Function = get(&js_sys::global().into(), "fetch").dyn_into().unwrap();
    let resp = JsFuture::from(js_sys::Promise::from(
        fetch.call1(&JsValue::UNDEFINED, &s(&format!("http://127.0.0.1:{}{}", port(), path))).unwrap(),
    ))
    .await
    .unwrap();
    JsFuture::from(js_sys::Promise::from(call(&resp, "json", &[]))).await.unwrap()
}

async fn received(id: &str) -> Vec<String> {
    let stats = control("/control/stats").await;
    let texts = get(&get(&stats, "receivedTexts"), id);
    if texts.is_undefined() {
        return vec![];
    }
    Array::from(&texts).iter().map(|v| v.as_string().unwrap()).collect()
}

fn fast_reconnect() -> JsValue {
    obj(&[("minDelay", JsValue::from(20)), ("maxDelay", JsValue::from(100)), ("jitter", JsValue::from(0))])
}

#[wasm_bindgen_test]
async fn queued_and_outage_messages_arrive_once_in_order() {
    let id = &format!("order{}", (js_sys::Math::random() * 1e9) as u64);
    let log = Log::default();
    let task = api::create_socket_task(obj(&[
        ("url", s(&url(&format!("/echo?id={id}&record=1")))),
        ("reconnect", fast_reconnect()),
        ("heartbeat", JsValue::FALSE),
    ]));
    listen(&task, &log);
    let mut sent = vec![];
    let send = |task: &JsValue, sent: &mut Vec<String>, log: &Log| {
        let m = format!("m{}", sent.len());
        call(task, "send", &[obj(&[("data", s(&m)), ("success", log.cb("ok")), ("fail", log.cb("fail"))])]);
        sent.push(m);
    };
    for _ in 0..5 {
        send(&task, &mut sent, &log);
    }
    assert_eq!(get(&task, "queueLength").as_f64(), Some(5.0), "queued before open");
    log.wait_ms("open", 1, 3000).await;
    assert_eq!(get(&task, "queueLength").as_f64(), Some(0.0), "flushed on open");
    for _ in 0..5 {
        send(&task, &mut sent, &log);
    }
    log.wait_ms("message", 10, 3000).await;
    // Outage: every connection is dropped abruptly; sends during the outage are queued.
    control("/control/drop-all").await;
    log.wait_ms("reconnecting", 1, 3000).await;
    assert_eq!(get(&task, "readyState").as_f64(), Some(0.0));
    for _ in 0..5 {
        send(&task, &mut sent, &log);
    }
    log.wait_ms("open", 2, 5000).await;
    let opens = log.all("open");
    assert_eq!(get(&opens[1], "isReconnect").as_bool(), Some(true));
    assert_eq!(get(&opens[0], "isReconnect").as_bool(), Some(false));
    log.wait_ms("message", 15, 3000).await;
    assert_eq!(received(id).await, sent, "exactly once, in order");
    assert_eq!(log.count("ok"), 15);
    assert_eq!(log.count("fail"), 0);
    assert_eq!(log.count("close"), 0, "onClose only at the final close");
    assert_eq!(log.count("error"), 0, "transient failures go to onReconnecting only");
    let r = &log.all("reconnecting")[0];
    assert_eq!(get(r, "attempt").as_f64(), Some(1.0));
    assert_eq!(get(r, "code").as_f64(), Some(1006.0));
    call(&task, "close", &[obj(&[])]);
    log.wait_ms("close", 1, 3000).await;
}

#[wasm_bindgen_test]
async fn half_open_peer_is_detected_and_replaced() {
    let log = Log::default();
    let task = api::create_socket_task(obj(&[
        ("url", s(&url("/echo?id=hb"))),
        ("reconnect", fast_reconnect()),
        (
            "heartbeat",
            obj(&[
                ("interval", JsValue::from(150)),
                ("timeout", JsValue::from(150)),
                ("message", s("pong")),
                ("pong", s("pong")),
            ]),
        ),
    ]));
    listen(&task, &log);
    log.wait_ms("open", 1, 3000).await;
    // The echo server answers the ping with the same text, which matches `pong`.
    TimeoutFuture::new(400).await;
    assert!(get(&task, "lastRtt").as_f64().is_some(), "an answered ping measures the RTT");
    assert_eq!(log.count("message"), 0, "pongs are hidden from onMessage");
    control("/control/silence?on=1").await;
    log.wait_ms("reconnecting", 1, 3000).await;
    control("/control/silence?on=0").await;
    log.wait_ms("open", 2, 3000).await;
    call(&task, "send", &[obj(&[("data", s("after"))])]);
    log.wait_ms("message", 1, 3000).await;
    assert_eq!(log.count("close"), 0);
    call(&task, "close", &[obj(&[])]);
    log.wait_ms("close", 1, 3000).await;
    // Once closed, nothing reconnects.
    TimeoutFuture::new(300).await;
    assert_eq!(log.count("open"), 2);
}

#[wasm_bindgen_test]
async fn user_close_never_reconnects() {
    let log = Log::default();
    let task = api::create_socket_task(obj(&[("url", s(&url("/echo"))), ("reconnect", fast_reconnect())]));
    listen(&task, &log);
    log.wait_ms("open", 1, 3000).await;
    call(&task, "close", &[obj(&[("code", JsValue::from(4000)), ("reason", s("bye"))])]);
    log.wait_ms("close", 1, 3000).await;
    TimeoutFuture::new(300).await;
    assert_eq!(log.names(), ["open", "close"]);
    let c = &log.all("close")[0];
    assert_eq!(get(c, "code").as_f64(), Some(4000.0));
}

#[wasm_bindgen_test]
async fn retries_run_out_then_final_close() {
    let dead = dead_port();
    let log = Log::default();
    let task = api::create_socket_task(obj(&[
        ("url", s(&format!("ws://127.0.0.1:{dead}/"))),
        (
            "reconnect",
            obj(&[
                ("minDelay", JsValue::from(10)),
                ("maxDelay", JsValue::from(40)),
                ("maxRetries", JsValue::from(3)),
                ("jitter", JsValue::from(0)),
            ]),
        ),
    ]));
    listen(&task, &log);
    call(&task, "send", &[obj(&[("data", s("never")), ("fail", log.cb("msg-fail"))])]);
    log.wait_ms("close", 1, 5000).await;
    let attempts: Vec<f64> = log.all("reconnecting").iter().map(|r| get(r, "attempt").as_f64().unwrap()).collect();
    assert_eq!(attempts, [1.0, 2.0, 3.0]);
    let delays: Vec<f64> = log.all("reconnecting").iter().map(|r| get(r, "delay").as_f64().unwrap()).collect();
    assert_eq!(delays, [10.0, 20.0, 40.0]);
    let n: Vec<String> = log.names().into_iter().filter(|n| n != "msg-fail").collect();
    assert_eq!(n[n.len() - 2..], ["error", "close"], "{n:?}");
    assert_eq!(log.count("close"), 1);
    assert_eq!(log.count("error"), 1);
    log.wait_ms("msg-fail", 1, 1000).await;
    assert_eq!(
        get(&log.all("msg-fail")[0], "errMsg").as_string().as_deref(),
        Some("sendSocketMessage:fail task closed")
    );
    assert_eq!(get(&task, "readyState").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
async fn should_reconnect_can_decline_and_url_function_is_called_each_attempt() {
    let calls = Rc::new(RefCell::new(0u32));
    let c2 = calls.clone();
    let port = port();
    let url_fn = Closure::<dyn FnMut() -> JsValue>::new(move || {
        *c2.borrow_mut() += 1;
        let n = *c2.borrow();
        // First connection is dropped by the server; the second is closed with 4009.
        JsValue::from_str(&if n == 1 {
            format!("ws://127.0.0.1:{port}/drop?after=50")
        } else {
            format!("ws://127.0.0.1:{port}/close?code=4009&reason=go%20away&after=50")
        })
    })
    .into_js_value();
    let decline = Function::new_with_args("code, reason", "return code !== 4009;");
    let log = Log::default();
    let task = api::create_socket_task(obj(&[
        ("url", url_fn),
        (
            "reconnect",
            obj(&[("minDelay", JsValue::from(10)), ("jitter", JsValue::from(0)), ("shouldReconnect", decline.into())]),
        ),
    ]));
    listen(&task, &log);
    log.wait_ms("close", 1, 5000).await;
    assert_eq!(*calls.borrow(), 2);
    assert_eq!(log.count("open"), 2);
    let c = &log.all("close")[0];
    assert_eq!(get(c, "code").as_f64(), Some(4009.0));
    assert_eq!(get(c, "reason").as_string().as_deref(), Some("go away"));
    assert!(get(&task, "url").as_string().unwrap().contains("/close"), "url reports the current attempt");
}

#[wasm_bindgen_test]
async fn queue_overflow_policies() {
    for (policy, failed) in [("reject", "m3"), ("drop-oldest", "m0")] {
        let log = Log::default();
        let task = api::connect_socket(obj(&[
            ("url", s(&url("/hang"))),
            ("queue", obj(&[("maxMessages", JsValue::from(3)), ("policy", s(policy))])),
        ]));
        for i in 0..4 {
            let m = format!("m{i}");
            call(&task, "send", &[obj(&[("data", s(&m)), ("fail", log.cb(&m))])]);
        }
        log.wait_ms(failed, 1, 1000).await;
        assert_eq!(
            get(&log.all(failed)[0], "errMsg").as_string().as_deref(),
            Some("sendSocketMessage:fail queue full"),
            "{policy}"
        );
        assert_eq!(get(&task, "queueLength").as_f64(), Some(3.0));
        call(&task, "close", &[obj(&[])]);
        TimeoutFuture::new(50).await;
        assert_eq!(log.0.borrow().len(), 4, "the other three fail with task closed");
    }
}

fn wasm_memory_bytes() -> f64 {
    let mem = wasm_bindgen::memory();
    get(&get(&mem, "buffer"), "byteLength").as_f64().unwrap()
}

#[wasm_bindgen_test]
async fn soak_1000_drop_reconnect_cycles() {
    // Listeners count in JS so that the test's own bookkeeping does not use wasm memory.
    let counter =
        Function::new_no_args("return { opens: 0, reconnects: 0, closes: 0 };").call0(&JsValue::NULL).unwrap();
    let bump = |key: &str| -> JsValue {
        Function::new_with_args("c", &format!("return () => {{ c.{key}++; }};"))
            .call1(&JsValue::NULL, &counter)
            .unwrap()
    };
    let (on_open, on_reconnecting, on_close) = (bump("opens"), bump("reconnects"), bump("closes"));
    let count = |key: &str| get(&counter, key).as_f64().unwrap();
    let cycles = |n: f64| {
        let task = api::create_socket_task(obj(&[
            ("url", s(&url("/drop?after=0"))),
            ("heartbeat", JsValue::FALSE),
            (
                "reconnect",
                obj(&[("minDelay", JsValue::from(0)), ("maxDelay", JsValue::from(0)), ("minUptime", JsValue::from(0))]),
            ),
        ]));
        call(&task, "onOpen", std::slice::from_ref(&on_open));
        call(&task, "onReconnecting", std::slice::from_ref(&on_reconnecting));
        call(&task, "onClose", std::slice::from_ref(&on_close));
        let opens0 = count("opens");
        let closes0 = count("closes");
        async move {
            for _ in 0..12_000 {
                if count("opens") - opens0 >= n {
                    break;
                }
                TimeoutFuture::new(10).await;
            }
            assert!(count("opens") - opens0 >= n, "only {} opens", count("opens") - opens0);
            call(&task, "close", &[obj(&[])]);
            for _ in 0..500 {
                if count("closes") > closes0 {
                    break;
                }
                TimeoutFuture::new(10).await;
            }
            assert_eq!(count("closes"), closes0 + 1.0);
        }
    };
    // Warm up allocators and caches, then measure.
    cycles(100.0).await;
    let before = wasm_memory_bytes();
    let reconnects0 = count("reconnects");
    cycles(1000.0).await;
    let after = wasm_memory_bytes();
    web_sys::console::log_1(&s(&format!(
        "soak: 1000 drop/reconnect cycles; wasm memory {before} -> {after} bytes; reconnecting events {}",
        count("reconnects") - reconnects0
    )));
    assert!(count("reconnects") - reconnects0 >= 999.0);
    assert_eq!(after, before, "wasm memory grew");
}
