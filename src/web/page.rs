//! Page-wide state: the registry of live tasks (limit and binding), the one-slot legacy
//! listeners, and once-per-page warnings.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;

use super::task::TaskCell;
use crate::core::registry::{Registry, TaskId};

/// The four one-slot legacy listeners (`onSocketOpen` …).
#[derive(Default)]
pub struct Legacy {
    pub open: Option<Function>,
    pub message: Option<Function>,
    pub error: Option<Function>,
    pub close: Option<Function>,
}

/// Everything shared by the tasks of one page (or worker, or Node process).
#[derive(Default)]
pub struct Page {
    pub registry: Registry,
    pub tasks: Vec<(TaskId, Rc<TaskCell>)>,
    pub legacy: Legacy,
    pub header_warned: bool,
    pub ssl_warned: bool,
}

thread_local! {
    /// Never borrowed across a call into user code.
    pub static PAGE: RefCell<Page> = RefCell::new(Page::default());
}

/// Runs `f` on the page state; `None` only if the state is somehow borrowed already.
pub fn with<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    PAGE.with(|p| p.try_borrow_mut().ok().map(|mut p| f(&mut p)))
}

/// The bound task of the legacy functions, if one is live.
pub fn bound_task() -> Option<Rc<TaskCell>> {
    with(|p| {
        let id = p.registry.bound()?;
        p.tasks.iter().find(|(t, _)| *t == id).map(|(_, c)| c.clone())
    })
    .flatten()
}

/// Every live task, oldest first.
pub fn live_tasks() -> Vec<Rc<TaskCell>> {
    with(|p| p.tasks.iter().map(|(_, c)| c.clone()).collect()).unwrap_or_default()
}
