//! `cpaudit init`: a new audit folder.

use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit init DIR [--industry …]`.
pub fn run(dir: PathBuf, industry: cpaudit::init::Industry) -> ExitCode {
    match cpaudit::init::init(&dir, industry, cpaudit::init::today()) {
        Ok(files) => {
            eprintln!("Wrote a new audit into {}:", dir.display());
            for f in files {
                eprintln!("  {f}");
            }
            eprintln!(
                "Next: edit the files (every （待填写）/(to be completed) is a placeholder), then `cpaudit check {0}` and `cpaudit build {0}`.",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
