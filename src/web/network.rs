//! Network and visibility signals from `globalThis` (so workers and window-less runtimes
//! work): `online`/`offline` events and `document.visibilitychange` where they exist.
//!
//! One set of listeners per page, installed on first need and kept for the page's life. Each
//! change goes to every live task (the core ignores it for tasks without reconnect) and to the
//! `onNetworkStatusChange` / `onNetworkWeakChange` listeners, once per real change.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::{js, page, task};
use crate::core::network::{self as status, Signals, Status, Tracker};

struct Installed {
    _online: Closure<dyn FnMut(JsValue)>,
    _offline: Closure<dyn FnMut(JsValue)>,
    _visibility: Closure<dyn FnMut(JsValue)>,
    _connection: Closure<dyn FnMut(JsValue)>,
}

/// The network listeners of the page.
#[derive(Default)]
struct Listeners {
    tracker: Tracker,
    status: Vec<Function>,
    weak: Vec<Function>,
}

thread_local! {
    static INSTALLED: RefCell<Option<Installed>> = const { RefCell::new(None) };
    static LISTENERS: RefCell<Listeners> = RefCell::new(Listeners::default());
}

/// The current status, read from `globalThis.navigator`.
pub fn current() -> Status {
    let nav = js::get(&js_sys::global(), "navigator");
    let conn = js::get(&nav, "connection");
    let kind = js::get(&conn, "type").as_string();
    let effective = js::get(&conn, "effectiveType").as_string();
    status::status(Signals {
        on_line: js::get(&nav, "onLine").as_bool(),
        kind: kind.as_deref(),
        effective: effective.as_deref(),
    })
}

/// `{isConnected, networkType}`.
pub fn status_object(s: &Status) -> JsValue {
    let o = js_sys::Object::new();
    js::set(&o, "isConnected", &JsValue::from(s.is_connected));
    js::set(&o, "networkType", &JsValue::from_str(s.network_type));
    o.into()
}

fn weak_object(s: &Status) -> JsValue {
    let o = js_sys::Object::new();
    js::set(&o, "weakNet", &JsValue::from(s.weak));
    js::set(&o, "networkType", &JsValue::from_str(s.network_type));
    o.into()
}

/// Which listener list.
#[derive(Clone, Copy)]
pub enum Which {
    /// `onNetworkStatusChange`.
    Status,
    /// `onNetworkWeakChange`.
    Weak,
}

/// Adds a listener (installing the page's signal listeners if needed).
pub fn add(which: Which, f: Function) {
    ensure_installed();
    LISTENERS.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            match which {
                Which::Status => l.status.push(f),
                Which::Weak => l.weak.push(f),
            }
        }
    });
}

/// Removes one listener, or all of them with `None`.
pub fn remove(which: Which, f: Option<&JsValue>) {
    LISTENERS.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            let list = match which {
                Which::Status => &mut l.status,
                Which::Weak => &mut l.weak,
            };
            match f {
                None => list.clear(),
                Some(f) => {
                    if let Some(i) = list.iter().position(|g| JsValue::from(g.clone()) == *f) {
                        list.remove(i);
                    }
                }
            }
        }
    });
}

fn changed() {
    let now = current();
    let (changes, status_fs, weak_fs) = LISTENERS.with(|l| match l.try_borrow_mut() {
        Ok(mut l) => {
            let c = l.tracker.update(now);
            (c, l.status.clone(), l.weak.clone())
        }
        Err(_) => (Default::default(), vec![], vec![]),
    });
    if changes.status {
        let payload = status_object(&now);
        for f in &status_fs {
            if let Err(e) = f.call1(&JsValue::UNDEFINED, &payload) {
                js::report("mpsocket: an onNetworkStatusChange listener threw", &e);
            }
        }
    }
    if changes.weak {
        let payload = weak_object(&now);
        for f in &weak_fs {
            if let Err(e) = f.call1(&JsValue::UNDEFINED, &payload) {
                js::report("mpsocket: an onNetworkWeakChange listener threw", &e);
            }
        }
    }
}

fn listen(target: &JsValue, event: &str, f: &Closure<dyn FnMut(JsValue)>) {
    if let Some(add) = js::get_fn(target, "addEventListener") {
        let cb: &Function = f.as_ref().unchecked_ref();
        if let Err(e) = add.call2(target, &JsValue::from_str(event), cb) {
            js::report("mpsocket: addEventListener failed", &e);
        }
    }
}

/// `navigator.onLine`, or `true` where the runtime gives no signal.
pub fn online() -> bool {
    let nav = js::get(&js_sys::global(), "navigator");
    js::get(&nav, "onLine").as_bool().unwrap_or(true)
}

fn broadcast(online: bool) {
    changed();
    let now = js::now();
    for cell in page::live_tasks() {
        task::apply(&cell, |m, out| m.network(now, online, out));
    }
}

fn visibility_changed() {
    let doc = js::get(&js_sys::global(), "document");
    if js::get(&doc, "visibilityState").as_string().as_deref() == Some("visible") {
        let now = js::now();
        for cell in page::live_tasks() {
            task::apply(&cell, |m, out| m.visible(now, out));
        }
    }
}

/// Installs the page's listeners once.
pub fn ensure_installed() {
    INSTALLED.with(|slot| {
        let Ok(mut slot) = slot.try_borrow_mut() else {
            return;
        };
        if slot.is_some() {
            return;
        }
        let global: JsValue = js_sys::global().into();
        let on = Closure::<dyn FnMut(JsValue)>::new(|_e: JsValue| broadcast(true));
        let off = Closure::<dyn FnMut(JsValue)>::new(|_e: JsValue| broadcast(false));
        let vis = Closure::<dyn FnMut(JsValue)>::new(|_e: JsValue| visibility_changed());
        let conn = Closure::<dyn FnMut(JsValue)>::new(|_e: JsValue| changed());
        listen(&global, "online", &on);
        listen(&global, "offline", &off);
        let doc = js::get(&global, "document");
        if doc.is_object() {
            listen(&doc, "visibilitychange", &vis);
        }
        let connection = js::get(&js::get(&global, "navigator"), "connection");
        if connection.is_object() {
            listen(&connection, "change", &conn);
        }
        LISTENERS.with(|l| {
            if let Ok(mut l) = l.try_borrow_mut() {
                l.tracker.seed(current());
            }
        });
        *slot = Some(Installed { _online: on, _offline: off, _visibility: vis, _connection: conn });
    });
}
