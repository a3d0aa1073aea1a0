//! `getNetworkType`, `onNetworkStatusChange` / `offNetworkStatusChange` and
//! `onNetworkWeakChange` / `offNetworkWeakChange` (contract A4), over `globalThis`.

use wasm_bindgen::prelude::*;

use crate::web::network::{self, Which};
use crate::web::{js, reply::Reply};

/// Reports the current network type. Returns a Promise when no callback is given.
///
/// Never fails: where the runtime gives no signal, the answer is `unknown` and connected.
#[wasm_bindgen(js_name = getNetworkType, unchecked_return_type = "Promise<GetNetworkTypeResult> | undefined")]
pub fn get_network_type(
    #[wasm_bindgen(unchecked_optional_param_type = "GetNetworkTypeOption")] options: JsValue,
) -> JsValue {
    let (reply, promise) = Reply::or_promise(&options);
    let s = network::current();
    let res = js::err_obj("getNetworkType:ok");
    js::set(&res, "networkType", &JsValue::from_str(s.network_type));
    js::set(&res, "signalStrength", &JsValue::from(0));
    js::set(&res, "hasSystemProxy", &JsValue::FALSE);
    js::set(&res, "weakNet", &JsValue::from(s.weak));
    reply.ok(&res);
    promise
}

fn add(which: Which, listener: JsValue, name: &str) {
    if let Some(f) = js::function_or_report(listener, name) {
        network::add(which, f);
    }
}

fn remove(which: Which, listener: JsValue) {
    let f = if listener.is_undefined() || listener.is_null() { None } else { Some(&listener) };
    network::remove(which, f);
}

/// Adds a listener called with `{isConnected, networkType}` once per real change.
#[wasm_bindgen(js_name = onNetworkStatusChange)]
pub fn on_network_status_change(
    #[wasm_bindgen(unchecked_param_type = "(res: NetworkStatusResult) => void")] listener: JsValue,
) {
    add(Which::Status, listener, "onNetworkStatusChange");
}

/// Removes one status listener, or all of them without an argument.
#[wasm_bindgen(js_name = offNetworkStatusChange)]
pub fn off_network_status_change(
    #[wasm_bindgen(unchecked_optional_param_type = "(res: NetworkStatusResult) => void")] listener: JsValue,
) {
    remove(Which::Status, listener);
}

/// Adds a listener called with `{weakNet, networkType}` when either changes.
#[wasm_bindgen(js_name = onNetworkWeakChange)]
pub fn on_network_weak_change(
    #[wasm_bindgen(unchecked_param_type = "(res: NetworkWeakResult) => void")] listener: JsValue,
) {
    add(Which::Weak, listener, "onNetworkWeakChange");
}

/// Removes one weak-network listener, or all of them without an argument.
#[wasm_bindgen(js_name = offNetworkWeakChange)]
pub fn off_network_weak_change(
    #[wasm_bindgen(unchecked_optional_param_type = "(res: NetworkWeakResult) => void")] listener: JsValue,
) {
    remove(Which::Weak, listener);
}
