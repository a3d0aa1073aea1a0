//! The browser driver: carries out the core's commands through the JavaScript edge, js-sys
//! and gloo-timers. Timers and listeners are RAII handles; nothing is `forget()`-ed per
//! connection.

pub mod alloc;
pub mod clock;
pub mod driver;
pub mod edge;
pub mod network;
pub mod page;
