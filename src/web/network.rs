//! Network and visibility signals from `globalThis` (so workers and window-less runtimes
//! work): `online`/`offline` events and `document.visibilitychange` where they exist.
//!
//! One set of listeners per page, installed on first need and kept for the page's life; it
//! fans each change out to every live task (the core ignores it for tasks without
//! reconnect).

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::{js, page, task};

struct Installed {
    _online: Closure<dyn FnMut(JsValue)>,
    _offline: Closure<dyn FnMut(JsValue)>,
    _visibility: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    static INSTALLED: RefCell<Option<Installed>> = const { RefCell::new(None) };
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
        listen(&global, "online", &on);
        listen(&global, "offline", &off);
        let doc = js::get(&global, "document");
        if doc.is_object() {
            listen(&doc, "visibilitychange", &vis);
        }
        *slot = Some(Installed {
            _online: on,
            _offline: off,
            _visibility: vis,
        });
    });
}
