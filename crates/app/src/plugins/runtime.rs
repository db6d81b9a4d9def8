//! Running plugin modules under wasmtime, each call bounded.
//!
//! One [`Engine`] for the process, with epoch interruption: a thread ticks the epoch every
//! [`TICK`], and each call may run `MaxCallMilliseconds` worth of ticks before wasmtime traps
//! it, so an endless loop stops. Each plugin has one instance at a time (its `Store`, behind
//! a mutex, so its calls run one after another) whose memory may grow to `MaxMemoryMB`: past
//! it `memory.grow` fails and the plugin's allocator traps. A trap poisons the instance; the
//! next call starts a fresh one (the plugin's memory is lost, its key-value store is not).
//!
//! Calls are synchronous and run on tokio's blocking threads; a plugin's API call
//! (`utmost.call`) runs the async API back on the runtime with `Handle::block_on`.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use wasmtime::{
    Caller, Config, Engine, Instance, Linker, Module, Store, StoreLimits, StoreLimitsBuilder,
    TypedFunc,
};

/// The epoch's period: the resolution of a call's time limit.
const TICK: Duration = Duration::from_millis(5);

/// Hooks a module may export, each `(ptr, len) -> packed ptr/len`.
pub const HOOKS: &[&str] = &[
    "on_activate",
    "on_deactivate",
    "on_configuration_change",
    "message_will_be_posted",
    "message_has_been_posted",
    "user_has_joined_channel",
    "execute_command",
    "serve_http",
];

/// The API a plugin's calls reach: answers one JSON request (run on a blocking thread).
pub trait Host: Send + Sync + 'static {
    /// `chain`: the plugins whose calls led here, the caller last (their hooks are not
    /// called again while they wait: one instance cannot run two calls).
    fn call(&self, chain: &[String], request: &[u8]) -> Vec<u8>;
    fn log(&self, plugin_id: &str, level: u32, message: &str);
}

#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    /// The module compiled last, with its bytes: installing a plugin compiles it to check it,
    /// and enabling it right after (the shipped plugins at every start) needs the same module.
    last_compiled: Arc<Mutex<Option<Compiled>>>,
}

/// A module's bytes and what they compiled to.
type Compiled = (Arc<[u8]>, Module);

impl Runtime {
    pub fn new() -> wasmtime::Result<Self> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config)?;
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(TICK);
                }
            })
            .map_err(wasmtime::Error::from)?;
        Ok(Self {
            engine,
            last_compiled: Arc::default(),
        })
    }

    /// Compiles a module (CPU-heavy: call it on a blocking thread), or hands back the last
    /// one compiled when `wasm` is the same.
    pub fn compile(&self, wasm: &[u8]) -> wasmtime::Result<Module> {
        let last = || self.last_compiled.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((bytes, module)) = &*last() {
            if **bytes == *wasm {
                return Ok(module.clone());
            }
        }
        let module = Module::new(&self.engine, wasm)?;
        *last() = Some((Arc::from(wasm), module.clone()));
        Ok(module)
    }
}

/// The limits of one plugin's instance.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub memory_bytes: usize,
    pub call_time: Duration,
}

struct State {
    plugin_id: Arc<str>,
    /// The plugins whose calls led to the current one, this one last.
    chain: Vec<String>,
    limits: StoreLimits,
    host: Arc<dyn Host>,
}

struct Live {
    store: Store<State>,
    instance: Instance,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
}

/// One plugin's compiled module and its current instance.
pub struct Plugin {
    plugin_id: Arc<str>,
    engine: Engine,
    module: Module,
    linker: Linker<State>,
    host: Arc<dyn Host>,
    limits: Limits,
    live: Mutex<Option<Live>>,
    /// The hooks the module exports.
    exports: Vec<&'static str>,
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the plugin ran longer than its {0:?} limit and was stopped")]
    TimedOut(Duration),
    #[error("the plugin stopped: {0}")]
    Trapped(String),
}

impl Plugin {
    pub fn new(
        runtime: &Runtime,
        plugin_id: &str,
        module: Module,
        host: Arc<dyn Host>,
        limits: Limits,
    ) -> wasmtime::Result<Self> {
        let mut linker = Linker::new(&runtime.engine);
        linker.func_wrap("utmost", "call", api_call)?;
        linker.func_wrap("utmost", "log", api_log)?;
        let exports = HOOKS
            .iter()
            .copied()
            .filter(|name| module.get_export(name).is_some())
            .collect();
        Ok(Self {
            plugin_id: plugin_id.into(),
            engine: runtime.engine.clone(),
            module,
            linker,
            host,
            limits,
            live: Mutex::new(None),
            exports,
        })
    }

    pub fn exports(&self, hook: &str) -> bool {
        self.exports.contains(&hook)
    }

    fn instantiate(&self) -> wasmtime::Result<Live> {
        let state = State {
            plugin_id: self.plugin_id.clone(),
            limits: StoreLimitsBuilder::new()
                .memory_size(self.limits.memory_bytes)
                .instances(1)
                .memories(1)
                .tables(4)
                .build(),
            host: self.host.clone(),
            chain: Vec::new(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        store.set_epoch_deadline(self.ticks());
        let instance = self.linker.instantiate(&mut store, &self.module)?;
        let alloc = instance.get_typed_func(&mut store, "utmost_alloc")?;
        let free = instance.get_typed_func(&mut store, "utmost_free")?;
        Ok(Live {
            store,
            instance,
            alloc,
            free,
        })
    }

    fn ticks(&self) -> u64 {
        (self.limits.call_time.as_millis() / TICK.as_millis()).max(1) as u64
    }

    /// Calls `hook` with `input`; answers its output (empty for none). `chain` is the
    /// plugins whose calls led here. Blocks: run it on a blocking thread. A failed call
    /// drops the instance.
    pub fn call(
        &self,
        hook: &str,
        input: &[u8],
        mut chain: Vec<String>,
    ) -> Result<Vec<u8>, CallError> {
        chain.push(self.plugin_id.to_string());
        let mut slot = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let result = self.call_in(&mut slot, hook, input, chain);
        if result.is_err() {
            *slot = None;
        }
        result
    }

    fn call_in(
        &self,
        slot: &mut Option<Live>,
        hook: &str,
        input: &[u8],
        chain: Vec<String>,
    ) -> Result<Vec<u8>, CallError> {
        let trapped = |e: wasmtime::Error| self.classify(e);
        if slot.is_none() {
            *slot = Some(self.instantiate().map_err(trapped)?);
        }
        let Some(live) = slot.as_mut() else {
            return Err(CallError::Trapped("no instance".into()));
        };
        live.store.set_epoch_deadline(self.ticks());
        live.store.data_mut().chain = chain;
        let hook_fn: TypedFunc<(u32, u32), u64> = live
            .instance
            .get_typed_func(&mut live.store, hook)
            .map_err(trapped)?;
        let len =
            u32::try_from(input.len()).map_err(|_| CallError::Trapped("input too large".into()))?;
        let ptr = live.alloc.call(&mut live.store, len).map_err(trapped)?;
        let memory = live
            .instance
            .get_memory(&mut live.store, "memory")
            .ok_or_else(|| CallError::Trapped("the module exports no memory".into()))?;
        memory
            .write(&mut live.store, ptr as usize, input)
            .map_err(|e| CallError::Trapped(e.to_string()))?;
        let packed = hook_fn.call(&mut live.store, (ptr, len)).map_err(trapped)?;
        if packed == 0 {
            return Ok(Vec::new());
        }
        let (out_ptr, out_len) = ((packed >> 32) as u32, packed as u32);
        let mut output = vec![0; out_len as usize];
        memory
            .read(&live.store, out_ptr as usize, &mut output)
            .map_err(|e| CallError::Trapped(e.to_string()))?;
        live.free
            .call(&mut live.store, (out_ptr, out_len))
            .map_err(trapped)?;
        Ok(output)
    }

    fn classify(&self, e: wasmtime::Error) -> CallError {
        match e.downcast_ref::<wasmtime::Trap>() {
            Some(wasmtime::Trap::Interrupt) => CallError::TimedOut(self.limits.call_time),
            _ => CallError::Trapped(format!("{e:#}")),
        }
    }
}

/// Copies `len` bytes at `ptr` out of the caller's memory.
fn read_guest(caller: &mut Caller<'_, State>, ptr: u32, len: u32) -> wasmtime::Result<Vec<u8>> {
    let memory = caller
        .get_export("memory")
        .and_then(|e| e.into_memory())
        .ok_or_else(|| wasmtime::Error::msg("the module exports no memory"))?;
    let mut bytes = vec![0; len as usize];
    memory.read(&*caller, ptr as usize, &mut bytes)?;
    Ok(bytes)
}

/// `utmost.call(ptr, len) -> packed`: one API request; the answer is written into a buffer
/// the plugin allocates.
fn api_call(mut caller: Caller<'_, State>, ptr: u32, len: u32) -> wasmtime::Result<u64> {
    let request = read_guest(&mut caller, ptr, len)?;
    let (host, chain) = (caller.data().host.clone(), caller.data().chain.clone());
    let answer = host.call(&chain, &request);
    let alloc = caller
        .get_export("utmost_alloc")
        .and_then(|e| e.into_func())
        .ok_or_else(|| wasmtime::Error::msg("the module exports no utmost_alloc"))?
        .typed::<u32, u32>(&caller)?;
    let answer_len = u32::try_from(answer.len())?;
    let answer_ptr = alloc.call(&mut caller, answer_len)?;
    let memory = caller
        .get_export("memory")
        .and_then(|e| e.into_memory())
        .ok_or_else(|| wasmtime::Error::msg("the module exports no memory"))?;
    memory.write(&mut caller, answer_ptr as usize, &answer)?;
    Ok((u64::from(answer_ptr) << 32) | u64::from(answer_len))
}

/// `utmost.log(level, ptr, len)`.
fn api_log(mut caller: Caller<'_, State>, level: u32, ptr: u32, len: u32) -> wasmtime::Result<()> {
    let message = read_guest(&mut caller, ptr, len.min(16 * 1024))?;
    let state = caller.data();
    state
        .host
        .log(&state.plugin_id, level, &String::from_utf8_lossy(&message));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest module, and one with a custom section besides.
    const EMPTY: &[u8] = b"\0asm\x01\0\0\0";
    const NAMED: &[u8] = b"\0asm\x01\0\0\0\0\x02\x01a";

    #[test]
    fn the_same_bytes_are_compiled_once_in_a_row() {
        let runtime = Runtime::new().unwrap();
        let first = runtime.compile(EMPTY).unwrap();
        assert!(Module::same(&first, &runtime.compile(EMPTY).unwrap()));
        let other = runtime.compile(NAMED).unwrap();
        assert!(!Module::same(&first, &other));
        assert!(!Module::same(&first, &runtime.compile(EMPTY).unwrap()));
        assert!(runtime.compile(b"\0asm\x02\0\0\0").is_err());
    }
}
