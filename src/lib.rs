//! # mpsocket
//!
//! The mini-program socket API (`wx.connectSocket`, `SocketTask`, the legacy `*SocketMessage`
//! functions) on the browser's WebSocket, compiled to WebAssembly, with a send queue,
//! heartbeats and reconnect built in.
//!
//! The crate is split in three, and the split is the architecture:
//! - [`engine`] (in `src/core/`): plain Rust, no JavaScript. A sans-IO state machine per task turns inputs
//!   (user calls, socket events, timer fires, network changes, each with `now`) into
//!   commands. Tested natively with a fake clock.
//! - `web` (wasm32 only): carries the commands out with js-sys, web-sys and gloo-timers.
//!   Sockets, listeners and timers are RAII handles.
//! - `api` (wasm32 only): the `#[wasm_bindgen]` surface: option parsing, `errMsg` strings,
//!   TypeScript declarations.
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

#[path = "core/mod.rs"]
pub mod engine;

#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(target_arch = "wasm32")]
pub mod api;
