//! Entry points of the fuzz targets (`fuzz/`), shared with the stable-Rust replay
//! test (`tests/testsuite/fuzz_replay.rs`) that runs every file of the seed corpora and every
//! crash found through the same code. Each takes arbitrary bytes and must return
//! without panicking, whatever they are; the results are thrown away.

use crate::model::*;

/// The YAML loader: the first byte picks the file type (audit.yaml or one of the seven
/// narratives), the rest is the text.
pub fn yaml(data: &[u8]) {
    let Some((kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    use crate::load::yaml::parse;
    let file = "fuzz.yaml";
    match kind % 8 {
        0 => drop(parse::<AuditFile>(text, file)),
        1 => drop(parse::<Preparation>(text, file)),
        2 => drop(parse::<PreAssessment>(text, file)),
        3 => drop(parse::<Assessment>(text, file)),
        4 => drop(parse::<OptionsFile>(text, file)),
        5 => drop(parse::<Feasibility>(text, file)),
        6 => drop(parse::<Implementation>(text, file)),
        _ => drop(parse::<Continuous>(text, file)),
    }
}

/// The workbook reader: the bytes go through the guards and calamine, and every sheet
/// is read.
pub fn workbook(data: &[u8]) {
    let Ok(mut wb) = crate::load::workbook::Workbook::from_bytes(data.to_vec(), "fuzz.xlsx") else {
        return;
    };
    for name in wb.sheet_names().to_vec() {
        let _ = wb.cells(&name);
    }
}

/// The manifest parser, as a payload manifest and as a tag manifest.
pub fn manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::pack::parse_manifest_text(&text, "manifest-sha256.txt", true);
    let _ = crate::pack::parse_manifest_text(&text, "tagmanifest-sha256.txt", false);
}
