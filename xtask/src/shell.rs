//! Running external programs: every command xtask starts goes through [`command`], so all of
//! them see the pinned tools first on `PATH`, and every step reports what it ran and how long it
//! took.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The workspace root: xtask lives one level below it. Cargo's run-time `CARGO_MANIFEST_DIR`
/// comes first: with a target directory shared between checkouts (CI keeps one), cargo may reuse
/// an xtask binary compiled in another clone, whose compile-time path points there.
pub fn project_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Where project-local tools (npm packages such as binaryen) are installed. Kept outside `target/`
/// so `cargo clean` does not throw them away.
pub fn tools_dir() -> PathBuf {
    project_root().join(".tools")
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}

/// `PATH` with the project's tools first, then cargo's bin dir, so a stale or broken system copy
/// (Debian's binaryen 108, say) can never be picked up by trunk behind our back.
pub fn tool_path() -> OsString {
    let mut dirs = vec![
        tools_dir().join("node_modules").join(".bin"),
        cargo_bin_dir(),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command that runs from the project root with the tool `PATH`.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(project_root()).env("PATH", tool_path());
    command
}

fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs a command with inherited output and fails when it exits non-zero.
pub fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    println!("  $ {line}");
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its trimmed stdout, or `None` when it cannot be started or fails:
/// used to probe whether a tool is present.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

pub fn human_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        format!(
            "{}m{:02}s",
            duration.as_secs() / 60,
            duration.as_secs() % 60
        )
    }
}

/// Times `work` and returns its result together with the elapsed time.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = work();
    (value, start.elapsed())
}
