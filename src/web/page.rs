//! Page-wide state: the registry (the one owner of every live task), the default WebSocket
//! class, once-per-page warnings and the sentinels the edge uses in option snapshots.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use super::driver::Task;
use crate::engine::registry::Registry;

/// Everything shared by the tasks of one page (or worker, or Node process).
pub struct Page {
    /// Live tasks, the limit and the bound task.
    pub reg: Registry<Box<Task>>,
    /// `configure({WebSocket})`; `undefined` means `globalThis.WebSocket`.
    pub ctor: JsValue,
    /// Loaded through the Node entry: constructors take `ws`-style options.
    pub node: bool,
    /// The edge's marker for "reading this option threw".
    pub threw: JsValue,
    /// The edge's marker for "an object, snapshotted in the sub-array slot".
    pub obj: JsValue,
    pub header_warned: bool,
    pub ssl_warned: bool,
    /// The `errMsg` of the last failed call, for the edge to read.
    pub last_err: String,
    /// Numbers the messages of [`super::driver::send`].
    pub seq: u32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            reg: Registry::default(),
            ctor: JsValue::UNDEFINED,
            node: false,
            threw: JsValue::UNDEFINED,
            obj: JsValue::UNDEFINED,
            header_warned: false,
            ssl_warned: false,
            last_err: String::new(),
            seq: 0,
        }
    }
}

thread_local! {
    /// Never borrowed across a call into JavaScript.
    static PAGE: RefCell<Page> = RefCell::new(Page::default());
}

/// Runs `f` on the page state; `None` only if the state is somehow borrowed already.
pub fn with<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    PAGE.with(|p| p.try_borrow_mut().ok().map(|mut p| f(&mut p)))
}

/// Records `msg` as the last failure's `errMsg`.
pub fn set_err(msg: String) {
    with(|p| p.last_err = msg);
}
