//! The `SocketTask` class.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use crate::core::close::validate_close;
use crate::core::error::Error;
use crate::web::js;
use crate::web::reply::Reply;
use crate::web::task::{self, Kind, Outgoing, TaskCell};

/// A WebSocket connection with the mini-program `SocketTask` interface.
///
/// Created by `connectSocket` / `createSocketTask`. Listeners stack (`onMessage` adds, it
/// does not replace) and are dropped when the task finally closes.
///
/// The handle holds the task weakly: the page keeps a live task alive, and a closed task's
/// state is freed at once rather than when the JS object is collected.
#[wasm_bindgen]
pub struct SocketTask {
    cell: Weak<TaskCell>,
    id: u32,
    queued: bool,
    url: Rc<RefCell<JsValue>>,
}

impl SocketTask {
    pub(crate) fn new(cell: &Rc<TaskCell>) -> SocketTask {
        let (id, queued, url) = match cell.try_borrow() {
            Ok(t) => (t.id, t.machine.config().queue.is_some(), t.current_url.clone()),
            Err(_) => (0, false, Rc::new(RefCell::new(JsValue::NULL))),
        };
        SocketTask { cell: Rc::downgrade(cell), id, queued, url }
    }

    fn live(&self) -> Option<Rc<TaskCell>> {
        self.cell.upgrade()
    }
}

impl std::fmt::Debug for SocketTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SocketTask")
    }
}

/// Reads `data` from send options and checks its type. Strings and ArrayBuffers pass
/// through untouched; a view is copied to a fresh ArrayBuffer holding exactly its bytes.
///
/// # Errors
/// [`Error::BadData`] for anything else.
pub(crate) fn send_data(opts: &JsValue) -> Result<JsValue, Error> {
    let data = js::field(opts, js::Opts::data);
    if data.is_string() {
        return Ok(data);
    }
    if !data.is_object() {
        return Err(Error::BadData);
    }
    if js_sys::ArrayBuffer::is_view(&data) {
        let buffer = js::get(&data, "buffer");
        let offset = js::get(&data, "byteOffset").as_f64().unwrap_or(0.0);
        let len = js::get(&data, "byteLength").as_f64().unwrap_or(0.0);
        if !(buffer.is_object() && offset >= 0.0 && len >= 0.0) {
            return Err(Error::BadData);
        }
        let src = js_sys::Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, len as u32);
        let copy = js_sys::Uint8Array::new_with_length(len as u32);
        copy.set(&src, 0);
        return Ok(copy.buffer().into());
    }
    if js::has_tag(&data, "ArrayBuffer") {
        return Ok(data);
    }
    if js::has_tag(&data, "SharedArrayBuffer") {
        return Ok(js_sys::Uint8Array::new(&data).slice(0, byte_len(&data)).buffer().into());
    }
    Err(Error::BadData)
}

fn byte_len(v: &JsValue) -> u32 {
    js::get(v, "byteLength").as_f64().map_or(0, |n| n as u32)
}

pub(crate) fn send_on(cell: &TaskCell, data: JsValue, reply: Reply, legacy: bool) {
    let m = Outgoing { data, reply, legacy };
    task::apply(cell, |machine, out| machine.send(m, out));
}

/// Validates `{code, reason}` and closes `cell`, settling `reply`.
pub(crate) fn close_on(cell: &TaskCell, opts: &JsValue, reply: Reply) {
    let req = match parse_close(opts) {
        Ok(r) => r,
        Err(e) => return reply.fail(&e.err_msg()),
    };
    match task::apply(cell, |m, out| m.close(req, out)) {
        Some(Ok(())) => reply.ok_msg("closeSocket:ok"),
        Some(Err(e)) => reply.fail(&e.err_msg()),
        None => reply.fail(&Error::NotConnected("closeSocket").err_msg()),
    }
}

/// Reads and validates `{code, reason}`.
///
/// # Errors
/// Parameter type errors, or [`Error::Close`] for a code or reason the browser refuses.
pub(crate) fn parse_close(opts: &JsValue) -> Result<crate::core::close::CloseRequest, Error> {
    let code = js::get(opts, "code");
    let code = if code.is_undefined() || code.is_null() {
        None
    } else {
        match code.as_f64() {
            Some(c) => Some(c),
            None => {
                return Err(Error::ParamType {
                    api: "closeSocket",
                    key: "code",
                    expected: "Number",
                    actual: js::type_name(&code),
                })
            }
        }
    };
    let reason = js::get(opts, "reason");
    let reason = if reason.is_undefined() || reason.is_null() {
        None
    } else {
        match reason.as_string() {
            Some(r) => Some(r),
            None => {
                return Err(Error::ParamType {
                    api: "closeSocket",
                    key: "reason",
                    expected: "String",
                    actual: js::type_name(&reason),
                })
            }
        }
    };
    validate_close(code, reason).map_err(Error::Close)
}

fn listen(cell: &Weak<TaskCell>, kind: Kind, f: JsValue, name: &str) {
    if let (Some(f), Some(cell)) = (js::function_or_report(f, name), cell.upgrade()) {
        task::add_listener(&cell, kind, f);
    }
}

fn unlisten(cell: &Weak<TaskCell>, kind: Kind, f: JsValue) {
    let f = if f.is_undefined() || f.is_null() { None } else { Some(&f) };
    if let Some(cell) = cell.upgrade() {
        task::remove_listener(&cell, kind, f);
    }
}

#[wasm_bindgen]
impl SocketTask {
    /// Sends `data` (a string, an ArrayBuffer or an ArrayBufferView).
    ///
    /// Fails through `fail` with `sendSocketMessage:fail data must be string or ArrayBuffer`
    /// for other data, `SocketTask.send:fail SocketTask.readyState is not OPEN` when not open
    /// and without a queue, and the queue's `queue full` / `task closed` messages.
    pub fn send(&self, #[wasm_bindgen(unchecked_param_type = "SendSocketMessageOption")] options: JsValue) {
        let reply = Reply::from_options(&options);
        match send_data(&options) {
            Ok(data) => match self.live() {
                Some(cell) => send_on(&cell, data, reply, false),
                None => reply.fail(&if self.queued { Error::TaskClosed } else { Error::TaskNotOpen }.err_msg()),
            },
            Err(e) => reply.fail(&e.err_msg()),
        }
    }

    /// Closes the task (`code` 1000 or 3000–4999, `reason` at most 123 UTF-8 bytes).
    ///
    /// Fails with `closeSocket:fail …` for an invalid code or reason, and the socket stays
    /// open; fails with `closeSocket:fail WebSocket is not connected` when already closed.
    pub fn close(&self, #[wasm_bindgen(unchecked_optional_param_type = "CloseSocketOption")] options: JsValue) {
        let reply = Reply::from_options(&options);
        match self.live() {
            Some(cell) => close_on(&cell, &options, reply),
            None => match parse_close(&options) {
                Err(e) => reply.fail(&e.err_msg()),
                Ok(_) => reply.fail(&Error::NotConnected("closeSocket").err_msg()),
            },
        }
    }

    /// Adds an open listener.
    #[wasm_bindgen(js_name = onOpen)]
    pub fn on_open(&self, #[wasm_bindgen(unchecked_param_type = "(res: SocketOpenResult) => void")] listener: JsValue) {
        listen(&self.cell, Kind::Open, listener, "SocketTask.onOpen");
    }
    /// Adds a message listener.
    #[wasm_bindgen(js_name = onMessage)]
    pub fn on_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(res: SocketMessageResult) => void")] listener: JsValue,
    ) {
        listen(&self.cell, Kind::Message, listener, "SocketTask.onMessage");
    }
    /// Adds an error listener.
    #[wasm_bindgen(js_name = onError)]
    pub fn on_error(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(res: GeneralCallbackResult) => void")] listener: JsValue,
    ) {
        listen(&self.cell, Kind::Error, listener, "SocketTask.onError");
    }
    /// Adds a close listener.
    #[wasm_bindgen(js_name = onClose)]
    pub fn on_close(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(res: SocketCloseResult) => void")] listener: JsValue,
    ) {
        listen(&self.cell, Kind::Close, listener, "SocketTask.onClose");
    }
    /// Adds a listener called before each reconnect wait.
    #[wasm_bindgen(js_name = onReconnecting)]
    pub fn on_reconnecting(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(res: SocketReconnectingResult) => void")] listener: JsValue,
    ) {
        listen(&self.cell, Kind::Reconnecting, listener, "SocketTask.onReconnecting");
    }
    /// Removes an open listener, or all of them without an argument.
    #[wasm_bindgen(js_name = offOpen)]
    pub fn off_open(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(res: SocketOpenResult) => void")] listener: JsValue,
    ) {
        unlisten(&self.cell, Kind::Open, listener);
    }
    /// Removes a message listener, or all of them without an argument.
    #[wasm_bindgen(js_name = offMessage)]
    pub fn off_message(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(res: SocketMessageResult) => void")] listener: JsValue,
    ) {
        unlisten(&self.cell, Kind::Message, listener);
    }
    /// Removes an error listener, or all of them without an argument.
    #[wasm_bindgen(js_name = offError)]
    pub fn off_error(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(res: GeneralCallbackResult) => void")] listener: JsValue,
    ) {
        unlisten(&self.cell, Kind::Error, listener);
    }
    /// Removes a close listener, or all of them without an argument.
    #[wasm_bindgen(js_name = offClose)]
    pub fn off_close(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(res: SocketCloseResult) => void")] listener: JsValue,
    ) {
        unlisten(&self.cell, Kind::Close, listener);
    }
    /// Removes a reconnecting listener, or all of them without an argument.
    #[wasm_bindgen(js_name = offReconnecting)]
    pub fn off_reconnecting(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(res: SocketReconnectingResult) => void")] listener: JsValue,
    ) {
        unlisten(&self.cell, Kind::Reconnecting, listener);
    }

    /// 0 CONNECTING (also while waiting to reconnect), 1 OPEN, 2 CLOSING, 3 CLOSED.
    #[wasm_bindgen(getter, js_name = readyState)]
    pub fn ready_state(&self) -> u8 {
        self.live().and_then(|c| c.try_borrow().ok().map(|t| t.machine.phase().ready_state())).unwrap_or(3)
    }
    /// The constant 0.
    #[wasm_bindgen(getter, js_name = CONNECTING)]
    pub fn connecting(&self) -> u8 {
        0
    }
    /// The constant 1.
    #[wasm_bindgen(getter, js_name = OPEN)]
    pub fn open(&self) -> u8 {
        1
    }
    /// The constant 2.
    #[wasm_bindgen(getter, js_name = CLOSING)]
    pub fn closing(&self) -> u8 {
        2
    }
    /// The constant 3.
    #[wasm_bindgen(getter, js_name = CLOSED)]
    pub fn closed(&self) -> u8 {
        3
    }
    /// Messages waiting in the send queue.
    #[wasm_bindgen(getter, js_name = queueLength)]
    pub fn queue_length(&self) -> u32 {
        self.live().and_then(|c| c.try_borrow().ok().map(|t| t.machine.queue_len() as u32)).unwrap_or(0)
    }
    /// The current reconnect attempt (0 when stably connected).
    #[wasm_bindgen(getter, js_name = reconnectAttempt)]
    pub fn reconnect_attempt(&self) -> u32 {
        self.live().and_then(|c| c.try_borrow().ok().map(|t| t.machine.reconnect_attempt(js::now()))).unwrap_or(0)
    }
    /// Round-trip time in ms of the last answered heartbeat, or `undefined` before the first.
    #[wasm_bindgen(getter, js_name = lastRtt)]
    pub fn last_rtt(&self) -> Option<f64> {
        self.live().and_then(|c| c.try_borrow().ok().and_then(|t| t.machine.last_rtt())).map(|r| r as f64)
    }
    /// The URL of the current (or last) connection; `null` before the first attempt of a
    /// function `url`.
    #[wasm_bindgen(getter, unchecked_return_type = "string | null")]
    pub fn url(&self) -> JsValue {
        self.url.try_borrow().map_or(JsValue::NULL, |u| u.clone())
    }
    /// The id reported to `success` as `socketTaskId`.
    #[wasm_bindgen(getter, js_name = socketTaskId)]
    pub fn socket_task_id(&self) -> u32 {
        self.id
    }
    /// The current underlying WebSocket, or `null` while there is none.
    #[wasm_bindgen(getter, unchecked_return_type = "WebSocket | null")]
    pub fn socket(&self) -> JsValue {
        self.live().map_or(JsValue::NULL, |c| task::raw_socket(&c))
    }
}
