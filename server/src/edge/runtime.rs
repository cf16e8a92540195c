//! The sandbox renderers run in: wasmtime with the pooling allocator, one compiled module per
//! release (cached, linked once into an `InstancePre`), a fresh instance per render (isolated,
//! cheap with copy-on-write memory), WASI preview 1 with stdin and stdout as memory pipes and
//! nothing else (no preopened directory, no network, no environment), a memory cap, and a
//! deadline enforced by epoch interruption. A renderer that traps, overruns, exceeds its memory
//! or exits non-zero is a `RenderFailure`; the page then leaves the slot to the browser.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, InstancePre, Linker, Module,
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
    modules: Arc<Mutex<HashMap<String, Arc<InstancePre<RenderState>>>>>,
    limits: Limits,
}

impl Runtime {
    pub fn new(limits: Limits) -> anyhow::Result<Self> {
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
            modules: Arc::default(),
            limits,
        })
    }

    /// Compiles the release's renderer now (it is kept: releases never change).
    pub fn prepare(&self, release_key: &str, file: &Path) -> Result<(), RenderFailure> {
        let started = Instant::now();
        self.prepared(release_key, file)?;
        tracing::info!(release_key, elapsed = ?started.elapsed(), "renderer ready");
        Ok(())
    }

    /// The release's renderer, compiled on first use (and kept: releases never change).
    fn prepared(
        &self,
        release_key: &str,
        file: &Path,
    ) -> Result<Arc<InstancePre<RenderState>>, RenderFailure> {
        if let Some(prepared) = self
            .modules
            .lock()
            .ok()
            .and_then(|m| m.get(release_key).cloned())
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
            modules.insert(release_key.to_owned(), prepared.clone());
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
