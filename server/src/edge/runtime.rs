//! The sandbox renderers run in: wasmtime with the pooling allocator, one compiled module per
//! release (cached, linked once into an `InstancePre`; the least recently used ones beyond
//! `COMPILED_RENDERERS` are dropped, so a long-lived server does not keep every release it ever
//! served), a fresh instance per render (isolated,
//! cheap with copy-on-write memory), WASI preview 1 with stdin and stdout as memory pipes and
//! nothing else (no preopened directory, no network, no environment), a memory cap, and a
//! deadline enforced by epoch interruption. A renderer that traps, overruns, exceeds its memory
//! or exits non-zero is a `RenderFailure`; the page then leaves the slot to the browser.

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wasmtime::{
    Cache, CacheConfig, Config, Engine, InstanceAllocationStrategy, InstancePre, Linker, Module,
    PoolingAllocationConfig, Store, StoreLimits, StoreLimitsBuilder, Trap,
};
use wasmtime_wasi::I32Exit;
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};

/// How often the epoch ticks: the deadline's resolution.
const EPOCH_TICK: Duration = Duration::from_millis(2);
/// Renders running at once (the pool's instance slots); more wait for a blocking thread anyway.
const POOLED_INSTANCES: u32 = 32;
/// Compiled renderers kept: a few live releases per app with room for a ramp, a rollback and
/// what was published but not yet rolled out. One is a few MB of machine code.
const COMPILED_RENDERERS: NonZeroUsize = NonZeroUsize::new(16).expect("not zero");
/// A rendered page larger than this is garbage, not a page.
const MAX_OUTPUT_BYTES: usize = 4 << 20;
const MAX_ERROR_BYTES: usize = 16 << 10;

/// The sandbox's limits, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub deadline: Duration,
    pub memory_bytes: usize,
}

/// Why a render produced nothing usable.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderFailure {
    /// The module did not compile or link (not a WASI command, wrong imports).
    Invalid(String),
    /// It ran past the deadline.
    Deadline,
    /// It trapped (a panic aborts with `unreachable`), ran out of its memory cap, or exited
    /// non-zero; the message carries its stderr.
    Crashed(String),
}

impl std::fmt::Display for RenderFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderFailure::Invalid(message) => write!(f, "renderer is not usable: {message}"),
            RenderFailure::Deadline => write!(f, "renderer ran past its deadline"),
            RenderFailure::Crashed(message) => write!(f, "renderer failed: {message}"),
        }
    }
}

/// One render's measurements, for the API benchmark and the logs.
#[derive(Debug, Clone, Copy)]
pub struct RenderStats {
    pub elapsed: Duration,
    /// The instance's linear memory when it finished.
    pub memory_bytes: usize,
}

struct RenderState {
    wasi: WasiP1Ctx,
    limits: StoreLimits,
}

/// Compiled renderers by release, and the engine they run on. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    linker: Arc<Linker<RenderState>>,
    modules: Arc<Mutex<lru::LruCache<String, Arc<InstancePre<RenderState>>>>>,
    limits: Limits,
    /// Compiled modules on disk, shared with restarts and other instances.
    cache: Option<Cache>,
}

impl Runtime {
    /// A runtime whose compiled renderers are also kept in `compile_cache`, so a restart or
    /// another instance loads them instead of compiling again (about a second each).
    pub fn new(limits: Limits, compile_cache: Option<&Path>) -> anyhow::Result<Self> {
        let mut pooling = PoolingAllocationConfig::default();
        pooling
            .total_memories(POOLED_INSTANCES)
            .total_tables(POOLED_INSTANCES)
            .total_core_instances(POOLED_INSTANCES)
            .max_memory_size(limits.memory_bytes);
        let mut config = Config::new();
        config
            .epoch_interruption(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
        let cache = compile_cache
            .map(|directory| {
                let mut settings = CacheConfig::new();
                settings.with_directory(directory);
                Cache::new(settings)
            })
            .transpose()?;
        config.cache(cache.clone());
        let engine = Engine::new(&config)?;
        let ticking = engine.weak();
        std::thread::Builder::new()
            .name("renderer-epoch".into())
            .spawn(move || {
                while let Some(engine) = ticking.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(EPOCH_TICK);
                }
            })?;
        let mut linker = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |state: &mut RenderState| &mut state.wasi)?;
        Ok(Self {
            engine,
            linker: Arc::new(linker),
            modules: Arc::new(Mutex::new(lru::LruCache::new(COMPILED_RENDERERS))),
            limits,
            cache,
        })
    }

    /// Compiles the release's renderer now (it is kept while it is used: releases never change).
    pub fn prepare(&self, release_key: &str, file: &Path) -> Result<(), RenderFailure> {
        let started = Instant::now();
        self.prepared(release_key, file)?;
        tracing::info!(
            release_key,
            elapsed = ?started.elapsed(),
            loaded_from_cache = self.loaded_from_cache(),
            "renderer ready"
        );
        Ok(())
    }

    /// How many renderers this runtime loaded compiled from its cache instead of compiling.
    pub fn loaded_from_cache(&self) -> usize {
        self.cache.as_ref().map_or(0, Cache::cache_hits)
    }

    /// The release's renderer, compiled on first use (and kept while it is used).
    fn prepared(
        &self,
        release_key: &str,
        file: &Path,
    ) -> Result<Arc<InstancePre<RenderState>>, RenderFailure> {
        if let Some(prepared) = self
            .modules
            .lock()
            .ok()
            .and_then(|mut modules| modules.get(release_key).cloned())
        {
            return Ok(prepared);
        }
        let bytes = std::fs::read(file)
            .map_err(|error| RenderFailure::Invalid(format!("{}: {error}", file.display())))?;
        let module = Module::new(&self.engine, &bytes)
            .map_err(|error| RenderFailure::Invalid(format!("{error:#}")))?;
        let prepared = Arc::new(
            self.linker
                .instantiate_pre(&module)
                .map_err(|error| RenderFailure::Invalid(format!("{error:#}")))?,
        );
        if let Ok(mut modules) = self.modules.lock() {
            modules.put(release_key.to_owned(), prepared.clone());
        }
        Ok(prepared)
    }

    /// Runs the renderer in `file` (cached under `release_key`) on `input`; blocking: call it
    /// from a blocking thread.
    pub fn render(
        &self,
        release_key: &str,
        file: &Path,
        input: &str,
    ) -> Result<(String, RenderStats), RenderFailure> {
        let prepared = self.prepared(release_key, file)?;
        let started = Instant::now();
        let stdout = MemoryOutputPipe::new(MAX_OUTPUT_BYTES);
        let stderr = MemoryOutputPipe::new(MAX_ERROR_BYTES);
        let wasi = WasiCtxBuilder::new()
            .stdin(MemoryInputPipe::new(input.to_owned()))
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .arg("render")
            .build_p1();
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.limits.memory_bytes)
            .instances(1)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(&self.engine, RenderState { wasi, limits });
        store.limiter(|state| &mut state.limits);
        let ticks = (self.limits.deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
        store.set_epoch_deadline(ticks);
        let crashed = |error: wasmtime::Error| {
            if error.downcast_ref::<Trap>() == Some(&Trap::Interrupt) {
                return RenderFailure::Deadline;
            }
            let said = String::from_utf8_lossy(&stderr.contents())
                .trim()
                .to_owned();
            RenderFailure::Crashed(if said.is_empty() {
                format!("{error:#}")
            } else {
                format!("{error:#}: {said}")
            })
        };
        let instance = prepared.instantiate(&mut store).map_err(crashed)?;
        let start = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .map_err(|error| RenderFailure::Invalid(format!("{error:#}")))?;
        match start.call(&mut store, ()) {
            Ok(()) => {}
            Err(error) => match error.downcast_ref::<I32Exit>() {
                Some(I32Exit(0)) => {}
                _ => return Err(crashed(error)),
            },
        }
        let memory_bytes = instance
            .get_memory(&mut store, "memory")
            .map_or(0, |memory| memory.data_size(&store));
        let output = String::from_utf8(stdout.contents().to_vec())
            .map_err(|_| RenderFailure::Crashed("output is not UTF-8".into()))?;
        Ok((
            output,
            RenderStats {
                elapsed: started.elapsed(),
                memory_bytes,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WASI command whose `_start` does nothing.
    const EMPTY_COMMAND: &[u8] = &[
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
        0x03, 0x02, 0x01, 0x00, // function 0 of type 0
        0x05, 0x03, 0x01, 0x00, 0x01, // one memory of one page
        0x07, 0x13, 0x02, // exports: "memory", "_start"
        0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, //
        0x06, b'_', b's', b't', b'a', b'r', b't', 0x00, 0x00, //
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: end
    ];

    #[test]
    fn only_the_most_recently_used_renderers_stay_compiled() {
        let file =
            std::env::temp_dir().join(format!("tessera-renderer-{}.wasm", std::process::id()));
        std::fs::write(&file, EMPTY_COMMAND).unwrap();
        let runtime = Runtime::new(
            Limits {
                memory_bytes: 1 << 20,
                deadline: Duration::from_millis(50),
            },
            None,
        )
        .unwrap();
        runtime.prepare("app/first", &file).unwrap();
        for release in 0..COMPILED_RENDERERS.get() {
            runtime
                .render(&format!("app/{release}"), &file, "")
                .unwrap();
            // The first release keeps being rendered, so it is never the least recent.
            runtime.render("app/first", &file, "").unwrap();
        }
        let modules = runtime.modules.lock().unwrap();
        assert_eq!(modules.len(), COMPILED_RENDERERS.get());
        assert!(modules.contains("app/first"));
        assert!(!modules.contains("app/0"), "the oldest unused one went");
        drop(modules);
        let _ = std::fs::remove_file(&file);
    }

    #[test]
    fn a_restarted_runtime_loads_its_renderers_compiled() {
        let folder = std::env::temp_dir().join(format!("tessera-compiled-{}", std::process::id()));
        let file = folder.join("renderer.wasm");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(&file, EMPTY_COMMAND).unwrap();
        let limits = Limits {
            memory_bytes: 1 << 20,
            deadline: Duration::from_millis(50),
        };
        let cache = folder.join("cache");
        let first = Runtime::new(limits, Some(&cache)).unwrap();
        first.prepare("app/r1", &file).unwrap();
        assert_eq!(first.loaded_from_cache(), 0, "compiled the first time");
        let restarted = Runtime::new(limits, Some(&cache)).unwrap();
        restarted.render("app/r1", &file, "").unwrap();
        assert_eq!(restarted.loaded_from_cache(), 1);
        let _ = std::fs::remove_dir_all(&folder);
    }
}
