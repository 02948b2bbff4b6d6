//! Evidence: every evidence file the narratives cite exists inside the audit folder, and
//! every evidence file's name can go into the BagIt pack as it is.

use super::{ASSESS, AUDIT, IMPL, PREP};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::BTreeSet;

/// The evidence references, then the evidence files' names.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    let files: BTreeSet<&str> = audit.evidence_files.iter().map(String::as_str).collect();
    let mut refs: Vec<(&Spanned<String>, &str)> = Vec::new();
    refs.extend(audit.meta.evidence.iter().map(|e| (&e.path, AUDIT)));
    for t in &audit.preparation.training {
        refs.extend(t.evidence.iter().map(|e| (e, PREP)));
    }
    refs.extend(
        audit
            .assessment
            .measurement
            .evidence
            .iter()
            .map(|e| (e, ASSESS)),
    );
    for r in &audit.implementation.results {
        refs.extend(r.evidence.iter().map(|e| (e, IMPL)));
    }
    for (r, file) in refs {
        if let Err(m) = crate::load::resolve(&audit.root, &r.value) {
            d.push(Diagnostic::error("evidence::path", m).at(Place::yaml(file, &r.referenced)));
        } else if !files.contains(r.value.as_str()) {
            let near = crate::diag::suggest(&r.value, files.iter().copied());
            d.push(
                Diagnostic::error("evidence::missing", format!("evidence file `{}` does not exist", crate::load::names::escape(&r.value)))
                    .at(Place::yaml(file, &r.referenced))
                    .help(match near {
                        Some(n) => format!("did you mean `{}`?", crate::load::names::escape(n)),
                        None => "put the file under evidence/ and refer to it by its path from the audit folder".into(),
                    }),
            );
        }
    }
    // A problem in a folder's name is reported once for the folder, not for each file.
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for f in &audit.evidence_files {
        let Some(problem) = unsafe_name(f) else {
            continue;
        };
        let parts: Vec<&str> = f.split('/').collect();
        let bad = parts
            .iter()
            .position(|p| unsafe_name(p).is_some())
            .unwrap_or(parts.len() - 1);
        let (path, what, problem) = if bad + 1 < parts.len() {
            let folder = parts[..=bad].join("/");
            if !folders.insert(folder.clone()) {
                continue;
            }
            let problem = unsafe_name(parts[bad]).unwrap_or(problem);
            (folder, "evidence folder name", problem)
        } else {
            (f.clone(), "evidence file name", problem)
        };
        let shown = crate::load::names::escape(&path);
        let help = if shown != path {
            format!(
                "rename it without the invisible characters, e.g. to `{}`; a name must show what the file is, in the report and in the evidence pack",
                crate::load::names::cleaned(&path)
            )
        } else {
            "rename the file with letters, digits, `-`, `_` and `.` (Chinese characters are fine); its hash is listed by name in the evidence pack".to_string()
        };
        d.push(
            Diagnostic::error("evidence::name", format!("{what} `{shown}` {problem}"))
                .at(Place::File { path: shown })
                .help(help),
        );
    }
}

/// Why a file name cannot go into the evidence pack safely, if it cannot: a line
/// break, an invisible or control character (named with its code point), `%`, `\\`,
/// or a form other than Unicode NFC.
pub fn unsafe_name(name: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    if name.chars().any(|c| c == '\r' || c == '\n') {
        Some("contains a line break".into())
    } else if let Some(c) = name
        .chars()
        .find(|c| crate::load::names::invisible(*c).is_some())
    {
        Some(format!(
            "contains {}, an invisible character that can disguise a name (shown here as `\\u{{{:04X}}}`)",
            crate::load::names::describe(c),
            c as u32
        ))
    } else if name.contains('%') {
        Some("contains `%`, which BagIt tools read differently".into())
    } else if name.contains('\\') {
        Some("contains `\\`".into())
    } else if name.nfc().collect::<String>() != name {
        Some("is not in Unicode NFC form (it was probably made on a Mac)".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_names_must_be_safe() {
        assert_eq!(unsafe_name("evidence/监测报告.pdf"), None);
        assert!(unsafe_name("evidence/100%.pdf").is_some());
        assert!(unsafe_name("evidence/a\nb.pdf").is_some());
        assert!(unsafe_name("evidence/cafe\u{301}.pdf").is_some());
    }
}
