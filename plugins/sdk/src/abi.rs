//! Memory handed across the boundary, and the two functions the server gives plugins.

use serde::de::DeserializeOwned;
use serde::Serialize;

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "utmost")]
extern "C" {
    /// One API call: a JSON request in, a JSON answer (a buffer of ours) out.
    fn call(ptr: *const u8, len: usize) -> u64;
    fn log(level: u32, ptr: *const u8, len: usize);
}

/// Outside the server (a plugin's own unit tests, run natively) there is no API: a test
/// that reaches one fails.
#[cfg(not(target_arch = "wasm32"))]
unsafe fn call(_: *const u8, _: usize) -> u64 {
    panic!("the plugin API exists only inside the server")
}

#[cfg(not(target_arch = "wasm32"))]
unsafe fn log(_: u32, ptr: *const u8, len: usize) {
    eprintln!(
        "{}",
        String::from_utf8_lossy(std::slice::from_raw_parts(ptr, len))
    );
}

/// A buffer of `len` bytes for the server to write into.
#[no_mangle]
pub extern "C" fn utmost_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()) as *mut u8
}

/// Frees a buffer this module handed out.
///
/// # Safety
/// `ptr` and `len` must be a buffer from `utmost_alloc` or a hook's answer, freed once.
#[no_mangle]
pub unsafe extern "C" fn utmost_free(ptr: *mut u8, len: usize) {
    drop(take(ptr, len));
}

/// Takes back a buffer this module handed out.
///
/// # Safety
/// As [`utmost_free`].
pub unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)).into_vec()
}

/// Hands `bytes` to the server, packed as pointer and length.
pub fn give(bytes: Vec<u8>) -> u64 {
    let len = bytes.len() as u64;
    let ptr = Box::into_raw(bytes.into_boxed_slice()) as *mut u8 as usize as u64;
    (ptr << 32) | len
}

/// Reads a hook's input, runs it, and hands back its answer.
///
/// # Safety
/// `ptr` and `len` must be a buffer from `utmost_alloc`, which this takes.
pub unsafe fn run_hook<I: DeserializeOwned, O: Serialize>(
    ptr: *mut u8,
    len: usize,
    handler: fn(I) -> O,
) -> u64 {
    let input = take(ptr, len);
    match serde_json::from_slice(&input) {
        Ok(input) => give(serde_json::to_vec(&handler(input)).unwrap_or_default()),
        Err(e) => {
            log_message(
                Level::Error,
                &format!("the hook's input was not understood: {e}"),
            );
            0
        }
    }
}

/// Sends one JSON request to the server and answers its JSON reply.
pub fn call_raw(request: &[u8]) -> Vec<u8> {
    // SAFETY: the server reads `request` during the call, and answers a buffer it got
    // from `utmost_alloc` (or 0), which is ours to take.
    unsafe {
        let packed = call(request.as_ptr(), request.len());
        if packed == 0 {
            return Vec::new();
        }
        take(
            (packed >> 32) as usize as *mut u8,
            (packed & 0xffff_ffff) as usize,
        )
    }
}

#[derive(Clone, Copy)]
pub enum Level {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

/// Writes a line to the server's log under the plugin's id.
pub fn log_message(level: Level, message: &str) {
    // SAFETY: the server only reads `message` during the call.
    unsafe { log(level as u32, message.as_ptr(), message.len()) }
}
