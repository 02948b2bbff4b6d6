//! The integration tests: one crate, so that Typst is linked once, not once per file.

mod agreement;
mod architecture;
mod benchmark_water;
mod build_sample;
mod cli;
mod common;
mod compliance;
mod cp_level;
mod economics;
mod emit_typst;
mod errors;
mod figures;
mod fuzz_replay;
mod hazardous_waste;
mod hostile;
mod hostile_pack;
mod industry;
mod init;
mod output;
mod pack;
mod schema;
mod watch;
mod watch_identical;
