//! The callback trio (`success`/`fail`/`complete`) or the Promise that replaces it, settled
//! exactly once and always asynchronously.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::{defer, js};

/// Where the outcome of one call goes.
#[derive(Default)]
pub enum Reply {
    /// No callbacks and no Promise: failures are logged so they are never silent.
    #[default]
    None,
    /// The mini-program callback trio; any of them may be missing.
    Trio { success: Option<Function>, fail: Option<Function>, complete: Option<Function> },
    /// A Promise returned to the caller.
    Promise { resolve: Function, reject: Function },
}

impl Reply {
    /// The trio found on `opts`, or [`Reply::None`] when none of the keys holds a function.
    pub fn from_options(opts: &JsValue) -> Reply {
        let success = js::field_fn(opts, js::Opts::success);
        let fail = js::field_fn(opts, js::Opts::fail);
        let complete = js::field_fn(opts, js::Opts::complete);
        if success.is_none() && fail.is_none() && complete.is_none() {
            Reply::None
        } else {
            Reply::Trio { success, fail, complete }
        }
    }

    /// Like [`Reply::from_options`], but with no callback key a Promise is created and
    /// returned alongside.
    pub fn or_promise(opts: &JsValue) -> (Reply, JsValue) {
        match Reply::from_options(opts) {
            Reply::None => {
                let mut parts = None;
                let promise = Promise::new(&mut |resolve, reject| parts = Some((resolve, reject)));
                match parts {
                    Some((resolve, reject)) => (Reply::Promise { resolve, reject }, promise.into()),
                    None => (Reply::None, JsValue::UNDEFINED),
                }
            }
            r => (r, JsValue::UNDEFINED),
        }
    }

    /// `true` when someone will hear the outcome.
    pub fn is_some(&self) -> bool {
        !matches!(self, Reply::None)
    }

    /// Reports success with `res` (an object carrying `errMsg`).
    pub fn ok(self, res: &JsValue) {
        match self {
            Reply::None => {}
            Reply::Trio { success, complete, .. } => {
                if let Some(f) = success {
                    defer::call(&f, res, "mpsocket: success callback threw");
                }
                if let Some(f) = complete {
                    defer::call(&f, res, "mpsocket: complete callback threw");
                }
            }
            Reply::Promise { resolve, .. } => defer::call(&resolve, res, "mpsocket: resolve threw"),
        }
    }

    /// Reports success with a bare `{errMsg}`.
    pub fn ok_msg(self, msg: &str) {
        if self.is_some() {
            self.ok(&js::err_obj(msg));
        }
    }

    /// Reports failure with `{errMsg: msg}`; with nobody listening, logs it.
    pub fn fail(self, msg: &str) {
        match self {
            Reply::None => js::error(msg),
            Reply::Trio { fail, complete, .. } => {
                let res = js::err_obj(msg);
                if let Some(f) = fail {
                    defer::call(&f, &res, "mpsocket: fail callback threw");
                }
                if let Some(f) = complete {
                    defer::call(&f, &res, "mpsocket: complete callback threw");
                }
            }
            Reply::Promise { reject, .. } => defer::call(&reject, &js::err_obj(msg), "mpsocket: reject threw"),
        }
    }
}
