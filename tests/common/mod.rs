//! Helpers shared by the browser test files: the test server's address, building and
//! reading plain JS objects, calling methods, and `Log`, which records every callback and
//! listener call of a scenario in order.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

/// The test server's port, fixed at compile time by `scripts/test.sh`.
pub fn port() -> &'static str {
    match option_env!("MPSOCKET_TEST_PORT") {
        Some(p) => p,
        None => panic!("MPSOCKET_TEST_PORT is not set: run the suite with `make test`"),
    }
}

/// A port on 127.0.0.1 that nobody listens on.
pub fn dead_port() -> &'static str {
    match option_env!("MPSOCKET_TEST_DEAD_PORT") {
        Some(p) => p,
        None => panic!("MPSOCKET_TEST_DEAD_PORT is not set: run the suite with `make test`"),
    }
}

/// `ws://127.0.0.1:PORT{path}` on the test server.
pub fn url(path: &str) -> String {
    format!("ws://127.0.0.1:{}{}", port(), path)
}

/// A JS string.
pub fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// A plain object from key/value pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

/// `o[k]`.
pub fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap()
}

/// `o[method](...args)`.
pub fn call(o: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: Function = get(o, method).dyn_into().unwrap_or_else(|_| panic!("no method {method}"));
    f.apply(o, &args.iter().collect::<Array>()).unwrap()
}

/// `res.errMsg`, or `""`.
pub fn err_msg(v: &JsValue) -> String {
    get(v, "errMsg").as_string().unwrap_or_default()
}

/// Everything the callbacks and listeners of one scenario saw, in order.
#[derive(Clone, Default)]
pub struct Log(pub Rc<RefCell<Vec<(String, JsValue)>>>);

impl Log {
    /// A JS function that records its argument under `name`.
    pub fn cb(&self, name: &str) -> JsValue {
        let log = self.clone();
        let name = name.to_string();
        Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| log.0.borrow_mut().push((name.clone(), v))).into_js_value()
    }
    pub fn names(&self) -> Vec<String> {
        self.0.borrow().iter().map(|(n, _)| n.clone()).collect()
    }
    pub fn count(&self, name: &str) -> usize {
        self.0.borrow().iter().filter(|(n, _)| n == name).count()
    }
    /// The first call recorded under `name`.
    pub fn get(&self, name: &str) -> Option<JsValue> {
        self.0.borrow().iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
    pub fn all(&self, name: &str) -> Vec<JsValue> {
        self.0.borrow().iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }
    /// Waits up to 4 s for `n` calls under `name`.
    pub async fn wait(&self, name: &str, n: usize) {
        self.wait_ms(name, n, 4000).await;
    }
    /// Waits up to `ms` for `n` calls under `name`; panics with what was seen otherwise.
    pub async fn wait_ms(&self, name: &str, n: usize, ms: u32) {
        for _ in 0..ms / 10 {
            if self.count(name) >= n {
                return;
            }
            TimeoutFuture::new(10).await;
        }
        panic!("timed out waiting for {n} × {name}; saw {:?}", self.names());
    }
}
