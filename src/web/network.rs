//! Network and visibility signals from `globalThis` (so workers and window-less runtimes
//! work): `online`/`offline` events, `navigator.connection` `change` and
//! `document.visibilitychange`, where they exist.
//!
//! One set of listeners per page (held by the edge), installed on first need and kept for the
//! page's life. Each
//! change goes to every live task (the core ignores it for tasks without reconnect) and, once
//! per real change, to the edge's `onNetworkStatusChange` / `onNetworkWeakChange` listeners.

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::driver::{self, clamp};
use super::{clock, edge, page};
use crate::engine::network::{self as status, Signals, Status, Tracker};

thread_local! {
    static WATCHING: RefCell<bool> = const { RefCell::new(false) };
    static TRACKER: RefCell<Tracker> = RefCell::new(Tracker::default());
}

/// `obj[key]`, or `undefined` when `obj` is not an object or the read throws.
fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The current status, read from `globalThis.navigator`.
pub fn current() -> Status {
    let nav = get(&js_sys::global(), "navigator");
    let conn = get(&nav, "connection");
    let kind = get(&conn, "type").as_string();
    let effective = get(&conn, "effectiveType").as_string();
    status::status(Signals {
        on_line: get(&nav, "onLine").as_bool(),
        kind: kind.as_deref(),
        effective: effective.as_deref(),
    })
}

/// `navigator.onLine`, or `true` where the runtime gives no signal.
pub fn online() -> bool {
    get(&get(&js_sys::global(), "navigator"), "onLine").as_bool().unwrap_or(true)
}

/// The network status may have changed: the edge's status listeners hear real changes.
pub fn changed() {
    let now = current();
    let c = TRACKER.with(|t| t.try_borrow_mut().ok().map(|mut t| t.update(now))).unwrap_or_default();
    if c.status || c.weak {
        if let Some(e) = edge::get() {
            e.net(now.is_connected, now.network_type, now.weak, c.status, c.weak);
        }
    }
}

fn each_task(f: impl Fn(u32, &JsValue, &edge::Edge)) {
    let Some(e) = edge::get() else { return };
    let tasks: Vec<(u32, JsValue)> =
        page::with(|p| p.reg.iter().map(|(id, t)| (id, t.js.clone())).collect::<Vec<_>>()).unwrap_or_default();
    for (id, js) in &tasks {
        f(*id, js, &e);
    }
}

/// The runtime went online or offline.
pub fn broadcast(online: bool) {
    changed();
    let now = clock::now();
    each_task(|id, js, e| {
        let buffered = clamp(e.buffered(js));
        driver::apply(id, |t, out| t.machine.network(now, online, buffered, out));
    });
}

/// `document.visibilityState` changed.
pub fn visibility_changed() {
    let doc = get(&js_sys::global(), "document");
    if get(&doc, "visibilityState").as_string().as_deref() == Some("visible") {
        let now = clock::now();
        each_task(|id, _, _| {
            driver::apply(id, |t, out| t.machine.visible(now, out));
        });
    }
}

/// Starts listening to the runtime's signals, once per page (the edge owns the listeners).
pub fn ensure_installed() {
    let first = WATCHING.with(|w| w.try_borrow_mut().map(|mut w| !std::mem::replace(&mut *w, true)).unwrap_or(false));
    if !first {
        return;
    }
    TRACKER.with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            t.seed(current());
        }
    });
    if let Some(e) = edge::get() {
        e.watch();
    }
}
