//! One page-wide microtask queue for everything that must happen "asynchronously, but before
//! anything else": `success`/`fail`/`complete` callbacks, Promise settlement, and failures of
//! socket creation that must not fire before the caller registered its listeners.
//!
//! A single `Closure` drains the queue; it is scheduled with `queueMicrotask` only when the
//! queue goes from empty to non-empty, so a burst of callbacks costs one scheduling.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Weak;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::js;
use super::task::{self, TaskCell};

/// Work waiting for the next microtask checkpoint.
pub enum Job {
    /// Call `f(arg)`; a throw is reported and swallowed.
    Call(Function, JsValue, &'static str),
    /// The socket `conn` of a task could not even be created: report it as a failed connection.
    SocketFailed(Weak<TaskCell>, u32),
}

struct Deferred {
    jobs: RefCell<VecDeque<Job>>,
    scheduled: Cell<bool>,
    drain: Closure<dyn FnMut()>,
}

thread_local! {
    static DEFERRED: Deferred = Deferred {
        jobs: RefCell::new(VecDeque::new()),
        scheduled: Cell::new(false),
        drain: Closure::new(drain),
    };
}

fn drain() {
    loop {
        let job = DEFERRED.with(|d| d.jobs.try_borrow_mut().ok().and_then(|mut q| q.pop_front()));
        match job {
            Some(Job::Call(f, arg, ctx)) => {
                if let Err(e) = f.call1(&JsValue::UNDEFINED, &arg) {
                    js::report(ctx, &e);
                }
            }
            Some(Job::SocketFailed(weak, conn)) => {
                if let Some(cell) = weak.upgrade() {
                    task::socket_failed(&cell, conn);
                }
            }
            None => break,
        }
    }
    DEFERRED.with(|d| d.scheduled.set(false));
}

/// Queues `job` for the next microtask checkpoint.
pub fn push(job: Job) {
    DEFERRED.with(|d| {
        if let Ok(mut q) = d.jobs.try_borrow_mut() {
            q.push_back(job);
        }
        if !d.scheduled.get() {
            d.scheduled.set(true);
            js::queue_microtask(d.drain.as_ref().unchecked_ref());
        }
    });
}

/// Queues a call of `f(arg)`; `ctx` names the callback in the error report if it throws.
pub fn call(f: &Function, arg: &JsValue, ctx: &'static str) {
    push(Job::Call(f.clone(), arg.clone(), ctx));
}
