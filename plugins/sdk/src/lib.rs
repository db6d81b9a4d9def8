//! The guest side of Utmost's plugin ABI: what a plugin compiled to `wasm32-unknown-unknown`
//! links to talk to the server (docs/plugins.md).
//!
//! Every value crossing the boundary is JSON in the plugin's linear memory. The server
//! writes a hook's input into a buffer it got from [`abi::utmost_alloc`] and calls the hook's
//! export with (pointer, length); the hook answers a buffer packed as `pointer << 32 |
//! length` (0 for nothing), which the server copies and frees with [`abi::utmost_free`]. A
//! plugin declares the hooks it implements with [`hook!`]; the server calls only those.

pub mod abi;
pub mod api;
pub mod types;

pub use serde_json::{json, Map, Value};
pub use types::*;

/// Exports `$handler` (a `fn(Input) -> Output` of serde types) as the hook `$export`:
/// `on_activate`, `on_deactivate`, `on_configuration_change`, `message_will_be_posted`,
/// `message_has_been_posted`, `user_has_joined_channel`, `execute_command` or `serve_http`.
#[macro_export]
macro_rules! hook {
    ($export:ident, $handler:path) => {
        /// # Safety
        /// Called by the server with a buffer it got from `utmost_alloc`.
        #[no_mangle]
        pub unsafe extern "C" fn $export(ptr: *mut u8, len: usize) -> u64 {
            $crate::abi::run_hook(ptr, len, $handler)
        }
    };
}
