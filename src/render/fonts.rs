//! The bundled fonts, compiled into the binary so that every machine typesets the same
//! PDF: Noto Serif CJK SC and Noto Sans CJK SC (regular and bold, subset to the 8,105
//! characters of the 通用规范汉字表 plus Latin and symbols) and a mono face for hashes.
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
pub const LICENCE: &str = include_str!("../../fonts/OFL.txt");

/// The bundled font files: (file name, bytes).
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    FILE_NAMES.into_iter().zip(FILES)
}

static FILES: [&[u8]; 5] = [
    include_bytes!("../../fonts/NotoSerifSC-Regular.otf"),
    include_bytes!("../../fonts/NotoSerifSC-Bold.otf"),
    include_bytes!("../../fonts/NotoSansSC-Regular.otf"),
    include_bytes!("../../fonts/NotoSansSC-Bold.otf"),
    include_bytes!("../../fonts/NotoSansMonoSC-Regular.otf"),
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

    #[test]
    fn common_characters_are_covered() {
        for c in "清洁生产审核报告 Cleaner production 0123456789 ≤≥±×℃ m³ ①，。：；“”".chars()
        {
            assert!(c == ' ' || covers(c), "no glyph for {c:?}");
        }
    }
}
