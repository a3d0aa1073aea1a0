//! The JavaScript surface: `connectSocket`, `createSocketTask`, the legacy global functions
//! and `configure`. Every function here returns normally whatever it is given; failures
//! travel through `fail`/`complete`, a rejected Promise, or `console.error` when nobody
//! listens.

mod install;
mod netstatus;
mod options;
mod task;
mod types;

pub use install::install;
pub use netstatus::*;
pub use task::SocketTask;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::error::Error;
use crate::core::machine::Machine;
use crate::web::reply::Reply;
use crate::web::{js, network, page, task as driver};

/// Creates a task, settling the options' callbacks. Returns the task (`undefined` when the
/// options are invalid) and the failure's `errMsg`, if any.
pub(crate) fn connect(options: JsValue, resilient: bool) -> (JsValue, Option<String>) {
    let reply = Reply::from_options(&options);
    let parsed = match options::parse(&options, resilient) {
        Ok(p) => p,
        Err(e) => {
            let msg = e.err_msg();
            reply.fail(&msg);
            return (JsValue::UNDEFINED, Some(msg));
        }
    };
    warn_once(&options);
    let Some(adm) = page::with(|p| p.registry.admit()) else {
        let msg = String::from("connectSocket:fail internal state busy");
        reply.fail(&msg);
        return (JsValue::UNDEFINED, Some(msg));
    };
    let mut machine = Machine::new(parsed.config);
    if !adm.admitted {
        machine.refuse();
    }
    let cell = driver::new_task(adm.id, machine, parsed.endpoint, parsed.hooks, adm.bound, parsed.debug);
    if !adm.admitted {
        let max = page::with(|p| p.registry.max()).unwrap_or(5);
        let msg = Error::TooManyTasks(max).err_msg();
        reply.fail(&msg);
        return (SocketTask::new(&cell).into(), Some(msg));
    }
    page::with(|p| p.tasks.push((adm.id, cell.clone())));
    if reply.is_some() {
        let res = js::err_obj("connectSocket:ok");
        js::set(&res, "socketTaskId", &JsValue::from(adm.id));
        reply.ok(&res);
    }
    if cell.try_borrow().is_ok_and(|t| t.machine.config().reconnect.is_some()) {
        network::ensure_installed();
    }
    let on = network::online();
    driver::apply(&cell, |m, out| m.start(on, out));
    (SocketTask::new(&cell).into(), None)
}

fn warn_once(options: &JsValue) {
    let header = js::get(options, "header");
    let has_header = header.is_object() && js_sys::Reflect::own_keys(&header).is_ok_and(|k| k.length() > 0);
    let no_ssl_verify = js::get(options, "sslVerify").as_bool() == Some(false);
    page::with(|p| {
        if has_header && !p.header_warned {
            p.header_warned = true;
            js::warn("mpsocket: browsers cannot send custom WebSocket handshake headers; `header` is ignored");
        }
        if no_ssl_verify && !p.ssl_warned {
            p.ssl_warned = true;
            js::warn("mpsocket: browsers always verify TLS certificates; `sslVerify: false` cannot be honoured");
        }
    });
}

/// Opens a WebSocket and returns its `SocketTask` synchronously.
///
/// WeChat semantics by default; `queue`, `heartbeat` and `reconnect` are opt-in. Returns
/// `undefined` after calling `fail` with the contract's `errMsg` when the options are
/// invalid. Over the connection limit it returns a CLOSED task and calls `fail` with
/// `connectSocket:fail fail reach max websocket connect count N`.
#[wasm_bindgen(js_name = connectSocket, unchecked_return_type = "SocketTask | undefined")]
pub fn connect_socket(#[wasm_bindgen(unchecked_param_type = "ConnectSocketOption")] options: JsValue) -> JsValue {
    connect(options, false).0
}

/// `connectSocket` with `queue`, `heartbeat` and `reconnect` on at their defaults (each can
/// be turned off with `false`). Fails exactly like `connectSocket`.
#[wasm_bindgen(js_name = createSocketTask, unchecked_return_type = "SocketTask | undefined")]
pub fn create_socket_task(#[wasm_bindgen(unchecked_param_type = "ConnectSocketOption")] options: JsValue) -> JsValue {
    connect(options, true).0
}

/// Sends on the bound task. Returns a Promise when no callback is given.
///
/// Fails with `sendSocketMessage:fail WebSocket is not connected` when there is no bound
/// task, or it is not OPEN and has no queue.
#[wasm_bindgen(js_name = sendSocketMessage, unchecked_return_type = "Promise<GeneralCallbackResult> | undefined")]
pub fn send_socket_message(
    #[wasm_bindgen(unchecked_param_type = "SendSocketMessageOption")] options: JsValue,
) -> JsValue {
    let (reply, promise) = Reply::or_promise(&options);
    match (page::bound_task(), task::send_data(&options)) {
        (None, _) => reply.fail(&Error::NotConnected("sendSocketMessage").err_msg()),
        (Some(_), Err(e)) => reply.fail(&e.err_msg()),
        (Some(cell), Ok(data)) => task::send_on(&cell, data, reply, true),
    }
    promise
}

/// Closes the bound task and every other live task. Returns a Promise when no callback is
/// given.
///
/// Fails with `closeSocket:fail WebSocket is not connected` when there is no bound task,
/// and with `closeSocket:fail …` for an invalid code or reason (nothing is closed then).
#[wasm_bindgen(js_name = closeSocket, unchecked_return_type = "Promise<GeneralCallbackResult> | undefined")]
pub fn close_socket(#[wasm_bindgen(unchecked_optional_param_type = "CloseSocketOption")] options: JsValue) -> JsValue {
    let (reply, promise) = Reply::or_promise(&options);
    if let Err(e) = task::parse_close(&options) {
        reply.fail(&e.err_msg());
        return promise;
    }
    let Some(bound) = page::bound_task() else {
        reply.fail(&Error::NotConnected("closeSocket").err_msg());
        return promise;
    };
    for cell in page::live_tasks() {
        if !std::rc::Rc::ptr_eq(&cell, &bound) {
            if let Ok(req) = task::parse_close(&options) {
                driver::apply(&cell, |m, out| m.close(req, out));
            }
        }
    }
    task::close_on(&bound, &options, reply);
    promise
}

fn set_legacy(listener: JsValue, name: &str, slot: fn(&mut page::Legacy) -> &mut Option<Function>) {
    if let Some(f) = js::function_or_report(listener, name) {
        page::with(|p| *slot(&mut p.legacy) = Some(f));
    }
}

/// Sets the one open listener of the bound task (replacing the previous one).
#[wasm_bindgen(js_name = onSocketOpen)]
pub fn on_socket_open(#[wasm_bindgen(unchecked_param_type = "(res: SocketOpenResult) => void")] listener: JsValue) {
    set_legacy(listener, "onSocketOpen", |l| &mut l.open);
}

/// Sets the one message listener of the bound task (replacing the previous one).
#[wasm_bindgen(js_name = onSocketMessage)]
pub fn on_socket_message(
    #[wasm_bindgen(unchecked_param_type = "(res: SocketMessageResult) => void")] listener: JsValue,
) {
    set_legacy(listener, "onSocketMessage", |l| &mut l.message);
}

/// Sets the one error listener of the bound task (replacing the previous one).
#[wasm_bindgen(js_name = onSocketError)]
pub fn on_socket_error(
    #[wasm_bindgen(unchecked_param_type = "(res: GeneralCallbackResult) => void")] listener: JsValue,
) {
    set_legacy(listener, "onSocketError", |l| &mut l.error);
}

/// Sets the one close listener of the bound task (replacing the previous one).
#[wasm_bindgen(js_name = onSocketClose)]
pub fn on_socket_close(#[wasm_bindgen(unchecked_param_type = "(res: SocketCloseResult) => void")] listener: JsValue) {
    set_legacy(listener, "onSocketClose", |l| &mut l.close);
}

/// Page-wide settings: `{ maxConnections }` (default 5). Unknown keys are ignored; a
/// non-numeric `maxConnections` is reported with `console.error` and ignored.
#[wasm_bindgen]
pub fn configure(#[wasm_bindgen(unchecked_param_type = "ConfigureOption")] options: JsValue) {
    let max = js::get(&options, "maxConnections");
    if max.is_undefined() {
        return;
    }
    match max.as_f64() {
        Some(n) if n >= 0.0 => {
            let n = if n.is_finite() { n.min(u32::MAX as f64) as u32 } else { u32::MAX };
            page::with(|p| p.registry.set_max(n));
        }
        _ => js::error("mpsocket: configure({maxConnections}) expects a non-negative number; ignored"),
    }
}
