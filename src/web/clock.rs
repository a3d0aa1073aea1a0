//! Monotonic milliseconds: `performance.now()` where it exists, `Date.now()` otherwise. Read
//! only on events and timer fires, never per message.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = performance, js_name = now)]
    fn performance_now() -> Result<f64, JsValue>;
}

/// Milliseconds from an arbitrary origin.
pub fn now() -> u64 {
    let ms = performance_now().unwrap_or_else(|_| js_sys::Date::now());
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
}
