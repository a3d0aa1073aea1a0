//! Structural bindings to the JavaScript we touch. Nothing here uses `instanceof`: a socket
//! may be the browser's, Node's `ws`, or a test double, and events are read by field.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Any WebSocket-like object.
    #[derive(Clone)]
    pub type Socket;

    #[wasm_bindgen(method, catch)]
    pub fn send(this: &Socket, data: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = close)]
    pub fn close_with(this: &Socket, code: u16, reason: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = close)]
    pub fn close_now(this: &Socket) -> Result<(), JsValue>;
    #[wasm_bindgen(method, getter, js_name = readyState)]
    pub fn ready_state(this: &Socket) -> f64;
    #[wasm_bindgen(method, getter, js_name = bufferedAmount)]
    pub fn buffered_amount(this: &Socket) -> f64;
    #[wasm_bindgen(method, getter)]
    pub fn protocol(this: &Socket) -> JsValue;
    #[wasm_bindgen(method, getter)]
    pub fn extensions(this: &Socket) -> JsValue;
    #[wasm_bindgen(method, setter = binaryType)]
    pub fn set_binary_type(this: &Socket, v: &str);
    #[wasm_bindgen(method, setter)]
    pub fn set_onopen(this: &Socket, f: Option<&Function>);
    #[wasm_bindgen(method, setter)]
    pub fn set_onmessage(this: &Socket, f: Option<&Function>);
    #[wasm_bindgen(method, setter)]
    pub fn set_onerror(this: &Socket, f: Option<&Function>);
    #[wasm_bindgen(method, setter)]
    pub fn set_onclose(this: &Socket, f: Option<&Function>);

    /// The options object of `send` / `sendSocketMessage` and friends, read by field.
    pub type Opts;

    #[wasm_bindgen(method, getter, catch)]
    pub fn data(this: &Opts) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    pub fn success(this: &Opts) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    pub fn fail(this: &Opts) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    pub fn complete(this: &Opts) -> Result<JsValue, JsValue>;

    /// A `{data}` payload under construction.
    pub type Payload;

    #[wasm_bindgen(method, setter)]
    pub fn set_data(this: &Payload, v: &JsValue);

    /// Any event-like object.
    pub type Event;

    #[wasm_bindgen(method, getter)]
    pub fn data(this: &Event) -> JsValue;
    #[wasm_bindgen(method, getter)]
    pub fn code(this: &Event) -> JsValue;
    #[wasm_bindgen(method, getter)]
    pub fn reason(this: &Event) -> JsValue;

    #[wasm_bindgen(js_name = queueMicrotask)]
    pub fn queue_microtask(f: &Function);

    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(js_namespace = ["Object", "prototype", "toString"], js_name = call)]
    fn object_tag(v: &JsValue) -> js_sys::JsString;
}

thread_local! {
    static HAS_PERFORMANCE: bool = {
        Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .filter(|p| p.is_object())
            .and_then(|p| Reflect::get(&p, &JsValue::from_str("now")).ok())
            .is_some_and(|f| f.is_function())
    };
}

/// Monotonic milliseconds where `performance.now` exists, wall-clock otherwise.
pub fn now() -> u64 {
    let ms = if HAS_PERFORMANCE.with(|h| *h) { performance_now() } else { js_sys::Date::now() };
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
}

/// `Object.prototype.toString.call(v) === "[object <name>]"`, which works across realms.
pub fn has_tag(v: &JsValue, name: &str) -> bool {
    object_tag(v)
        .as_string()
        .is_some_and(|t| t.strip_prefix("[object ").and_then(|r| r.strip_suffix(']')) == Some(name))
}

/// The JS type name of `v` as WeChat spells it in parameter errors.
pub fn type_name(v: &JsValue) -> &'static str {
    if v.is_undefined() {
        "Undefined"
    } else if v.is_null() {
        "Null"
    } else if v.is_string() {
        "String"
    } else if v.as_f64().is_some() {
        "Number"
    } else if v.as_bool().is_some() {
        "Boolean"
    } else if js_sys::Array::is_array(v) {
        "Array"
    } else if v.is_function() {
        "Function"
    } else if v.is_symbol() {
        "Symbol"
    } else if v.is_bigint() {
        "BigInt"
    } else {
        "Object"
    }
}

/// Reads an options field with a direct property access (no key string crosses the boundary);
/// `undefined` when `opts` has no such field, or is `undefined`/`null` (the access throws and
/// the throw is caught).
pub fn field(opts: &JsValue, read: fn(&Opts) -> Result<JsValue, JsValue>) -> JsValue {
    read(opts.unchecked_ref::<Opts>()).unwrap_or(JsValue::UNDEFINED)
}

/// Like [`field`], when the value is a function.
pub fn field_fn(opts: &JsValue, read: fn(&Opts) -> Result<JsValue, JsValue>) -> Option<Function> {
    let v = field(opts, read);
    if v.is_function() {
        Some(v.unchecked_into())
    } else {
        None
    }
}

/// `obj[key]`, or `undefined` when `obj` is not an object or the getter throws.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key] = value`, ignoring failures (only used on objects we created).
pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// `obj[key]` when it is a function.
pub fn get_fn(obj: &JsValue, key: &str) -> Option<Function> {
    let v = get(obj, key);
    if v.is_function() {
        Some(v.unchecked_into())
    } else {
        None
    }
}

/// `v` as a function; anything else is reported with `console.error` (naming the API that
/// received it) and gives `None`, so a bad listener never throws.
pub fn function_or_report(v: JsValue, api: &str) -> Option<Function> {
    if v.is_function() {
        return Some(v.unchecked_into());
    }
    let mut s = String::from("mpsocket: ");
    s.push_str(api);
    s.push_str(" expects a function; ignored");
    error(&s);
    None
}

/// A fresh `{errMsg}` object.
pub fn err_obj(msg: &str) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "errMsg", &JsValue::from_str(msg));
    o.into()
}

/// Reports an exception thrown by user code without letting it escape.
pub fn report(context: &str, err: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(context), err);
}

/// `console.warn`.
pub fn warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}

/// `console.error` with a message.
pub fn error(msg: &str) {
    web_sys::console::error_1(&JsValue::from_str(msg));
}
