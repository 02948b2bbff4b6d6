//! The BagIt manifest parser.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cpaudit::fuzz::manifest(data);
});
