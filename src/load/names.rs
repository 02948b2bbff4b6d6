//! File names that cannot be trusted to show what they are: invisible and control
//! characters, bidirectional overrides, bytes that are not UTF-8.
//!
//! `invoice\u{202E}fdp.exe` is shown by most programs as `invoiceexe.pdf`; a zero-width
//! space makes two names that look the same; a name that is not UTF-8 cannot be written
//! in a manifest at all. Such names are shown escaped (`\u{202E}`, `\xFF`), never raw,
//! so that a message cannot be disguised by the name it reports.

use std::ffi::OsStr;

/// The name of a character that is invisible or changes how the text around it is
/// shown (a bidirectional control, a zero-width or other format character, a control
/// character, a filler, a variation selector), or `None` for an ordinary character.
pub fn invisible(c: char) -> Option<&'static str> {
    let name = match c as u32 {
        0x00 => "NULL",
        0x09 => "CHARACTER TABULATION",
        0x0A => "LINE FEED",
        0x0D => "CARRIAGE RETURN",
        0x1B => "ESCAPE",
        0x01..=0x1F => "a control character",
        0x7F => "DELETE",
        0x85 => "NEXT LINE",
        0x80..=0x9F => "a C1 control character",
        0xAD => "SOFT HYPHEN",
        0x034F => "COMBINING GRAPHEME JOINER",
        0x061C => "ARABIC LETTER MARK",
        0x115F => "HANGUL CHOSEONG FILLER",
        0x1160 => "HANGUL JUNGSEONG FILLER",
        0x17B4 => "KHMER VOWEL INHERENT AQ",
        0x17B5 => "KHMER VOWEL INHERENT AA",
        0x180B..=0x180D | 0x180F => "a MONGOLIAN FREE VARIATION SELECTOR",
        0x180E => "MONGOLIAN VOWEL SEPARATOR",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x2028 => "LINE SEPARATOR",
        0x2029 => "PARAGRAPH SEPARATOR",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2061 => "FUNCTION APPLICATION",
        0x2062 => "INVISIBLE TIMES",
        0x2063 => "INVISIBLE SEPARATOR",
        0x2064 => "INVISIBLE PLUS",
        0x2065 => "an unassigned format character",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0x206A..=0x206F => "a deprecated format character",
        0x2800 => "BRAILLE PATTERN BLANK",
        0x3164 => "HANGUL FILLER",
        0xFE00..=0xFE0F | 0xE0100..=0xE01EF => "a VARIATION SELECTOR",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)",
        0xFFA0 => "HALFWIDTH HANGUL FILLER",
        0xFFF9..=0xFFFB => "an INTERLINEAR ANNOTATION character",
        0x1BCA0..=0x1BCA3 => "a SHORTHAND FORMAT control",
        0x1D173..=0x1D17A => "a MUSICAL SYMBOL format character",
        0xE0000..=0xE007F => "a TAG character",
        0xFDD0..=0xFDEF => "a noncharacter",
        n if n & 0xFFFE == 0xFFFE => "a noncharacter",
        _ => return None,
    };
    Some(name)
}

/// `U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its name.
pub fn describe(c: char) -> String {
    match invisible(c) {
        Some(name) if name.starts_with(|c: char| c.is_lowercase()) => {
            format!("U+{:04X} ({name})", c as u32)
        }
        Some(name) => format!("U+{:04X} {name}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

/// A name with every invisible or control character written as `\u{XXXX}`, so that
/// it shows what it is.
pub fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if invisible(c).is_some() {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A file name as bytes, escaped: valid UTF-8 as in [`escape`], each byte that is
/// not UTF-8 as `\xFF`.
pub fn escape_os(name: &OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(&escape(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// The name with its invisible and control characters removed: the rename to suggest.
pub fn cleaned(name: &str) -> String {
    name.chars().filter(|c| invisible(*c).is_none()).collect()
}

/// What a file is when its name shows that the system or an office program wrote it,
/// not a person: an Office owner (lock) file (`~$报告.docx`), a LibreOffice lock file
/// (`.~lock.报告.docx#`), Windows' thumbnail cache (`Thumbs.db`) and folder settings
/// (`desktop.ini`), macOS's folder settings (`.DS_Store`). Such files appear in a folder
/// while a document is open or a folder is browsed; they are no evidence, and hashing
/// one would make the pack depend on which program had the folder open. `None` for any
/// other name (the last component only).
pub fn system_file(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if name.starts_with("~$") {
        Some("an Office lock file")
    } else if name.starts_with(".~lock.") && name.ends_with('#') {
        Some("a LibreOffice lock file")
    } else if lower == "thumbs.db" || lower == "ehthumbs.db" {
        Some("a Windows thumbnail cache")
    } else if lower == "desktop.ini" {
        Some("a Windows folder settings file")
    } else if name == ".DS_Store" {
        Some("a macOS folder settings file")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_files_are_told_from_evidence() {
        for name in [
            "~$监测报告.docx",
            ".~lock.监测报告.xlsx#",
            "Thumbs.db",
            "thumbs.db",
            ".DS_Store",
            "desktop.ini",
            "Desktop.ini",
        ] {
            assert!(system_file(name).is_some(), "{name}");
        }
        for name in [
            "监测报告.docx",
            "~监测报告.docx",
            ".~lock.x",
            "Thumbs.db.pdf",
            "my-desktop.ini",
            ".DS_Store.txt",
        ] {
            assert!(system_file(name).is_none(), "{name}");
        }
    }

    #[test]
    fn bidi_and_invisible_characters_are_named_and_escaped() {
        let name = "evidence/invoice\u{202E}fdp.exe";
        assert_eq!(escape(name), "evidence/invoice\\u{202E}fdp.exe");
        assert_eq!(describe('\u{202E}'), "U+202E RIGHT-TO-LEFT OVERRIDE");
        assert_eq!(describe('\u{7}'), "U+0007 (a control character)");
        assert_eq!(cleaned(name), "evidence/invoicefdp.exe");
        for c in [
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{0}',
            '\u{1F}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{AD}',
            '\u{E0041}',
            '\u{FE0F}',
            '\u{FFFF}',
        ] {
            assert!(invisible(c).is_some(), "U+{:04X}", c as u32);
        }
        for c in [
            'a', '监', '测', '报', '告', ' ', '\u{3000}', '-', '（', '·', 'é',
        ] {
            assert!(invisible(c).is_none(), "U+{:04X}", c as u32);
        }
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"bad\xFF\xFEname\xE2\x80\xAE.txt");
        assert_eq!(escape_os(name), "bad\\xFF\\xFEname\\u{202E}.txt");
    }
}
