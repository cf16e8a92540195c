//! `cargo xtask`: the one entry point for building, testing and serving Tessera.
//!
//! Every command is a module with a `run` function; this file only parses flags and dispatches.
//! xtask never holds product logic: it orchestrates cargo, trunk, npm and the browser.

mod bench;
mod bench_web;
mod bundle;
mod codegen;
mod export;
mod flags;
mod release;
mod serve;
mod services;
mod shell;
mod test;
#[cfg(test)]
mod tidy;
mod tools;
mod workspace;

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = match flags::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("{message}\n\n{}", flags::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        flags::Command::Help => {
            println!("{}", flags::USAGE);
            Ok(())
        }
        flags::Command::Setup(setup) => tools::setup(&setup),
        flags::Command::Build => bundle::build_apps(),
        flags::Command::Codegen => codegen::run_codegen("generate"),
        flags::Command::Bench(bench) => bench::run(&bench),
        flags::Command::Release(arguments) => release::run(&arguments),
        flags::Command::Steer { command, arguments } => release::steer(&command, &arguments),
        flags::Command::Serve(serve) => serve::run(&serve),
        flags::Command::Export(export) => export::run(&export),
        flags::Command::Test(test) => test::run(&test),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
