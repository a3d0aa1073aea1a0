//! `install(target, {platform, overwrite})`: the drop-in shim that puts the socket and
//! network functions on `wx`, `qq`, `tt`, `swan`, `uni`, `my` (Alipay's own shape) or `taro`
//! (Promise-returning `connectSocket`), plus the labelled `wx.rtc` alias used by the article
//! this project grew from (contract A5).
//!
//! The functions are Rust closures made once per page and shared by every install.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::{
    close_socket, connect, get_network_type, off_network_status_change, off_network_weak_change,
    on_network_status_change, on_network_weak_change, on_socket_close, on_socket_error, on_socket_message,
    on_socket_open, send_socket_message,
};
use crate::core::base64;
use crate::web::{js, page};

/// A platform's flavour of the API.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Platform {
    /// `wx`, `qq`, `swan`, `uni`: WeChat's shape.
    Wechat,
    /// `tt`: WeChat's shape without the legacy global functions.
    Toutiao,
    /// `my`: Alipay's errors, `multiple`, base64 legacy binary, `offSocket*`.
    Alipay,
    /// `taro`: `connectSocket` returns a Promise of the task.
    Taro,
}

fn platform(name: &str) -> Option<Platform> {
    Some(match name {
        "wx" | "qq" | "swan" | "uni" => Platform::Wechat,
        "tt" => Platform::Toutiao,
        "my" => Platform::Alipay,
        "taro" => Platform::Taro,
        _ => return None,
    })
}

type Fns = Vec<(&'static str, JsValue)>;

thread_local! {
    static CACHE: RefCell<Vec<(u8, Fns)>> = const { RefCell::new(Vec::new()) };
}

fn f1(f: fn(JsValue) -> JsValue) -> JsValue {
    Closure::<dyn Fn(JsValue) -> JsValue>::new(f).into_js_value()
}

fn v1(f: fn(JsValue)) -> JsValue {
    Closure::<dyn Fn(JsValue)>::new(f).into_js_value()
}

fn wechat_fns(legacy: bool) -> Fns {
    let mut v: Fns = vec![
        ("connectSocket", f1(|o| connect(o, false).0)),
        ("createSocketTask", f1(|o| connect(o, true).0)),
        ("getNetworkType", f1(get_network_type)),
        ("onNetworkStatusChange", v1(on_network_status_change)),
        ("offNetworkStatusChange", v1(off_network_status_change)),
        ("onNetworkWeakChange", v1(on_network_weak_change)),
        ("offNetworkWeakChange", v1(off_network_weak_change)),
    ];
    if legacy {
        v.extend([
            ("sendSocketMessage", f1(send_socket_message)),
            ("closeSocket", f1(close_socket)),
            ("onSocketOpen", v1(on_socket_open)),
            ("onSocketMessage", v1(on_socket_message)),
            ("onSocketError", v1(on_socket_error)),
            ("onSocketClose", v1(on_socket_close)),
        ]);
    }
    v
}

/// `needle` occurs in `hay` (a plain byte scan: `str::contains` drags in ~4 KB of searcher
/// and formatting code).
fn has(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Alipay's numeric error code for one of our `errMsg`s (best effort; see the README).
fn alipay_code(msg: &str) -> u32 {
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

/// `{errMsg}` → `{error, errorMessage}` for failures; successes pass through.
fn alipay_result(res: &JsValue) -> JsValue {
    let msg = js::get(res, "errMsg").as_string().unwrap_or_default();
    if !has(&msg, ":fail") {
        return res.clone();
    }
    let o = Object::new();
    js::set(&o, "error", &JsValue::from(alipay_code(&msg)));
    js::set(&o, "errorMessage", &JsValue::from_str(&msg));
    o.into()
}

/// A copy of `opts` whose `fail`/`complete` get Alipay-shaped failures.
fn alipay_options(opts: &JsValue) -> JsValue {
    if !opts.is_object() {
        return opts.clone();
    }
    let copy = Object::assign(&Object::new(), opts.unchecked_ref());
    for key in ["fail", "complete"] {
        if let Some(user) = js::get_fn(opts, key) {
            let wrapped = Closure::once_into_js(move |res: JsValue| {
                if let Err(e) = user.call1(&JsValue::UNDEFINED, &alipay_result(&res)) {
                    js::report("mpsocket: a fail/complete callback threw", &e);
                }
            });
            js::set(&copy, key, &wrapped);
        }
    }
    copy.into()
}

fn alipay_send(opts: JsValue) -> JsValue {
    let copy = alipay_options(&opts);
    if js::get(&opts, "isBuffer").is_truthy() {
        let data = js::get(&opts, "data").as_string().and_then(|s| base64::decode(&s));
        let value = match data {
            Some(bytes) => js_sys::Uint8Array::from(&bytes[..]).buffer().into(),
            // Leave it to sendSocketMessage to reject.
            None => JsValue::NULL,
        };
        js::set(&copy, "data", &value);
    }
    send_socket_message(copy)
}

fn alipay_on_message(listener: JsValue) {
    let Some(user) = listener.dyn_ref::<Function>().cloned() else {
        return on_socket_message(listener);
    };
    let wrapped = Closure::<dyn Fn(JsValue)>::new(move |res: JsValue| {
        let data = js::get(&res, "data");
        let o = Object::new();
        if data.is_string() {
            js::set(&o, "data", &data);
            js::set(&o, "isBuffer", &JsValue::FALSE);
        } else {
            let bytes = js_sys::Uint8Array::new(&data).to_vec();
            js::set(&o, "data", &JsValue::from_str(&base64::encode(&bytes)));
            js::set(&o, "isBuffer", &JsValue::TRUE);
        }
        if let Err(e) = user.call1(&JsValue::UNDEFINED, &o) {
            js::report("mpsocket: an onSocketMessage listener threw", &e);
        }
    })
    .into_js_value();
    on_socket_message(wrapped);
}

fn clear_slot(which: u8) {
    page::with(|p| {
        let slot = match which {
            0 => &mut p.legacy.open,
            1 => &mut p.legacy.message,
            2 => &mut p.legacy.error,
            _ => &mut p.legacy.close,
        };
        *slot = None;
    });
}

fn alipay_fns() -> Fns {
    vec![
        (
            "connectSocket",
            f1(|o| {
                let multiple = js::get(&o, "multiple").is_truthy();
                let task = connect(alipay_options(&o), false).0;
                if multiple {
                    task
                } else {
                    JsValue::UNDEFINED
                }
            }),
        ),
        ("createSocketTask", f1(|o| connect(alipay_options(&o), true).0)),
        ("sendSocketMessage", f1(alipay_send)),
        ("closeSocket", f1(|o| close_socket(alipay_options(&o)))),
        ("onSocketOpen", v1(on_socket_open)),
        ("onSocketMessage", v1(alipay_on_message)),
        ("onSocketError", v1(on_socket_error)),
        ("onSocketClose", v1(on_socket_close)),
        ("offSocketOpen", v1(|_| clear_slot(0))),
        ("offSocketMessage", v1(|_| clear_slot(1))),
        ("offSocketError", v1(|_| clear_slot(2))),
        ("offSocketClose", v1(|_| clear_slot(3))),
        ("getNetworkType", f1(|o| get_network_type(alipay_options(&o)))),
        ("onNetworkStatusChange", v1(on_network_status_change)),
        ("offNetworkStatusChange", v1(off_network_status_change)),
    ]
}

fn taro_connect(o: JsValue) -> JsValue {
    let (task, err) = connect(o, false);
    match err {
        None => Promise::resolve(&task).into(),
        Some(msg) => Promise::reject(&js::err_obj(&msg)).into(),
    }
}

fn fns(p: Platform) -> Fns {
    let key = p as u8;
    if let Some(hit) = CACHE.with(|c| c.borrow().iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone())) {
        return hit;
    }
    let made = match p {
        Platform::Wechat => wechat_fns(true),
        Platform::Toutiao => wechat_fns(false),
        Platform::Alipay => alipay_fns(),
        Platform::Taro => {
            let mut v = wechat_fns(true);
            if let Some(slot) = v.iter_mut().find(|(n, _)| *n == "connectSocket") {
                slot.1 = f1(taro_connect);
            }
            v
        }
    };
    CACHE.with(|c| c.borrow_mut().push((key, made.clone())));
    made
}

fn put(ns: &JsValue, name: &str, value: &JsValue, overwrite: bool) -> bool {
    let key = JsValue::from_str(name);
    if !overwrite && Reflect::has(ns, &key).unwrap_or(true) {
        return false;
    }
    Reflect::set(ns, &key, value).unwrap_or(false)
}

/// Installs the API on `target[platform]` (default `globalThis.wx`) and returns that object.
///
/// The object is created if missing; members it already has are kept unless
/// `overwrite: true`. `wx` also gets the labelled `wx.rtc` alias (`createSocketTask`,
/// `sendSocketMessage`, `onSocketMessage`). Returns `undefined` after a `console.error`
/// for an unknown platform or a target that is not an object.
#[wasm_bindgen(unchecked_return_type = "Record<string, unknown> | undefined")]
pub fn install(
    #[wasm_bindgen(unchecked_optional_param_type = "object | null")] target: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "InstallOption")] options: JsValue,
) -> JsValue {
    let target: JsValue = if target.is_undefined() || target.is_null() { js_sys::global().into() } else { target };
    if !target.is_object() && !target.is_function() {
        js::error("mpsocket: install(target) needs an object (or nothing, for globalThis)");
        return JsValue::UNDEFINED;
    }
    let name = js::get(&options, "platform").as_string().unwrap_or_else(|| "wx".into());
    let Some(p) = platform(&name) else {
        js::error("mpsocket: install: platform must be one of wx, qq, tt, swan, uni, my, taro");
        return JsValue::UNDEFINED;
    };
    let overwrite = js::get(&options, "overwrite").is_truthy();
    let mut ns = js::get(&target, &name);
    if !ns.is_object() {
        ns = Object::new().into();
        if !Reflect::set(&target, &JsValue::from_str(&name), &ns).unwrap_or(false) {
            js::error("mpsocket: install: could not create the platform object on the target");
            return JsValue::UNDEFINED;
        }
    }
    let fns = fns(p);
    for (n, f) in &fns {
        put(&ns, n, f, overwrite);
    }
    if name == "wx" {
        let mut rtc = js::get(&ns, "rtc");
        if !rtc.is_object() {
            rtc = Object::new().into();
            put(&ns, "rtc", &rtc, true);
        }
        for alias in ["createSocketTask", "sendSocketMessage", "onSocketMessage"] {
            if let Some((_, f)) = fns.iter().find(|(n, _)| *n == alias) {
                put(&rtc, alias, f, overwrite);
            }
        }
        put(
            &rtc,
            "__mpsocketAlias",
            &JsValue::from_str("wx.rtc is not a WeChat API: it is mpsocket's alias for the article's code"),
            overwrite,
        );
    }
    ns
}
