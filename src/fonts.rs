//! The bundled fonts, compiled into the binary so that every machine typesets the same
//! PDF: Noto Serif CJK SC and Noto Sans CJK SC (regular and bold, subset to the 8,105
//! characters of the 通用规范汉字表, all of GB 2312, every character of the bundled
//! profiles and templates, plus Latin and symbols) and a mono face for hashes.
//! See `fonts/README.md` for how they were made. The font book is built once per process.

use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The bundled font files' names, as in cpaudit's fonts/ folder (same order as `FILES`).
pub const FILE_NAMES: [&str; 5] = [
    "NotoSerifSC-Regular.otf",
    "NotoSerifSC-Bold.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansSC-Bold.otf",
    "NotoSansMonoSC-Regular.otf",
];

/// The fonts' licence (SIL Open Font License 1.1), shipped with every copy of them.
pub const LICENCE: &str = include_str!("../fonts/OFL.txt");

/// The bundled font files: (file name, bytes).
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    FILE_NAMES.into_iter().zip(FILES)
}

static FILES: [&[u8]; 5] = [
    include_bytes!("../fonts/NotoSerifSC-Regular.otf"),
    include_bytes!("../fonts/NotoSerifSC-Bold.otf"),
    include_bytes!("../fonts/NotoSansSC-Regular.otf"),
    include_bytes!("../fonts/NotoSansSC-Bold.otf"),
    include_bytes!("../fonts/NotoSansMonoSC-Regular.otf"),
];

/// The serif family used for body text.
pub const SERIF: &str = "Noto Serif CJK SC";
/// The sans family used for headings.
pub const SANS: &str = "Noto Sans CJK SC";
/// The mono family used for hashes and paths.
pub const MONO: &str = "Noto Sans Mono CJK SC";

/// The loaded fonts and their book.
pub struct FontSet {
    /// What Typst looks fonts up in.
    pub book: LazyHash<FontBook>,
    /// The fonts, indexed as in the book.
    pub fonts: Vec<Font>,
}

/// The bundled fonts, loaded on first use.
pub fn fonts() -> &'static FontSet {
    static SET: OnceLock<FontSet> = OnceLock::new();
    SET.get_or_init(|| {
        let fonts: Vec<Font> = FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        FontSet { book, fonts }
    })
}

/// Whether any bundled font has a glyph for `c`.
pub fn covers(c: char) -> bool {
    // Typst's `Coverage::contains` walks the runs of a font's coverage one by one; the
    // CJK subsets have thousands of runs and `check` asks for every character of the
    // audit, so the union of the fonts' coverage is turned into a bitmap once.
    static COVERED: OnceLock<Vec<u64>> = OnceLock::new();
    let bits = COVERED.get_or_init(|| {
        let mut bits = vec![0u64; (char::MAX as usize + 1).div_ceil(64)];
        for f in &fonts().fonts {
            for c in f.info().coverage.iter() {
                if let Some(word) = bits.get_mut(c as usize / 64) {
                    *word |= 1 << (c % 64);
                }
            }
        }
        bits
    });
    let c = c as usize;
    bits[c / 64] & (1 << (c % 64)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_families_are_present_in_both_weights() {
        let set = fonts();
        let families: Vec<&str> = set.book.families().map(|(name, _)| name).collect();
        for family in [SERIF, SANS, MONO] {
            assert!(
                families.contains(&family),
                "{family} missing from {families:?}"
            );
        }
        assert_eq!(set.fonts.len(), 5);
    }

    #[test]
    fn the_coverage_bitmap_agrees_with_the_fonts() {
        let slow = |c: char| {
            fonts()
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32))
        };
        for c in "清洁生产审核报告 Aé0≤℃³①，“” 𠀀\u{E000}\u{10FFFF}\u{7}龘".chars()
        {
            assert_eq!(covers(c), slow(c), "{c:?}");
        }
    }

    /// The four CJK faces, parsed from their bytes by ttf-parser: the cmap itself, not
    /// Typst's reading of it.
    fn cjk_faces() -> Vec<(&'static str, ttf_parser::Face<'static>)> {
        files()
            .filter(|(name, _)| !name.contains("Mono"))
            .map(|(name, data)| {
                let face = ttf_parser::Face::parse(data, 0)
                    .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
                (name, face)
            })
            .collect()
    }

    /// The characters no CJK face has a glyph for, each with the faces that lack it.
    fn lacking(chars: impl IntoIterator<Item = char>) -> Vec<(char, Vec<&'static str>)> {
        let faces = cjk_faces();
        assert_eq!(faces.len(), 4);
        chars
            .into_iter()
            .filter_map(|c| {
                let without: Vec<&str> = faces
                    .iter()
                    .filter(|(_, f)| f.glyph_index(c).is_none())
                    .map(|(n, _)| *n)
                    .collect();
                (!without.is_empty()).then_some((c, without))
            })
            .collect()
    }

    /// GB 2312-1980 enumerated through encoding_rs's GBK decoder (the WHATWG index):
    /// rows 1–9 (symbols) and 16–87 (hanzi), cells 1–94, leaving out what GBK and
    /// GB 18030 added in those rows (ⅰ–ⅹ at A2A1–A2AA, € at A2E3, vertical forms at
    /// A6D9–A6F5, pinyin letters at A8BB–A8C0) and the cells mapped to the Private Use
    /// Area (unassigned in GB 2312).
    fn gb2312() -> Vec<(u8, u8, char)> {
        let gbk_additions = |hi: u8, lo: u8| {
            matches!(
                (hi, lo),
                (0xA2, 0xA1..=0xAA | 0xE3) | (0xA6, 0xD9..=0xF5) | (0xA8, 0xBB..=0xC0)
            )
        };
        let mut out = Vec::new();
        for row in (1..=9u8).chain(16..=87) {
            for cell in 1..=94u8 {
                let (hi, lo) = (0xA0 + row, 0xA0 + cell);
                if gbk_additions(hi, lo) {
                    continue;
                }
                let bytes = [hi, lo];
                let Some(text) =
                    encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes)
                else {
                    continue;
                };
                let mut chars = text.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else {
                    panic!("{hi:02X}{lo:02X} decodes to {text:?}");
                };
                if !('\u{E000}'..='\u{F8FF}').contains(&c) {
                    out.push((row, cell, c));
                }
            }
        }
        out
    }

    #[test]
    fn every_gb2312_character_has_a_glyph() {
        let gb = gb2312();
        let symbols = gb.iter().filter(|(r, _, _)| *r <= 9).count();
        let hanzi = gb.iter().filter(|(r, _, _)| *r >= 16).count();
        // GB 2312's own counts: 682 symbols and 6,763 hanzi.
        assert_eq!((symbols, hanzi), (682, 6763));
        // Row 1 cells 4 and 10 are mapped to ・ and ― by other tables (Python's codec).
        let chars = gb
            .iter()
            .map(|(_, _, c)| *c)
            .chain(['\u{30FB}', '\u{2015}']);
        let missing = lacking(chars);
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        // Characters that were missing before GB 2312 was added to the subsets.
        for c in "磺矽醣砩".chars() {
            assert!(gb.iter().any(|(_, _, x)| *x == c), "{c} is GB 2312");
        }
    }

    /// Every character of the files under `dir` (recursively), with the first file it is
    /// in; whitespace and control characters aside.
    fn characters_of(dir: &std::path::Path, out: &mut std::collections::BTreeMap<char, String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                characters_of(&path, out);
            } else {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                for c in text
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                {
                    out.entry(c).or_insert_with(|| path.display().to_string());
                }
            }
        }
    }

    #[test]
    fn bundled_data_has_glyphs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut chars = std::collections::BTreeMap::new();
        characters_of(&root.join("profiles"), &mut chars);
        characters_of(&root.join("templates"), &mut chars);
        assert!(
            chars.contains_key(&'磺'),
            "氨基磺酸镍 is in the electroplating profile"
        );
        assert!(chars.len() > 900, "{} characters", chars.len());
        let missing: Vec<String> = lacking(chars.keys().copied())
            .into_iter()
            .map(|(c, fonts)| {
                format!(
                    "{c} U+{:04X} (in {}, not in {fonts:?})",
                    c as u32, chars[&c]
                )
            })
            .collect();
        assert!(
            missing.is_empty(),
            "characters of the bundled profiles and templates without a glyph; run fonts/make-fonts.sh:\n{}",
            missing.join("\n")
        );
        // The bitmap `check` uses agrees.
        assert!(chars.keys().all(|c| covers(*c)));
    }

    #[test]
    fn common_characters_are_covered() {
        for c in "清洁生产审核报告 Cleaner production 0123456789 ≤≥±×℃ m³ ①，。：；“”".chars()
        {
            assert!(c == ' ' || covers(c), "no glyph for {c:?}");
        }
    }
}
