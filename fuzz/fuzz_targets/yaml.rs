//! The YAML loader: audit.yaml and the seven narratives (first byte picks the type).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cpaudit::fuzz::yaml(data);
});
