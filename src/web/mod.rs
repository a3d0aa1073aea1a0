//! The browser driver: carries out the core's commands with js-sys, web-sys and gloo-timers.
//! Sockets, listeners and timers are RAII handles; nothing is `forget()`-ed per connection.

pub mod defer;
pub mod js;
pub mod network;
pub mod page;
pub mod reply;
pub mod task;
