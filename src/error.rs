//! Typed errors for what goes wrong outside the audit's contents: a file that cannot be
//! read or written, an output folder that is not cpaudit's. Each carries the path it is
//! about and its cause (`source()`), so that the command line can say which file and
//! why, as text or as JSON; [`chain`] joins an error and its causes into one line.

use std::path::{Path, PathBuf};

/// A file-system operation on a path failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} `{}`", path.display())]
pub struct FileError {
    /// What cpaudit was doing: `read`, `write`, `create`, `copy`…
    pub action: &'static str,
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

impl FileError {
    /// `cannot {action} `{path}``, caused by `source`.
    pub fn new(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        FileError {
            action,
            path: path.into(),
            source,
        }
    }

    /// A closure for `map_err`: `.map_err(FileError::on("read", &path))`.
    pub fn on(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        move |source| FileError::new(action, path, source)
    }
}

/// An error and its causes, joined by `: ` (`cannot write `x`: Permission denied`), for a
/// one-line message.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let next = c.to_string();
        // A wrapper that repeats its cause's text (`#[error(transparent)]` does not, but
        // a foreign error may) is not said twice.
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_names_the_path_and_its_cause() {
        let e = FileError::new(
            "write",
            "build/report.zh.pdf",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied"),
        );
        assert_eq!(e.to_string(), "cannot write `build/report.zh.pdf`");
        assert_eq!(
            chain(&e),
            "cannot write `build/report.zh.pdf`: Permission denied"
        );
        assert!(std::error::Error::source(&e).is_some());
    }
}
