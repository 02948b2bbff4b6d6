//! Guards run on a workbook's bytes before calamine sees them.
//!
//! calamine trusts its input more than a regulator can: it has no bound on how far a
//! zip entry decompresses, the .xls and .ods readers build every sheet as a dense grid
//! when the file is opened (a few kilobytes can ask for gigabytes), a shared-string
//! count in the XML sizes an allocation, and a malformed .xls can make it index out of
//! bounds. So a workbook is read here first, in bounded memory and time:
//!
//! - the format is found from the content, not the name (a text file named `.xlsx` is
//!   refused as text);
//! - .xlsx and .ods: the zip archive's entries are counted (before the archive is even
//!   parsed), their declared sizes summed, and then every entry is really decompressed
//!   through [`Read::take`] with the remaining budget, because declared sizes can lie;
//!   declared shared-string counts are checked, and the .ods `content.xml` is walked the
//!   way calamine walks it to bound the grid it will build;
//! - .xls: the Workbook stream is read from the compound file and walked record by
//!   record, the way calamine does, to bound the grids, the cells and the text; then it
//!   is re-wrapped in a fresh compound file, so that calamine parses exactly the stream
//!   that was checked.
//!
//! calamine then opens the checked bytes from memory. Any panic inside it is caught by
//! [`quietly`] and becomes a diagnostic. Limits are in [`super::limits`].

use super::limits::{self, Limit};
use crate::diag::Diagnostic;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};

/// The workbook formats cpaudit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (.xlsx, .xlsm): a zip archive.
    Xlsx,
    /// Excel 97–2003 (.xls): BIFF records in a compound file.
    Xls,
    /// OpenDocument spreadsheet (.ods): a zip archive.
    Ods,
}

/// A workbook whose bytes passed the guards: its format and the bytes calamine may
/// open.
#[derive(Debug)]
pub struct Checked {
    /// The format found from the content.
    pub format: Format,
    /// The bytes to open (for .xls, the checked stream re-wrapped).
    pub bytes: Vec<u8>,
}

/// A diagnostic for a limit that was exceeded, with the way to raise it.
pub fn over_limit(limit: &Limit, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(limit.code, message).help(limit.how_to_raise())
}

/// A diagnostic for a file that is not a readable workbook.
pub fn damaged(message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "workbook::damaged",
        format!("the file is damaged or is not a workbook: {message}"),
    )
    .help("open it in Excel or LibreOffice and save it again as .xlsx (or .ods)")
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Checks a workbook's bytes against the limits and finds its format.
pub fn check(bytes: Vec<u8>) -> Result<Checked, Diagnostic> {
    let max = limits::WORKBOOK_BYTES.get();
    if bytes.len() as u64 > max {
        return Err(over_limit(
            &limits::WORKBOOK_BYTES,
            format!(
                "the workbook is {} bytes, more than the limit of {max} bytes",
                bytes.len()
            ),
        ));
    }
    if bytes.is_empty() {
        return Err(damaged("it is empty (0 bytes)"));
    }
    if bytes.starts_with(&CFB_MAGIC) {
        let bytes = check_xls(&bytes)?;
        return Ok(Checked {
            format: Format::Xls,
            bytes,
        });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let format = check_zip(&bytes)?;
        return Ok(Checked { format, bytes });
    }
    Err(damaged(describe_unknown(&bytes)))
}

/// What a file that is neither a zip archive nor a compound file looks like.
fn describe_unknown(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // A multi-byte character cut at the 4096th byte is still text.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    match text {
        Some(t) if t.trim().is_empty() => "it holds only white space".into(),
        Some(t) if t.trim_start().starts_with('<') => {
            "it is an XML or HTML text file, not a workbook (an \"Excel\" export from a web page?)"
                .into()
        }
        Some(t) if t.contains(',') || t.contains('\t') || t.contains(';') => {
            "it is a text file (CSV?), not a workbook; open it in Excel or LibreOffice and save it as .xlsx".into()
        }
        Some(_) => "it is a text file, not a workbook".into(),
        None => "its content is neither an .xlsx/.ods (zip) nor an .xls (compound file)".into(),
    }
}

// ---------------------------------------------------------------- panics

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Why the XML of a workbook, or the records of an .xls, cannot be scanned: the detail
/// of a `workbook::damaged` diagnostic.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The XML is not well formed.
    #[error(transparent)]
    Xml(#[from] quick_xml::Error),
    /// An attribute is not well formed.
    #[error(transparent)]
    Attr(#[from] quick_xml::events::attributes::AttrError),
    /// A count that is not a number.
    #[error("`{key}` is not a number: \"{value}\"")]
    NotANumber {
        /// The attribute.
        key: String,
        /// Its value.
        value: String,
    },
    /// A shared-string table that declares more strings than it can hold.
    #[error("the shared-string table declares {0} strings, more than its size allows")]
    TooManyStrings(u64),
    /// Something other than a cell inside a row.
    #[error("expected a table cell, found {0}")]
    Unexpected(String),
    /// A BIFF record longer than what is left of the stream.
    #[error("record {0:#06x} is cut short")]
    RecordCutShort(u16),
    /// A structure that ends early or overlaps, as said.
    #[error("{0}")]
    Damaged(&'static str),
}

/// A panic caught by [`quietly`]: its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Panic(pub String);

/// Runs `f`, turning a panic into `Err(message)` without printing it. For calling
/// calamine, which can still index out of bounds on a malformed file.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        Panic(
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an internal error".into()),
        )
    })
}

// ------------------------------------------------------------------- zip

/// A reader that counts the bytes read through it.
struct Counter<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// Occurrences of the central-directory header signature: an upper bound on the
/// entries of the archive, found before the archive is parsed.
fn central_headers(bytes: &[u8]) -> u64 {
    memchr::memmem::find_iter(bytes, b"PK\x01\x02").count() as u64
}

fn check_zip(bytes: &[u8]) -> Result<Format, Diagnostic> {
    let max_entries = limits::WORKBOOK_ENTRIES.get();
    let too_many = |n: u64| {
        over_limit(
            &limits::WORKBOOK_ENTRIES,
            format!(
                "the workbook's zip archive has {n} entries, more than the limit of {max_entries}"
            ),
        )
    };
    let headers = central_headers(bytes);
    if headers > max_entries {
        return Err(too_many(headers));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        damaged(format!(
            "its zip archive cannot be read ({e}); was it cut short?"
        ))
    })?;
    if zip.len() as u64 > max_entries {
        return Err(too_many(zip.len() as u64));
    }
    let format = zip_format(&mut zip)?;

    let max = limits::WORKBOOK_UNPACKED.get();
    let unpacked_too_big = |what: String| {
        over_limit(
            &limits::WORKBOOK_UNPACKED,
            format!("the workbook {what}, more than the limit of {max} bytes (a zip bomb?)"),
        )
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| damaged(format!("entry {i}: {e}")))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > max {
        return Err(unpacked_too_big(format!(
            "declares {declared} bytes when unpacked"
        )));
    }

    // Declared sizes can lie: decompress every entry, up to what is left of the budget.
    let mut total = 0u64;
    let mut ods_tally = Tally::default();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| damaged(format!("entry {i}: {e}")))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {i}"));
        let budget = max - total;
        let mut counter = Counter {
            inner: (&mut entry).take(budget + 1),
            n: 0,
        };
        let scanned: Result<(), ScanError> = if format == Format::Ods && name == "content.xml" {
            scan_ods(BufReader::new(&mut counter), &mut ods_tally)
        } else if format == Format::Xlsx && name.to_ascii_lowercase().ends_with("sharedstrings.xml")
        {
            scan_shared_string_count(BufReader::new(&mut counter), max)
        } else {
            Ok(())
        };
        // Read what the scan left, to count the entry's real size.
        let drained = io::copy(&mut counter, &mut io::sink());
        total += counter.n;
        if total > max {
            return Err(unpacked_too_big(format!(
                "unpacks to more than {max} bytes (at entry `{name}`)"
            )));
        }
        drained.map_err(|e| damaged(format!("entry `{name}` cannot be decompressed: {e}")))?;
        scanned.map_err(|e| damaged(format!("`{name}`: {e}")))?;
    }
    if format == Format::Ods {
        ods_tally.check()?;
    }
    Ok(format)
}

/// Tells an .xlsx from an .ods from other zip archives.
fn zip_format(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Format, Diagnostic> {
    if let Ok(mut m) = zip.by_name("mimetype") {
        let mut head = Vec::new();
        m.by_ref()
            .take(256)
            .read_to_end(&mut head)
            .map_err(|e| damaged(format!("`mimetype` cannot be read: {e}")))?;
        if head.starts_with(ODS_MIMETYPE) {
            return Ok(Format::Ods);
        }
        if head.starts_with(b"application/vnd.oasis.opendocument") {
            return Err(damaged(
                "it is an OpenDocument file but not a spreadsheet (a text document?)",
            ));
        }
    }
    if zip.index_for_name("xl/workbook.xml").is_some() {
        return Ok(Format::Xlsx);
    }
    if zip.index_for_name("xl/workbook.bin").is_some() {
        return Err(damaged(
            "it is an Excel binary workbook (.xlsb), which cpaudit does not read; save it as .xlsx",
        ));
    }
    if zip.index_for_name("word/document.xml").is_some() {
        return Err(damaged(
            "it is a Word document, not a workbook; save the table as .xlsx",
        ));
    }
    Err(damaged(
        "it is a zip archive without `xl/workbook.xml` or an OpenDocument spreadsheet `mimetype`",
    ))
}

/// calamine reserves room for the `uniqueCount` an .xlsx's shared-string table
/// declares (on the first `sst` element, as here). A real table cannot hold more
/// strings than an eighth of the unpacked budget in bytes (each `<si><t/></si>` takes
/// 13), so a larger count is a lie meant to make the reader allocate terabytes.
fn scan_shared_string_count<R: BufRead>(r: R, max_unpacked: u64) -> Result<(), ScanError> {
    let mut reader = xml_reader(r);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sst" => {
                let count = attr(&e, "uniqueCount")?.and_then(|v| declared_count(&v));
                return match count {
                    Some(n) if n > max_unpacked / 8 => Err(ScanError::TooManyStrings(n)),
                    _ => Ok(()),
                };
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
}

/// A declared count as calamine reads it: digits, leading zeros skipped; `None` when
/// it is not a number (calamine then reserves nothing).
fn declared_count(v: &str) -> Option<u64> {
    let digits = v.trim_start_matches('0');
    if digits.is_empty() {
        return (!v.is_empty()).then_some(0);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

// ------------------------------------------------------------------- ods

/// What an .ods will cost calamine: the cells of its rows before and after the
/// expansion of repeated rows and columns, and the text in them.
#[derive(Debug, Default)]
struct Tally {
    /// Cells of the rows as read (before row repeats), all tables.
    read: u64,
    /// Cells of the dense grids built, all tables.
    area: u64,
    /// Bytes of text, counted once per cell that holds it.
    text: u64,
}

impl Tally {
    fn check(&self) -> Result<(), Diagnostic> {
        let area = limits::SHEET_AREA.get();
        let cells = self.area.max(self.read);
        if cells > area {
            return Err(over_limit(
                &limits::SHEET_AREA,
                format!(
                    "the sheets' used ranges span {cells} cells, more than the limit of {area} (rows × columns of the range from the first to the last filled cell, repeated rows and columns included)"
                ),
            ).help(format!(
                "delete the unused rows and columns after the data (a cell far away in the sheet makes the whole range count); {}",
                limits::SHEET_AREA.how_to_raise()
            )));
        }
        let text = limits::WORKBOOK_TEXT.get();
        if self.text > text {
            return Err(over_limit(
                &limits::WORKBOOK_TEXT,
                format!(
                    "the cells hold {} bytes of text when expanded, more than the limit of {text} bytes",
                    self.text
                ),
            ));
        }
        Ok(())
    }
}

const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

fn xml_reader<R: BufRead>(r: R) -> quick_xml::Reader<R> {
    // The same configuration as calamine's, so that both see the same events.
    let mut reader = quick_xml::Reader::from_reader(r);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// The first value of an attribute, raw.
fn attr(e: &BytesStart<'_>, key: &str) -> Result<Option<String>, ScanError> {
    for a in e.attributes().with_checks(false) {
        let a = a?;
        if a.key.as_ref() == key {
            return Ok(Some(a.value.to_string()));
        }
    }
    Ok(None)
}

fn attr_number(e: &BytesStart<'_>, key: &str) -> Result<u64, ScanError> {
    match attr(e, key)? {
        None => Ok(1),
        Some(v) => v.trim().parse::<u64>().map_err(|_| ScanError::NotANumber {
            key: key.to_string(),
            value: v,
        }),
    }
}

/// Walks an .ods `content.xml` the way calamine's reader does (`parse_content`,
/// `read_table`, `read_row`, `get_datatype`) and tallies the grids it will build.
fn scan_ods<R: BufRead>(r: R, tally: &mut Tally) -> Result<(), ScanError> {
    let mut reader = xml_reader(r);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                if attr(&e, "table:name")?.is_some() {
                    scan_table(&mut reader, tally)?;
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
}

/// One row as calamine reads it.
struct Row {
    /// Cells pushed (the row's length).
    len: u64,
    /// First and last position of a cell with content.
    filled: Option<(u64, u64)>,
    /// Text of the row.
    text: u64,
}

fn scan_table<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    tally: &mut Tally,
) -> Result<(), ScanError> {
    let mut buf = Vec::new();
    let mut total_rows = 0u64;
    // Rows (with repeats) from the first filled row up to the current one, and up to
    // the last filled one; the extent of filled columns.
    let mut since_first: Option<u64> = None;
    let mut rows_spanned = 0u64;
    let mut col_min = u64::MAX;
    let mut col_max = 0u64;
    let mut text = 0u64;
    let mut read = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let repeats = attr_number(&e, "table:number-rows-repeated")?;
                let repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(total_rows));
                total_rows += repeats;
                let row = scan_row(reader)?;
                read = read.saturating_add(row.len);
                text = text.saturating_add(row.text);
                if let Some(n) = since_first.as_mut() {
                    *n = n.saturating_add(repeats);
                }
                if let Some((first, last)) = row.filled {
                    let n = since_first.get_or_insert(repeats);
                    rows_spanned = *n;
                    col_min = col_min.min(first);
                    col_max = col_max.max(last);
                    text = text.saturating_add(row.text.saturating_mul(repeats));
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => break,
            // calamine would wait for the end of the table forever.
            Ok(Event::Eof) => return Err(ScanError::Damaged("the file ends inside a table")),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
    if since_first.is_some() {
        let width = col_max + 1 - col_min;
        tally.area = tally
            .area
            .saturating_add(rows_spanned.saturating_mul(width));
    }
    tally.read = tally.read.saturating_add(read);
    tally.text = tally.text.saturating_add(text);
    Ok(())
}

fn is_cell(name: QName<'_>) -> bool {
    name == QName("table:table-cell") || name == QName("table:covered-table-cell")
}

fn scan_row<R: BufRead>(reader: &mut quick_xml::Reader<R>) -> Result<Row, ScanError> {
    let mut buf = Vec::new();
    let mut cell_buf = Vec::new();
    let mut row = Row {
        len: 0,
        filled: None,
        text: 0,
    };
    let mut empty_repeats = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if is_cell(e.name()) => {
                let repeats = attr_number(&e, "table:number-columns-repeated")?;
                let name = e.name().as_ref().to_string();
                let cell = scan_cell(reader, &e, &mut cell_buf)?;
                row.len += empty_repeats.min(ODS_MAX_COLUMNS.saturating_sub(row.len));
                empty_repeats = 0;
                let repeats = repeats.min(ODS_MAX_COLUMNS.saturating_sub(row.len));
                if cell.filled {
                    if repeats > 0 {
                        let first = row.filled.map_or(row.len, |(f, _)| f);
                        row.filled = Some((first, row.len + repeats - 1));
                    }
                    row.len += repeats;
                    row.text = row.text.saturating_add(cell.text.saturating_mul(repeats));
                } else {
                    empty_repeats = repeats;
                }
                if !cell.closed {
                    cell_buf.clear();
                    reader.read_to_end_into(QName(&name), &mut cell_buf)?;
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(row),
            Err(e) => return Err(e.into()),
            Ok(other) => {
                return Err(ScanError::Unexpected(format!("{other:?}")));
            }
        }
    }
}

struct OdsCell {
    /// Whether calamine keeps the cell (a value, a string or a formula).
    filled: bool,
    /// Upper bound of its text (value and formula), in bytes.
    text: u64,
    /// Whether its content was read up to its end.
    closed: bool,
}

fn scan_cell<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    e: &BytesStart<'_>,
    buf: &mut Vec<u8>,
) -> Result<OdsCell, ScanError> {
    let mut is_string = false;
    let mut is_error = false;
    let mut value_set = false;
    let mut empty_string_value = false;
    let mut formula = false;
    let mut text = 0u64;
    for a in e.attributes().with_checks(false) {
        let a = a?;
        let value = a.value.as_ref();
        match a.key.as_ref() {
            "office:value" | "office:boolean-value" if !value_set => value_set = true,
            "office:string-value" | "office:date-value" | "office:time-value" if !value_set => {
                value_set = true;
                empty_string_value = a.key.as_ref() == "office:string-value" && value.is_empty();
                text += value.len() as u64;
            }
            "office:value-type" if !value_set => is_string = value == "string",
            "calcext:value-type" => is_error = value == "error",
            "table:formula" => {
                formula = !value.is_empty();
                text += value.len() as u64;
            }
            _ => {}
        }
    }
    let string_content = (!value_set && is_string) || (is_error && empty_string_value);
    if !string_content {
        return Ok(OdsCell {
            filled: value_set || formula,
            text,
            closed: false,
        });
    }
    loop {
        buf.clear();
        match reader.read_event_into(buf) {
            Ok(Event::Text(t)) => text = text.saturating_add(t.len() as u64),
            Ok(Event::GeneralRef(_)) => text = text.saturating_add(4),
            Ok(Event::End(e)) if is_cell(e.name()) => {
                return Ok(OdsCell {
                    filled: true,
                    text,
                    closed: true,
                });
            }
            Ok(Event::Start(e)) if e.name() == QName("office:annotation") => loop {
                buf.clear();
                match reader.read_event_into(buf) {
                    Ok(Event::End(e)) if e.name() == QName("office:annotation") => break,
                    // calamine would look for the end of the annotation forever.
                    Ok(Event::Eof) => {
                        return Err(ScanError::Damaged("the file ends inside an annotation"));
                    }
                    Err(e) => return Err(e.into()),
                    Ok(_) => {}
                }
            },
            Ok(Event::Start(e)) if e.name() == QName("text:s") => {
                let spaces = attr_number(&e, "text:c")?;
                text = text.saturating_add(spaces);
            }
            Ok(Event::Start(_)) => text = text.saturating_add(1),
            Ok(Event::Eof) => return Err(ScanError::Damaged("the file ends inside a cell")),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
}

// ------------------------------------------------------------------- xls

/// Reads the Workbook stream of an .xls, checks it the way calamine will read it,
/// and re-wraps it in a fresh compound file.
fn check_xls(bytes: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let mut cf = quietly(|| cfb::CompoundFile::open(Cursor::new(bytes)))
        .map_err(|p| damaged(format!("its compound file cannot be read ({p})")))?
        .map_err(|e| damaged(format!("its compound file cannot be read ({e})")))?;
    let Some(name) = ["Workbook", "Book"]
        .into_iter()
        .find(|n| cf.is_stream(format!("/{n}")))
    else {
        return Err(damaged(
            "it is an Office compound file without a Workbook stream (a Word document?)",
        ));
    };
    let max = limits::WORKBOOK_UNPACKED.get();
    let mut stream = Vec::new();
    quietly(|| -> io::Result<u64> {
        let s = cf.open_stream(format!("/{name}"))?;
        s.take(max + 1).read_to_end(&mut stream).map(|n| n as u64)
    })
    .map_err(|p| damaged(format!("its Workbook stream cannot be read ({p})")))?
    .map_err(|e| damaged(format!("its Workbook stream cannot be read ({e})")))?;
    if stream.len() as u64 > max {
        return Err(over_limit(
            &limits::WORKBOOK_UNPACKED,
            format!("the workbook's data stream is larger than the limit of {max} bytes"),
        ));
    }
    // cpaudit reads cached values, never formula text; calamine would decode every
    // formula (quadratic in a formula's padding tokens, and panicky on bad tokens).
    // Emptying each formula's token list (its length field; no offset moves) takes
    // that away. Blanking two bytes can change how an overlapping walk reads the
    // records, so scan again until nothing is left to blank.
    let mut rounds = 0;
    loop {
        let formulas = scan_biff(&stream)?;
        if formulas.is_empty() {
            break;
        }
        rounds += 1;
        if rounds > 8 {
            return Err(damaged("its records overlap in ways no spreadsheet writes"));
        }
        for at in formulas {
            stream[at] = 0;
            stream[at + 1] = 0;
        }
    }
    let wrapped = quietly(|| -> io::Result<Vec<u8>> {
        // Version 3 (512-byte sectors), as Excel writes: calamine wants a mini stream
        // in a version 4 file.
        let mut out =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        {
            let mut s = out.create_stream(format!("/{name}"))?;
            s.write_all(&stream)?;
            s.flush()?;
        }
        out.flush()?;
        Ok(out.into_inner().into_inner())
    })
    .map_err(|p| damaged(format!("cannot copy its Workbook stream ({p})")))?
    .map_err(|e| damaged(format!("cannot copy its Workbook stream ({e})")))?;
    Ok(wrapped)
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// A BIFF record and its Continue records, as calamine's `RecordIter` yields them.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl<'a> Record<'a> {
    fn next_continue(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(c) => {
                self.data = c;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: usize) -> Result<(), ScanError> {
        while len > 0 {
            if self.data.is_empty() && !self.next_continue() {
                return Err(ScanError::Damaged("a Continue record is too short"));
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Ok(())
    }
}

/// calamine's `RecordIter`, for the scan.
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stream.len() < 4 {
            return (!self.stream.is_empty())
                .then_some(Err(ScanError::Damaged("a record is cut short")));
        }
        let typ = u16_at(self.stream, 0)?;
        let len = usize::from(u16_at(self.stream, 2)?);
        if self.stream.len() < len + 4 {
            self.stream = &[];
            return Some(Err(ScanError::RecordCutShort(typ)));
        }
        let (data, next) = self.stream.split_at(len + 4);
        self.stream = next;
        let mut cont = std::collections::VecDeque::new();
        if next.len() > 4 && u16_at(next, 0) == Some(0x003C) {
            while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(0x003C) {
                let len = usize::from(u16_at(self.stream, 2)?);
                if self.stream.len() < len + 4 {
                    self.stream = &[];
                    return Some(Err(ScanError::Damaged("a Continue record is cut short")));
                }
                let (c, rest) = self.stream.split_at(len + 4);
                cont.push_back(&c[4..]);
                self.stream = rest;
            }
        }
        Some(Ok(Record {
            typ,
            data: &data[4..],
            cont,
        }))
    }
}

/// Upper bound of the UTF-8 bytes of a decoded character of an .xls string (a
/// replacement character for each byte of an invalid two-byte sequence).
const XLS_BYTES_PER_CHAR: u64 = 6;

/// The decoded sizes of the shared strings (SST), as calamine's `parse_sst` reads them.
fn sst_sizes(r: &mut Record<'_>) -> Result<Vec<u64>, ScanError> {
    if r.data.len() < 8 {
        return Err(ScanError::Damaged("the shared-string table is cut short"));
    }
    r.data = &r.data[8..];
    let mut sizes = Vec::new();
    while !r.data.is_empty() || r.next_continue() {
        if r.data.is_empty() {
            sizes.push(0);
            continue;
        }
        let cch = u16_at(r.data, 0).ok_or(ScanError::Damaged("a shared string is cut short"))?;
        let flags = *r
            .data
            .get(2)
            .ok_or(ScanError::Damaged("a shared string is cut short"))?;
        r.data = &r.data[3..];
        let mut high_byte = flags & 0x1 != 0;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x8 != 0 {
            runs = usize::from(
                u16_at(r.data, 0).ok_or(ScanError::Damaged("a shared string is cut short"))?,
            );
            r.data = &r.data[2..];
        }
        if flags & 0x4 != 0 {
            ext = i32::from_le_bytes(
                r.data
                    .get(..4)
                    .ok_or(ScanError::Damaged("a shared string is cut short"))?
                    .try_into()
                    .map_err(|_| ScanError::Damaged("a shared string is cut short"))?,
            ) as usize;
            r.data = &r.data[4..];
        }
        let mut len = usize::from(cch);
        while len > 0 {
            let (l, at) = if high_byte {
                let l = (r.data.len() / 2).min(len);
                (l, 2 * l)
            } else {
                let l = r.data.len().min(len);
                (l, l)
            };
            r.data = &r.data[at..];
            len -= l;
            if len > 0 {
                if r.next_continue() {
                    high_byte = *r
                        .data
                        .first()
                        .ok_or(ScanError::Damaged("an empty Continue record"))?
                        & 0x1
                        != 0;
                    r.data = &r.data[1..];
                } else {
                    return Err(ScanError::Damaged("a shared string is cut short"));
                }
            }
        }
        sizes.push(u64::from(cch) * XLS_BYTES_PER_CHAR);
        r.skip(runs * 4)?;
        r.skip(ext)?;
    }
    Ok(sizes)
}

/// Bounds of the cells of one sheet.
#[derive(Default)]
struct Extent {
    cells: u64,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32, n: u64) {
        self.cells = self.cells.saturating_add(n);
        self.bounds = Some(match self.bounds {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// Walks the BIFF records the way calamine's `parse_workbook` does and checks the
/// grids, cells and text it would build against the limits. Returns the offsets of
/// the token-list lengths of formulas that have tokens.
fn scan_biff(stream: &[u8]) -> Result<Vec<usize>, Diagnostic> {
    let max_area = limits::SHEET_AREA.get();
    let max_text = limits::WORKBOOK_TEXT.get();
    let area_error = |cells: u64, what: &str| {
        over_limit(
            &limits::SHEET_AREA,
            format!("{what} {cells} cells, more than the limit of {max_area}"),
        )
    };
    let mut sheets = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    for record in (Records { stream }) {
        let mut r = record.map_err(damaged)?;
        match r.typ {
            0x0085 => {
                let pos = u32_at(r.data, 0).filter(|_| r.data.len() >= 6);
                let pos =
                    pos.ok_or_else(|| damaged("a sheet record (BoundSheet8) is cut short"))?;
                sheets.push(pos as usize);
            }
            0x00FC => sst = sst_sizes(&mut r).map_err(damaged)?,
            0x000A => break,
            _ => {}
        }
    }
    let mut text: u64 = sst.iter().sum();
    let mut area = 0u64;
    let mut formula_lengths = Vec::new();
    for pos in sheets {
        let sheet = stream.get(pos..).ok_or_else(|| {
            damaged(format!(
                "a sheet starts at byte {pos}, after the end of the workbook stream"
            ))
        })?;
        let mut values = Extent::default();
        let mut formulas = Extent::default();
        let mut formula_pos = (0u32, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for record in (Records { stream: sheet }) {
            let r = record.map_err(damaged)?;
            let d = r.data;
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |d: &[u8]| Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
            match r.typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => {
                    // calamine reserves room for the declared dimensions.
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (
                            u32::from(u16_at(d, 0).unwrap_or(0)),
                            u32::from(u16_at(d, 2).unwrap_or(0)),
                            u32::from(u16_at(d, 4).unwrap_or(0)),
                            u32::from(u16_at(d, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(d, 0).unwrap_or(0),
                            u32_at(d, 4).unwrap_or(0),
                            u32::from(u16_at(d, 8).unwrap_or(0)),
                            u32::from(u16_at(d, 10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    let (start, end) = if rl >= 1 && cl >= 1 {
                        ((rf, cf), (rl - 1, cl - 1))
                    } else {
                        ((rf, cf), (rf, cf))
                    };
                    let rows = u64::from(end.0.wrapping_sub(start.0)) + 1;
                    let cols = u64::from(end.1.wrapping_sub(start.1)) + 1;
                    let declared = rows.saturating_mul(cols);
                    if declared > max_area {
                        return Err(area_error(declared, "a sheet declares dimensions of"));
                    }
                }
                0x0203 | 0x0205 | 0x027E => {
                    if let Some((row, col)) = at(d) {
                        values.add(row, col, 1);
                    }
                }
                0x0204 | 0x00D6 => {
                    if let Some((row, col)) = at(d) {
                        values.add(row, col, 1);
                        text = text.saturating_add(d.len() as u64 * XLS_BYTES_PER_CHAR);
                    }
                }
                0x00FD => {
                    if let Some((row, col)) = at(d) {
                        values.add(row, col, 1);
                        let i = u32_at(d, 6).unwrap_or(u32::MAX) as usize;
                        text = text.saturating_add(sst.get(i).copied().unwrap_or(0));
                    }
                }
                0x00BD => {
                    if let Some((row, first)) = at(d)
                        && d.len() >= 6
                    {
                        let n = (d.len() as u64 - 6).div_ceil(6).max(1);
                        let last = u64::from(first) + n - 1;
                        let last_declared = u64::from(u16_at(d, d.len() - 2).unwrap_or(0));
                        values.add(row, first, n);
                        values.add(
                            row,
                            last.max(last_declared).min(u64::from(u32::MAX)) as u32,
                            0,
                        );
                    }
                }
                0x0207 => {
                    values.add(formula_pos.0, formula_pos.1, 1);
                    text = text.saturating_add(d.len() as u64 * XLS_BYTES_PER_CHAR);
                }
                0x0006 => {
                    if let Some((row, col)) = at(d) {
                        formula_pos = (row, col);
                        values.add(row, col, 1);
                        formulas.add(row, col, 1);
                        if u16_at(d, 20).is_some_and(|cce| cce != 0) {
                            formula_lengths
                                .push(d.as_ptr() as usize - stream.as_ptr() as usize + 20);
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        area = area
            .saturating_add(values.area())
            .saturating_add(formulas.area())
            .saturating_add(values.cells)
            .saturating_add(formulas.cells);
        if area > max_area {
            return Err(area_error(area, "the used ranges of the workbook's sheets span")
                .help(format!(
                    "delete the unused rows and columns after the data (a cell far away in the sheet makes the whole range count); {}",
                    limits::SHEET_AREA.how_to_raise()
                )));
        }
        if text > max_text {
            return Err(over_limit(
                &limits::WORKBOOK_TEXT,
                format!(
                    "the workbook's cells hold about {text} bytes of text, more than the limit of {max_text} bytes"
                ),
            ));
        }
    }
    if text > max_text {
        return Err(over_limit(
            &limits::WORKBOOK_TEXT,
            format!(
                "the workbook's cells hold about {text} bytes of text, more than the limit of {max_text} bytes"
            ),
        ));
    }
    formula_lengths.sort_unstable();
    formula_lengths.dedup();
    Ok(formula_lengths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_shared_string_counts_are_bounded() {
        assert_eq!(declared_count("42"), Some(42));
        assert_eq!(declared_count("0007"), Some(7));
        assert_eq!(declared_count("000"), Some(0));
        assert_eq!(declared_count("x1"), None);
        assert_eq!(declared_count("99999999999999999999999"), Some(u64::MAX));
        let lie = format!(
            "<x:sst xmlns:x=\"a\" count=\"1\" uniqueCount=\"{}\">",
            u64::MAX
        );
        let err = scan_shared_string_count(lie.as_bytes(), 64 << 20).unwrap_err();
        assert!(matches!(err, ScanError::TooManyStrings(_)), "{err}");
        assert!(scan_shared_string_count(&b"<sst uniqueCount=\"3\">"[..], 64 << 20).is_ok());
    }

    #[test]
    fn text_named_xlsx_is_described_as_text() {
        let d = check(b"year,quantity\n2025,3\n".to_vec()).unwrap_err();
        assert!(d.message.contains("CSV"), "{}", d.message);
        let d = check(b"   \n".to_vec()).unwrap_err();
        assert!(d.message.contains("white space"), "{}", d.message);
        let d = check(Vec::new()).unwrap_err();
        assert!(d.message.contains("empty"), "{}", d.message);
    }

    #[test]
    fn quietly_turns_panics_into_errors() {
        let r: Result<(), Panic> = quietly(|| panic!("boom"));
        assert_eq!(r.unwrap_err().to_string(), "boom");
        assert_eq!(quietly(|| 3), Ok(3));
    }

    fn ods(content: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(ODS_MIMETYPE).unwrap();
        let deflated = zip::write::SimpleFileOptions::default();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    fn table(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn ods_dense_grids_are_refused_before_calamine() {
        let dense = table(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#,
        );
        let d = check(ods(&dense)).unwrap_err();
        assert_eq!(d.code, "limit::sheet-area", "{d:?}");
        let corner = table(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        let d = check(ods(&corner)).unwrap_err();
        assert_eq!(d.code, "limit::sheet-area", "{d:?}");
        let spaces = table(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#,
        );
        let d = check(ods(&spaces)).unwrap_err();
        assert_eq!(d.code, "limit::workbook-text", "{d:?}");
        let small = table(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>年份 Year</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        );
        let c = check(ods(&small)).unwrap();
        assert_eq!(c.format, Format::Ods);
    }

    #[test]
    fn ods_cut_inside_a_table_is_refused_not_a_hang() {
        let cut = table("<table:table-row><table:table-cell/></table:table-row>");
        let cut = &cut[..cut.find("</table:table>").unwrap()];
        let d = check(ods(cut)).unwrap_err();
        assert_eq!(d.code, "workbook::damaged", "{d:?}");
    }

    fn biff(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut s = Vec::new();
        for (t, d) in records {
            s.extend(t.to_le_bytes());
            s.extend((d.len() as u16).to_le_bytes());
            s.extend(d);
        }
        s
    }

    /// A compound file holding `stream` as its Workbook stream.
    fn compound(stream: &[u8]) -> Vec<u8> {
        let mut out =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
                .unwrap();
        out.create_stream("/Workbook")
            .unwrap()
            .write_all(stream)
            .unwrap();
        out.flush().unwrap();
        out.into_inner().into_inner()
    }

    #[test]
    fn xls_formula_text_is_never_decoded() {
        // One sheet whose only cell is a formula padded with 2,000 "255 spaces" tokens:
        // calamine inserts each space at the front of the text, quadratic in the
        // padding (2.9 s for this one 8 KB record, measured; a 32 MB file holds
        // thousands). The guard empties the token list.
        let bof = (0x0809u16, vec![0, 6, 5, 0, 0, 0, 0, 0]);
        let mut rgce = vec![0x1E, 1, 0];
        while rgce.len() + 4 < 8000 {
            rgce.extend([0x19, 0x40, 0x00, 0xFF]);
        }
        let mut formula = vec![0u8; 20];
        formula[6..14].copy_from_slice(&42.0f64.to_le_bytes());
        formula.extend((rgce.len() as u16).to_le_bytes());
        formula.extend(&rgce);
        let globals_len = 12 + (4 + 9) + 4;
        let mut bound = (globals_len as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0, b'S']);
        let mut stream = biff(&[bof.clone(), (0x0085, bound), (0x000A, vec![])]);
        assert_eq!(stream.len(), globals_len);
        stream.extend(biff(&[bof, (0x0006, formula), (0x000A, vec![])]));
        let t = std::time::Instant::now();
        let mut wb =
            crate::load::workbook::Workbook::from_bytes(compound(&stream), "f.xls").unwrap();
        let cells = wb.cells("S").unwrap();
        assert_eq!(cells.get(&(0, 0)), Some(&calamine::Data::Float(42.0)));
        assert!(
            t.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            t.elapsed()
        );
    }

    #[test]
    fn xls_grids_and_dimensions_are_bounded() {
        let bof = (0x0809u16, vec![0, 6, 0x10, 0, 0, 0, 0, 0]);
        let number = |row: u16, col: u16| {
            let mut d = Vec::new();
            d.extend(row.to_le_bytes());
            d.extend(col.to_le_bytes());
            d.extend([0u8; 10]);
            (0x0203u16, d)
        };
        // Globals: BOF, one sheet at the offset that follows, EOF.
        let globals_len = 4 + 8 + 4 + 8 + 4;
        let mut sheet = vec![0u8; 8];
        sheet[..4].copy_from_slice(&(globals_len as u32).to_le_bytes());
        sheet[6] = 1;
        sheet.push(b'S');
        let mut globals = biff(&[bof.clone(), (0x0085, sheet), (0x000A, vec![])]);
        assert_eq!(globals.len(), globals_len + 1);
        // Re-point the sheet past the extra name byte.
        globals[16..20].copy_from_slice(&((globals_len + 1) as u32).to_le_bytes());
        let far = biff(&[
            bof.clone(),
            number(0, 0),
            number(65535, 255),
            (0x000A, vec![]),
        ]);
        let mut stream = globals.clone();
        stream.extend(&far);
        let d = scan_biff(&stream).unwrap_err();
        assert_eq!(d.code, "limit::sheet-area", "{d:?}");
        let mut dims = vec![0u8; 14];
        dims[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        dims[10..12].copy_from_slice(&255u16.to_le_bytes());
        let mut stream = globals.clone();
        stream.extend(biff(&[bof.clone(), (0x0200, dims), (0x000A, vec![])]));
        let d = scan_biff(&stream).unwrap_err();
        assert_eq!(d.code, "limit::sheet-area", "{d:?}");
        let mut stream = globals.clone();
        stream.extend(biff(&[bof, number(0, 0), number(9, 3), (0x000A, vec![])]));
        assert!(scan_biff(&stream).is_ok());
        // A sheet offset past the end, which makes calamine slice out of bounds.
        globals[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(scan_biff(&globals).unwrap_err().code, "workbook::damaged");
    }
}
