//! The workbook reader: bytes through the guards and calamine, every sheet read.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cpaudit::fuzz::workbook(data);
});
