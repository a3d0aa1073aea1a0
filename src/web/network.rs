//! Network and visibility signals from `globalThis` (so workers and window-less runtimes
//! work): `online`/`offline` events, `navigator.connection` `change` and
//! `document.visibilitychange`, where they exist.
//!
//! One set of listeners per page (held by the edge), installed on first need and kept for the
//! page's life. Each change goes to every live task (the core ignores it for tasks without reconnect) and, once
//! per real change, to the edge's `onNetworkStatusChange` / `onNetworkWeakChange` listeners.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use super::driver::{self, clamp};
use super::{clock, edge, page};
use crate::engine::network::{self as status, Signals, Status, Tracker};

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static TRACKER: RefCell<Tracker> = RefCell::new(Tracker::default());
}

/// The current status, from the signals the edge reads off `globalThis.navigator`.
pub fn current() -> Status {
    let Some(e) = edge::get() else {
        return status::status(Signals::default());
    };
    let kind = e.conn_type();
    let effective = e.effective_type();
    status::status(Signals { on_line: e.on_line(), kind: kind.as_deref(), effective: effective.as_deref() })
}

/// `navigator.onLine`, or `true` where the runtime gives no signal.
pub fn online() -> bool {
    edge::get().and_then(|e| e.on_line()).unwrap_or(true)
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
    if edge::get().is_some_and(|e| e.visible()) {
        let now = clock::now();
        each_task(|id, _, _| {
            driver::apply(id, |t, out| t.machine.visible(now, out));
        });
    }
}

/// Starts listening to the runtime's signals, once per page (the edge owns the listeners).
pub fn ensure_installed() {
    if WATCHING.with(|w| w.replace(true)) {
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
