//! `cpaudit verify DOC.pdf --pack PACK`: proves that a PDF is a document of a pack.
//!
//! The proof is the bytes: the PDF's SHA-256 must be that of a document the pack holds
//! (a payload file under `data/outputs/`, as `manifest-sha256.txt` lists it), and the
//! pack itself must verify in full. A PDF that is not in the pack is said to be so.
//!
//! The evidence root the PDF states is read from its *parsed* metadata, never by
//! searching its bytes: the document information dictionary's `/Keywords` and the XMP
//! packet's `pdf:Keywords`, both of which Typst writes as the keywords of the document
//! joined by `", "`. cpaudit's templates put `evidence-root:<hex>` last, after the
//! audit's id, so the root is the last keyword, whatever the id holds (an id of
//! `x, evidence-root:<hex>` only adds an earlier keyword). The root found is reported,
//! and must equal the pack's: a pack whose documents state another root than its inputs
//! give was not built as it says.
//!
//! Reads are bounded: a FIFO, a device, a socket or a folder is refused without being
//! opened for reading, a file larger than [`PDF_BYTES`] without being read.

use super::verify::{OpenError, Problem, VerifyError, VerifyReport, open_plain};
use super::{Hashing, verify};
use crate::error::FileError;
use crate::load::limits::Limit;
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Why a PDF states no evidence root that can be read: it is not a PDF that can be
/// parsed (within bounds), or its metadata states none, or two. A reason, shown after the
/// file's name ("`x.pdf`: it is an encrypted PDF…"); the child process that parses a PDF
/// sends it back as JSON.
#[derive(Debug, thiserror::Error, Serialize, serde::Deserialize)]
pub enum MetadataError {
    /// It could nest deeper than the parser may go.
    #[error(
        "it could nest objects {depth} levels deep, more than the {max} cpaudit reads (a document cpaudit builds has tens of thousands at most)"
    )]
    TooDeep {
        /// Upper bound of its nesting.
        depth: usize,
        /// The most cpaudit reads.
        max: usize,
    },
    /// The thread or the child process that parses it could not be started.
    #[error("cannot start reading its metadata")]
    #[serde(skip)]
    Start(#[source] std::io::Error),
    /// The child process took too long.
    #[error("reading its metadata took longer than {0} s; it is not a PDF cpaudit wrote")]
    Timeout(u64),
    /// The child process died (its bounds of memory or time).
    #[error("it cannot be parsed as a PDF (the parser gave up: too large, too deep or damaged)")]
    GaveUp,
    /// It is encrypted.
    #[error("it is an encrypted PDF, which cpaudit never writes")]
    Encrypted,
    /// The parser refused it.
    #[error("it cannot be parsed as a PDF")]
    Unparsable,
    /// The parser panicked.
    #[error("it cannot be parsed as a PDF ({0})")]
    Panicked(String),
    /// The document information and the XMP packet disagree.
    #[error(
        "its metadata states two evidence roots: {info} in the document information and {xmp} in the XMP packet"
    )]
    TwoRoots {
        /// The root in the document information's Keywords.
        info: String,
        /// The root in the XMP packet's pdf:Keywords.
        xmp: String,
    },
    /// Neither states a root.
    #[error(
        "its metadata (the document information's Keywords and the XMP packet's pdf:Keywords) states no evidence root; was it built by cpaudit?"
    )]
    NoRoot,
}

/// Largest PDF `verify DOC.pdf` reads. The documents cpaudit builds are a few megabytes;
/// the file is read into memory once (hashed as it is read) to parse its metadata, so
/// this bounds the memory too.
pub const PDF_BYTES: Limit = Limit {
    name: "pdf-bytes",
    code: "limit::pdf-bytes",
    unit: "bytes",
    var: "CPAUDIT_MAX_PDF_BYTES",
    default: 64 << 20,
};

/// Largest compressed XMP stream decoded: a metadata packet is a few kilobytes, and a
/// compressed one could expand a thousandfold.
const MAX_XMP_COMPRESSED: usize = 64 << 10;

/// The outcome of checking a PDF against a pack.
#[derive(Debug, Clone, Serialize)]
pub struct PdfReport {
    /// The PDF, as given.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// The document of the pack whose bytes these are (`data/outputs/report.zh.pdf`).
    pub packed_as: Option<String>,
    /// The evidence root stated in the PDF's metadata.
    pub pdf_evidence_root: Option<String>,
    /// The verification of the pack.
    pub pack: VerifyReport,
    /// What is wrong with the PDF (the pack's own problems are in `pack`).
    pub problems: Vec<Problem>,
}

impl PdfReport {
    /// Whether the PDF is a document of the pack, the pack verifies, and the PDF states
    /// the pack's evidence root.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.pack.ok()
    }
}

/// Checks the PDF at `pdf` against the pack at `pack`. `Err` (a usage or I/O error) when
/// the PDF cannot be read or is refused unread (not a plain file, too large), or `pack`
/// is not a bag at all.
pub fn verify_pdf(pdf: &Path, pack: &Path) -> Result<PdfReport, VerifyError> {
    let (bytes, sha256) = read_pdf(pdf)?;
    let report = verify(pack)?;
    let file = pdf.display().to_string();
    let mut problems = Vec::new();
    let packed_as = report
        .documents
        .iter()
        .find(|d| d.sha256 == sha256)
        .map(|d| d.path.clone());
    if packed_as.is_none() {
        problems.push(Problem {
            path: file.clone(),
            kind: "not-in-pack",
            detail: format!(
                "its bytes (SHA-256 {sha256}) are not those of any document in the pack's {}",
                super::OUTPUTS
            ),
        });
    }
    let size = bytes.len() as u64;
    let pdf_evidence_root = match metadata_root(bytes) {
        Ok(root) => Some(root),
        Err(why) => {
            problems.push(Problem {
                path: file.clone(),
                kind: "no-evidence-root",
                detail: crate::error::chain(&why),
            });
            None
        }
    };
    if let Some(root) = &pdf_evidence_root
        && report.evidence_root.as_ref() != Some(root)
    {
        problems.push(Problem {
            path: file.clone(),
            kind: "evidence-root",
            detail: format!(
                "its metadata states the evidence root {root}, the pack's is {}",
                report.evidence_root.as_deref().unwrap_or("?")
            ),
        });
    }
    Ok(PdfReport {
        file,
        bytes: size,
        sha256,
        packed_as,
        pdf_evidence_root,
        pack: report,
        problems,
    })
}

/// Reads a PDF within [`PDF_BYTES`], hashing it as it is read: its bytes and SHA-256.
/// A FIFO, a device, a socket or a folder is refused without being read, and so is a
/// file larger than the limit. `Err` names the file.
pub fn read_pdf(path: &Path) -> Result<(Vec<u8>, String), VerifyError> {
    read_limited(path, true)
}

/// [`read_pdf`], following a link as the last component only when `follow` is set.
pub(crate) fn read_limited(path: &Path, follow: bool) -> Result<(Vec<u8>, String), VerifyError> {
    let limit = PDF_BYTES.get();
    let (file, len) = match open_plain(path, follow) {
        Ok(f) => f,
        Err(OpenError::Special(what)) => {
            return Err(VerifyError::Special {
                path: path.to_path_buf(),
                what,
            });
        }
        Err(OpenError::Io(e)) => return Err(FileError::new("read", path, e).into()),
    };
    let too_large = |len: u64| VerifyError::TooLarge {
        path: path.to_path_buf(),
        len,
        limit,
    };
    if len > limit {
        return Err(too_large(len));
    }
    // At most one byte past the limit is read: a file that grew since it was measured
    // is refused all the same.
    let mut sink = Hashing::new(Vec::with_capacity(usize::try_from(len).unwrap_or(0)));
    std::io::copy(&mut file.take(limit + 1), &mut sink).map_err(FileError::on("read", path))?;
    let (bytes, sha256) = sink.finish();
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, sha256))
}

/// The keywords of a PDF's metadata as Typst writes them: the document information
/// dictionary's `/Keywords` and the XMP packet's `pdf:Keywords`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Keywords {
    /// `/Keywords` of the document information dictionary, decoded.
    pub info: Option<String>,
    /// `pdf:Keywords` of the catalog's XMP metadata stream.
    pub xmp: Option<String>,
}

/// Stack given to the PDF parser per level of nesting it could meet. The parser
/// (hayro-syntax) recurses once per nested array or dictionary and once per level of the
/// page tree, with no limit of its own: measured at 65 bytes a level for arrays and
/// dictionaries and under 420 bytes for the page tree (debug build, dependencies at
/// opt-level 2, as in release).
const STACK_PER_LEVEL: usize = 1 << 10;

/// Most levels of nesting a PDF may have for its metadata to be read: a bound far above
/// any real document's (the sample's reports: about 33,000 by the count below) that
/// keeps the parser's stack within 256 MiB of address space.
const MAX_NESTING: usize = 256 << 10;

/// An upper bound of how deep the parser can recurse in `pdf`: every level opens an
/// array (`[`) or a dictionary (`<<`, which every page-tree node is), so the count of
/// those bytes bounds the depth wherever parsing starts, whatever the file says.
fn nesting_bound(pdf: &[u8]) -> usize {
    let brackets = memchr::memchr_iter(b'[', pdf).count();
    // Every `<` followed by `<`: overlapping pairs (`<<<`) count twice, which only
    // raises the bound.
    let dicts = memchr::memchr_iter(b'<', pdf)
        .filter(|&i| pdf.get(i + 1) == Some(&b'<'))
        .count();
    brackets + dicts
}

/// The program that parses PDFs in a child process, when set (see [`parse_pdfs_in_child`]).
static CHILD: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Longest a child process may take to read a PDF's metadata.
const CHILD_SECONDS: u64 = 30;

/// Address space a child may use beyond the PDF itself and the parser's stack.
const CHILD_HEADROOM: u64 = 320 << 20;

/// Makes [`keywords_of_pdf`] parse each PDF in a child process of `exe` (the cpaudit
/// binary, which answers `cpaudit verify - --pdf-keywords` with [`pdf_keywords_child`]),
/// bounded in address space, CPU and wall time. The PDF parser has no bound of its own
/// on the depth of a page tree, whose cost grows with the square of its depth (a 300 KB
/// file of 5,000 nested page-tree nodes takes 2.5 GB): in a child, a hostile PDF costs at
/// most the bound and is then "not a PDF that can be parsed". Without it (a library
/// caller, the tests), PDFs are parsed on a thread of this process.
pub fn parse_pdfs_in_child(exe: std::path::PathBuf) {
    let _ = CHILD.set(exe);
}

/// Parses a PDF and reads its keywords. `Err` when it is not a PDF that can be parsed.
/// Never panics, whatever the bytes, and never overflows its stack: the parser runs on a
/// thread whose stack is sized by [`nesting_bound`], and a file that could nest deeper
/// than [`MAX_NESTING`] is not parsed. In a child process when
/// [`parse_pdfs_in_child`] was called.
pub fn keywords_of_pdf(pdf: Vec<u8>) -> Result<Keywords, MetadataError> {
    let depth = nesting_bound(&pdf);
    if depth > MAX_NESTING {
        return Err(MetadataError::TooDeep {
            depth,
            max: MAX_NESTING,
        });
    }
    match CHILD.get() {
        Some(exe) => keywords_in_child(exe, pdf),
        None => keywords_on_thread(pdf, depth),
    }
}

/// The stack the parser gets for a bound of `depth` levels.
fn stack_for(depth: usize) -> usize {
    (8 << 20) + depth * STACK_PER_LEVEL
}

fn keywords_on_thread(pdf: Vec<u8>, depth: usize) -> Result<Keywords, MetadataError> {
    std::thread::Builder::new()
        .name("pdf-metadata".into())
        .stack_size(stack_for(depth))
        .spawn(move || parse_keywords(pdf))
        .map_err(MetadataError::Start)?
        .join()
        .unwrap_or(Err(MetadataError::Unparsable))
}

/// What a child answers: the keywords, or why there are none.
#[derive(Serialize, serde::Deserialize)]
enum Answer {
    Keywords(Keywords),
    Refused(MetadataError),
}

fn keywords_in_child(exe: &Path, pdf: Vec<u8>) -> Result<Keywords, MetadataError> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(exe)
        .args(["verify", "-", "--pdf-keywords"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(MetadataError::Start)?;
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&pdf);
        }
        drop(stdin);
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut answer = Vec::new();
        if let Some(out) = stdout {
            let _ = out.take(16 << 20).read_to_end(&mut answer);
        }
        answer
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(CHILD_SECONDS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let answer = reader.join().unwrap_or_default();
    let _ = writer.join();
    match status {
        None => Err(MetadataError::Timeout(CHILD_SECONDS)),
        Some(s) if !s.success() => Err(MetadataError::GaveUp),
        Some(_) => match serde_json::from_slice::<Answer>(&answer) {
            Ok(Answer::Keywords(k)) => Ok(k),
            Ok(Answer::Refused(why)) => Err(why),
            Err(_) => Err(MetadataError::Unparsable),
        },
    }
}

/// The child's side of [`parse_pdfs_in_child`]: reads a PDF (at most [`PDF_BYTES`]) on
/// standard input, bounds its own address space and CPU time, and prints its keywords
/// as JSON. Returns the exit status.
pub fn pdf_keywords_child() -> u8 {
    let mut pdf = Vec::new();
    let limit = PDF_BYTES.get();
    if std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut pdf)
        .is_err()
        || pdf.len() as u64 > limit
    {
        return 2;
    }
    let depth = nesting_bound(&pdf);
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let bytes = pdf.len() as u64 + stack_for(depth) as u64 + CHILD_HEADROOM;
        let cpu = CHILD_SECONDS;
        for (resource, value) in [(Resource::As, bytes), (Resource::Cpu, cpu)] {
            if setrlimit(
                resource,
                Rlimit {
                    current: Some(value),
                    maximum: Some(value),
                },
            )
            .is_err()
            {
                return 2;
            }
        }
    }
    let answer = if depth > MAX_NESTING {
        Answer::Refused(MetadataError::TooDeep {
            depth,
            max: MAX_NESTING,
        })
    } else {
        match keywords_on_thread(pdf, depth) {
            Ok(k) => Answer::Keywords(k),
            Err(why) => Answer::Refused(why),
        }
    };
    match serde_json::to_string(&answer) {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(_) => 2,
    }
}

fn parse_keywords(pdf: Vec<u8>) -> Result<Keywords, MetadataError> {
    crate::load::guard::quietly(move || {
        let pdf = hayro_syntax::Pdf::new(Arc::new(pdf)).map_err(|e| match e {
            hayro_syntax::LoadPdfError::Decryption(_) => MetadataError::Encrypted,
            hayro_syntax::LoadPdfError::Invalid => MetadataError::Unparsable,
        })?;
        let info = pdf.metadata().keywords.as_deref().map(decode_text_string);
        let xref = pdf.xref();
        let xmp = xref
            .get::<hayro_syntax::object::Dict<'_>>(xref.root_id())
            .and_then(|catalog| catalog.get::<hayro_syntax::object::Stream<'_>>(b"Metadata"))
            .and_then(|stream| {
                if !stream.filters().is_empty() && stream.raw_data().len() > MAX_XMP_COMPRESSED {
                    return None;
                }
                stream.decoded().ok().map(|d| d.into_owned())
            })
            .and_then(|xml| xmp_keywords(&String::from_utf8_lossy(&xml)));
        Ok(Keywords { info, xmp })
    })
    .unwrap_or_else(|panic| Err(MetadataError::Panicked(panic.to_string())))
}

/// The evidence root stated by a PDF's parsed metadata: the last keyword of the
/// document information dictionary and of the XMP packet, which must agree when both
/// are there. `Err` says why there is none.
pub fn metadata_root(pdf: Vec<u8>) -> Result<String, MetadataError> {
    let k = keywords_of_pdf(pdf)?;
    let info = k.info.as_deref().and_then(root_of_keywords);
    let xmp = k.xmp.as_deref().and_then(root_of_keywords);
    match (info, xmp) {
        (Some(info), Some(xmp)) if info != xmp => Err(MetadataError::TwoRoots { info, xmp }),
        (Some(r), _) | (None, Some(r)) => Ok(r),
        (None, None) => Err(MetadataError::NoRoot),
    }
}

/// The evidence root of a keyword list joined by `", "`: the last keyword, when it is
/// `evidence-root:` and 64 lower-case hex digits.
pub fn root_of_keywords(keywords: &str) -> Option<String> {
    let last = keywords.rsplit(", ").next()?.trim();
    let hex = last.strip_prefix("evidence-root:")?;
    (hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| hex.to_string())
}

/// A PDF text string: UTF-16BE or UTF-8 after their byte order marks, else
/// PDFDocEncoding (read as Latin-1, which it equals for the characters of a root).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// `pdf:Keywords` of an XMP packet, as an element or as an attribute of an
/// `rdf:Description`, with namespaces resolved (the prefix is free, the namespace not).
fn xmp_keywords(xml: &str) -> Option<String> {
    const PDF_NS: &str = "http://ns.adobe.com/pdf/1.3/";
    // The packet may be wrapped in `<?xpacket …?>` processing instructions, which an
    // XML parser takes as they are.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, options).ok()?;
    let mut found = None;
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.tag_name().namespace() == Some(PDF_NS) && node.tag_name().name() == "Keywords" {
            found = Some(node.text().unwrap_or("").to_string());
        }
        if let Some(a) = node
            .attributes()
            .find(|a| a.namespace() == Some(PDF_NS) && a.name() == "Keywords")
        {
            found = Some(a.value().to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn the_root_is_the_last_keyword_only() {
        let k = format!("cleaner production audit, CP-1, evidence-root:{ROOT}");
        assert_eq!(root_of_keywords(&k).as_deref(), Some(ROOT));
        // An id that smuggles a root in is an earlier keyword.
        let other = "f".repeat(64);
        let k = format!("cleaner production audit, x, evidence-root:{other}, evidence-root:{ROOT}");
        assert_eq!(root_of_keywords(&k).as_deref(), Some(ROOT));
        // Without cpaudit's last keyword there is no root, whatever comes before.
        let k = format!("cleaner production audit, x evidence-root:{ROOT}");
        assert_eq!(root_of_keywords(&k), None);
        assert_eq!(root_of_keywords(&format!("evidence-root:{ROOT}x")), None);
        assert_eq!(
            root_of_keywords(&format!("evidence-root:{}", ROOT.to_uppercase())),
            None
        );
    }

    #[test]
    fn text_strings_are_decoded() {
        let mut utf16 = vec![0xFE, 0xFF];
        for u in "审核, evidence-root:".encode_utf16() {
            utf16.extend(u.to_be_bytes());
        }
        assert_eq!(decode_text_string(&utf16), "审核, evidence-root:");
        assert_eq!(decode_text_string(b"abc"), "abc");
    }

    #[test]
    fn xmp_keywords_are_found_by_namespace() {
        let xmp = format!(
            r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:p="http://ns.adobe.com/pdf/1.3/"><p:Keywords>a &amp; b, evidence-root:{ROOT}</p:Keywords></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>"#
        );
        assert_eq!(
            xmp_keywords(&xmp).as_deref(),
            Some(format!("a & b, evidence-root:{ROOT}").as_str())
        );
        let wrong_ns = xmp.replace("http://ns.adobe.com/pdf/1.3/", "urn:other");
        assert_eq!(xmp_keywords(&wrong_ns), None);
    }

    #[test]
    fn text_is_not_a_pdf() {
        let text = format!("evidence-root:{ROOT}\n").into_bytes();
        assert!(metadata_root(text).is_err());
    }
}
