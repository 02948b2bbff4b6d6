//! A small SVG writer: an XML-escaping string builder with the few shapes the figures
//! draw, a width estimate for text in the bundled sans font, line wrapping, and a record
//! of where every label and every arrow went, so that tests can prove that no two labels
//! overlap and that no label lies on an arrow.
//!
//! Coordinates are in points at the size the figure is placed (the SVG's view box is
//! [`WIDTH`] wide and the templates place it at the full text width, which is a little
//! wider), so a font size here is at least the printed size. Numbers are written with a
//! fixed two decimals and no locale, and nothing iterates a hash map: the same figure
//! gives the same bytes.

use std::fmt::Write as _;

/// Width of every figure's view box, in points. The text block of the report's A4 page
/// is 448 pt wide, so a figure placed at `width: 100%` prints slightly larger than drawn.
pub const WIDTH: f64 = 440.0;

/// The tallest a single figure may be, in points, so that it fits on an A4 page with its
/// caption (the text block is about 700 pt tall). Taller content is split into parts.
pub const MAX_HEIGHT: f64 = 620.0;

/// The font every label is set in; the renderer's world provides it.
pub const FONT: &str = "Noto Sans CJK SC";

/// Smallest font size used in a figure, in points (legible on A4 as printed).
pub const MIN_FONT: f64 = 7.0;

/// Line height as a multiple of the font size.
pub const LEADING: f64 = 1.22;

/// Distance from the top of a line box to its baseline, as a multiple of the font size
/// (Noto Sans CJK's ascender is 0.88 em; centred in a 1.22 em line).
const BASELINE: f64 = 0.99;

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two overlap by more than `eps` in both directions (touching is not
    /// overlapping).
    pub fn overlaps(&self, other: &Rect, eps: f64) -> bool {
        self.x + eps < other.right()
            && other.x + eps < self.right()
            && self.y + eps < other.bottom()
            && other.y + eps < self.bottom()
    }

    /// Whether `other` lies inside this one (with `eps` of slack).
    pub fn contains(&self, other: &Rect, eps: f64) -> bool {
        other.x >= self.x - eps
            && other.y >= self.y - eps
            && other.right() <= self.right() + eps
            && other.bottom() <= self.bottom() + eps
    }
}

/// Where a text line is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left end.
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right end.
    End,
}

/// How a label is set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Font size, pt.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Fill colour (`#rrggbb`).
    pub fill: &'static str,
    /// Horizontal anchor.
    pub anchor: Anchor,
}

impl Style {
    /// Regular dark text of `size`, anchored at its start.
    pub fn new(size: f64) -> Style {
        Style {
            size,
            bold: false,
            fill: INK,
            anchor: Anchor::Start,
        }
    }

    /// The same, bold.
    pub fn bold(mut self) -> Style {
        self.bold = true;
        self
    }

    /// The same, in `fill`.
    pub fn fill(mut self, fill: &'static str) -> Style {
        self.fill = fill;
        self
    }

    /// The same, anchored at `anchor`.
    pub fn anchor(mut self, anchor: Anchor) -> Style {
        self.anchor = anchor;
        self
    }

    /// Height of `lines` lines.
    pub fn height(&self, lines: usize) -> f64 {
        lines as f64 * self.size * LEADING
    }
}

/// The colour of ordinary text.
pub const INK: &str = "#1f1f1f";
/// The colour of secondary text (ids, units).
pub const GREY: &str = "#5a5a5a";

/// A finished figure: the SVG bytes and, for tests, where its labels and arrows are.
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The SVG document.
    pub svg: Vec<u8>,
    /// Width, pt.
    pub width: f64,
    /// Height, pt.
    pub height: f64,
    /// The box of every label.
    pub labels: Vec<Rect>,
    /// Arrows, bands and bars: no label may overlap one.
    pub keep_out: Vec<Rect>,
    /// Every label's text, in drawing order (each line separately).
    pub texts: Vec<String>,
}

/// An SVG being written.
#[derive(Debug)]
pub struct Svg {
    width: f64,
    defs: String,
    body: String,
    labels: Vec<Rect>,
    keep_out: Vec<Rect>,
    texts: Vec<String>,
    markers: Vec<&'static str>,
}

/// Escapes text for XML content and attribute values: `& < > " '`. Characters XML 1.0
/// does not allow (most C0 controls) become spaces, so that no user text can make the
/// document unreadable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate: two decimals, trailing zeros dropped, never `-0`.
pub fn n(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let mut s = format!("{x:.2}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".into() } else { s }
}

impl Svg {
    /// An empty figure [`WIDTH`] wide.
    pub fn new() -> Svg {
        Svg::with_width(WIDTH)
    }

    /// An empty figure `width` points wide.
    pub fn with_width(width: f64) -> Svg {
        Svg {
            width,
            defs: String::new(),
            body: String::new(),
            labels: Vec::new(),
            keep_out: Vec::new(),
            texts: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// The figure's width.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Records an area no label may overlap (an arrow, a band, a bar).
    pub fn keep_out(&mut self, r: Rect) {
        self.keep_out.push(r);
    }

    /// A rectangle; `stroke` is a colour and a width.
    pub fn rect(&mut self, r: Rect, fill: &str, stroke: Option<(&str, f64)>, radius: f64) {
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}""#,
            n(r.x),
            n(r.y),
            n(r.w.max(0.0)),
            n(r.h.max(0.0))
        );
        if radius > 0.0 {
            let _ = write!(self.body, r#" rx="{}""#, n(radius));
        }
        let _ = write!(self.body, r#" fill="{}""#, escape(fill));
        if let Some((colour, width)) = stroke {
            let _ = write!(
                self.body,
                r#" stroke="{}" stroke-width="{}""#,
                escape(colour),
                n(width)
            );
        }
        self.body.push_str("/>\n");
    }

    /// A straight line, optionally dashed (`"3 2"`), optionally ending in an arrowhead.
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        stroke: &'static str,
        width: f64,
        dash: Option<&str>,
        arrow: bool,
    ) {
        let d = format!("M{} {} L{} {}", n(x1), n(y1), n(x2), n(y2));
        self.polyline_path(&d, stroke, width, dash, arrow);
    }

    /// A path of straight segments through `points`, optionally ending in an arrowhead.
    pub fn polyline(
        &mut self,
        points: &[(f64, f64)],
        stroke: &'static str,
        width: f64,
        dash: Option<&str>,
        arrow: bool,
    ) {
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {} ", if i == 0 { 'M' } else { 'L' }, n(*x), n(*y));
        }
        self.polyline_path(d.trim_end(), stroke, width, dash, arrow);
    }

    fn polyline_path(
        &mut self,
        d: &str,
        stroke: &'static str,
        width: f64,
        dash: Option<&str>,
        arrow: bool,
    ) {
        let _ = write!(
            self.body,
            r#"<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{}" stroke-linejoin="round""#,
            n(width)
        );
        if let Some(dash) = dash {
            let _ = write!(self.body, r#" stroke-dasharray="{}""#, escape(dash));
        }
        if arrow {
            let id = self.marker(stroke);
            let _ = write!(self.body, r#" marker-end="url(#{id})""#);
        }
        self.body.push_str("/>\n");
    }

    /// The id of an arrowhead marker in `colour`, defined once.
    fn marker(&mut self, colour: &'static str) -> String {
        let index = match self.markers.iter().position(|c| *c == colour) {
            Some(i) => i,
            None => {
                self.markers.push(colour);
                let i = self.markers.len() - 1;
                let _ = write!(
                    self.defs,
                    r#"<marker id="a{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="{colour}"/></marker>"#
                );
                self.defs.push('\n');
                i
            }
        };
        format!("a{index}")
    }

    /// A filled path (`d` in SVG path syntax, written by the caller with [`n`]).
    pub fn fill_path(&mut self, d: &str, fill: &str, stroke: Option<(&str, f64, Option<&str>)>) {
        let _ = write!(
            self.body,
            r#"<path d="{}" fill="{}""#,
            escape(d),
            escape(fill)
        );
        if let Some((colour, width, dash)) = stroke {
            let _ = write!(
                self.body,
                r#" stroke="{}" stroke-width="{}""#,
                escape(colour),
                n(width)
            );
            if let Some(dash) = dash {
                let _ = write!(self.body, r#" stroke-dasharray="{}""#, escape(dash));
            }
        }
        self.body.push_str("/>\n");
    }

    /// A circle.
    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, stroke: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="0.8"/>"#,
            n(cx),
            n(cy),
            n(r),
            escape(fill),
            escape(stroke)
        );
    }

    /// Lines of text whose block starts at `top`, anchored at `x` per `style`. Returns the
    /// block's box, which is recorded as a label.
    pub fn text(&mut self, x: f64, top: f64, lines: &[String], style: Style) -> Rect {
        self.text_inner(x, top, lines, style, None)
    }

    /// Like [`Svg::text`] on a white background that hides what is under it (a line the
    /// label sits on).
    pub fn text_on_white(&mut self, x: f64, top: f64, lines: &[String], style: Style) -> Rect {
        self.text_inner(x, top, lines, style, Some("#ffffff"))
    }

    fn text_inner(
        &mut self,
        x: f64,
        top: f64,
        lines: &[String],
        style: Style,
        background: Option<&str>,
    ) -> Rect {
        let w = lines
            .iter()
            .map(|l| text_width(l, style.size))
            .fold(0.0, f64::max);
        let h = style.height(lines.len());
        let left = match style.anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        let rect = Rect::new(left, top, w, h);
        if let Some(bg) = background {
            self.rect(Rect::new(left - 1.5, top, w + 3.0, h), bg, None, 0.0);
        }
        let anchor = match style.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + style.size * (LEADING * i as f64 + BASELINE);
            let _ = write!(
                self.body,
                r#"<text x="{}" y="{}" font-family="{FONT}" font-size="{}""#,
                n(x),
                n(baseline),
                n(style.size)
            );
            if style.bold {
                self.body.push_str(r#" font-weight="bold""#);
            }
            if style.anchor != Anchor::Start {
                let _ = write!(self.body, r#" text-anchor="{anchor}""#);
            }
            let _ = writeln!(
                self.body,
                r#" fill="{}" xml:space="preserve">{}</text>"#,
                style.fill,
                escape(line)
            );
            self.texts.push(line.clone());
        }
        self.labels.push(rect);
        rect
    }

    /// Finishes the document at `height` points.
    pub fn finish(self, height: f64) -> Drawing {
        let mut out = String::with_capacity(self.body.len() + self.defs.len() + 300);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">"#,
            w = n(self.width),
            h = n(height)
        );
        if !self.defs.is_empty() {
            out.push_str("<defs>\n");
            out.push_str(&self.defs);
            out.push_str("</defs>\n");
        }
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        Drawing {
            svg: out.into_bytes(),
            width: self.width,
            height,
            labels: self.labels,
            keep_out: self.keep_out,
            texts: self.texts,
        }
    }
}

impl Default for Svg {
    fn default() -> Self {
        Svg::new()
    }
}

// ------------------------------------------------------------------ text measure

/// Whether a character is set full width (1 em) in the CJK font: ideographs, kana,
/// hangul, CJK and full-width punctuation, and the general punctuation and arrows the
/// CJK font draws wide.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2010..=0x206F
        | 0x2190..=0x21FF
        | 0x2460..=0x24FF
        | 0x2500..=0x27BF
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE6F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Estimated advance of one character, in em: CJK 1 em, Latin about 0.55–0.65 em
/// (capitals and wide letters more, narrow letters and punctuation less), measured
/// against the bold sans face so that it errs on the wide side and a label never runs
/// into its neighbour. The CJK font sets `·` full width.
pub fn char_em(c: char) -> f64 {
    if is_wide(c) {
        return 1.0;
    }
    match c {
        ' ' | NBSP => 0.26,
        '·' => 1.0,
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.33,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' | 'I' => 0.44,
        'm' | 'w' | 'M' | 'W' | '%' | '@' | '—' => 0.97,
        'b' | 'd' | 'h' | 'n' | 'o' | 'p' | 'q' | 'u' => 0.65,
        'O' | 'Q' | 'H' | 'N' | 'U' | 'D' | 'G' => 0.78,
        '0'..='9' | '−' | '+' | '=' => 0.6,
        c if c.is_ascii_uppercase() => 0.72,
        c if ('\u{0370}'..='\u{03FF}').contains(&c) => 0.72,
        _ => 0.6,
    }
}

/// Estimated width of `text` at `size` points.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// CJK punctuation that may not begin a line.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』】〕,.;:?!)]}%·…—～".contains(c)
}

/// CJK punctuation that may not end a line.
fn no_line_end(c: char) -> bool {
    "（《「『【〔([{“‘".contains(c)
}

/// A space [`wrap`] never breaks at (between a number and its unit); it prints as an
/// ordinary space.
pub const NBSP: char = '\u{a0}';

/// Breaks `text` into lines no wider than `max_width` at `size`: at every `\n`, Latin
/// text between words, CJK text between any two characters (not before closing or
/// after opening punctuation), never at a [`NBSP`]; a word longer than a line is broken
/// where it must be.
pub fn wrap(text: &str, max_width: f64, size: f64) -> Vec<String> {
    text.split('\n')
        .flat_map(|paragraph| wrap_paragraph(paragraph, max_width, size))
        .map(|line| line.replace(NBSP, " "))
        .collect()
}

/// A quantity and its unit, kept on one line by [`wrap`].
pub fn qty(number: &str, unit: &str) -> String {
    if unit.is_empty() {
        number.to_string()
    } else {
        format!("{number}{NBSP}{unit}")
    }
}

fn wrap_paragraph(text: &str, max_width: f64, size: f64) -> Vec<String> {
    // Tokens: words of Latin letters, single wide characters (with the punctuation
    // glued to them), and spaces.
    let mut tokens: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        if c == NBSP {
            match tokens.last_mut() {
                Some(t) if t != " " => t.push(c),
                _ => tokens.push(c.to_string()),
            }
            glue_next = true;
            continue;
        }
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if tokens.last().is_some_and(|t| t != " ") {
                tokens.push(" ".into());
            }
            glue_next = false;
            continue;
        }
        let last_is_word = tokens
            .last()
            .is_some_and(|t| t != " " && !t.chars().last().is_some_and(is_wide));
        let attach = glue_next
            || (no_line_start(c) && tokens.last().is_some_and(|t| t != " "))
            || (!is_wide(c) && last_is_word);
        if attach && let Some(t) = tokens.last_mut() {
            t.push(c);
        } else {
            tokens.push(c.to_string());
        }
        glue_next = no_line_end(c);
    }
    while tokens.last().is_some_and(|t| t == " ") {
        tokens.pop();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut space = false;
    for token in tokens {
        if token == " " {
            space = !line.is_empty();
            continue;
        }
        let candidate = if space {
            format!("{line} {token}")
        } else {
            format!("{line}{token}")
        };
        if line.is_empty() || text_width(&candidate, size) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = token;
        }
        space = false;
        // A word wider than the line: break it at the last character that fits.
        while text_width(&line, size) > max_width && line.chars().count() > 1 {
            let mut head = String::new();
            for c in line.chars() {
                if !head.is_empty() && text_width(&format!("{head}{c}"), size) > max_width {
                    break;
                }
                head.push(c);
            }
            let tail = line[head.len()..].to_string();
            if tail.is_empty() {
                break;
            }
            lines.push(head);
            line = tail;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits rows of the given heights into parts no taller than [`MAX_HEIGHT`] (each part
/// also carrying `fixed` points of header and key), as evenly as the rows allow, so
/// that a long figure does not end in a part with a single row. A row taller than a
/// page gets a part of its own.
pub fn split_rows(heights: &[f64], fixed: f64) -> Vec<Vec<usize>> {
    let room = (MAX_HEIGHT - fixed).max(1.0);
    let greedy = |limit: f64| {
        let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
        let mut h = 0.0;
        for (i, rh) in heights.iter().enumerate() {
            let last = parts.last_mut().expect("a part");
            if !last.is_empty() && h + rh > limit {
                parts.push(vec![i]);
                h = *rh;
            } else {
                last.push(i);
                h += rh;
            }
        }
        parts
    };
    let parts = greedy(room);
    if parts.len() < 2 {
        return parts;
    }
    // As many parts, each about as tall: raise the even share until it needs no more
    // parts than the greedy split did.
    let total: f64 = heights.iter().sum();
    let mut limit = total / parts.len() as f64;
    loop {
        let even = greedy(limit.min(room));
        if even.len() <= parts.len() || limit >= room {
            return even;
        }
        limit += 4.0;
    }
}

/// A fault in a drawing's layout, as [`check_layout`] finds it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutError {
    /// A label sticks out of the figure.
    #[error("label {index} {label:?} is outside the figure {frame:?}")]
    LabelOutside {
        /// Which label.
        index: usize,
        /// Its box.
        label: Rect,
        /// The figure.
        frame: Rect,
    },
    /// Two labels overlap.
    #[error("labels {a} {a_box:?} and {b} {b_box:?} overlap")]
    LabelsOverlap {
        /// The first label.
        a: usize,
        /// Its box.
        a_box: Rect,
        /// The second label.
        b: usize,
        /// Its box.
        b_box: Rect,
    },
    /// A label lies on an arrow or band.
    #[error("label {index} {label:?} overlaps arrow {arrow} {arrow_box:?}")]
    LabelOnArrow {
        /// Which label.
        index: usize,
        /// Its box.
        label: Rect,
        /// Which arrow.
        arrow: usize,
        /// Its box.
        arrow_box: Rect,
    },
    /// An arrow or band sticks out of the figure.
    #[error("arrow {arrow:?} is outside the figure {frame:?}")]
    ArrowOutside {
        /// Its box.
        arrow: Rect,
        /// The figure.
        frame: Rect,
    },
}

/// Asserts that no two labels of a drawing overlap, that no label overlaps an arrow or
/// band, and that everything lies inside the figure. Returns the first problem.
pub fn check_layout(d: &Drawing) -> Result<(), LayoutError> {
    let frame = Rect::new(0.0, 0.0, d.width, d.height);
    for (i, a) in d.labels.iter().enumerate() {
        if !frame.contains(a, 0.5) {
            return Err(LayoutError::LabelOutside {
                index: i,
                label: *a,
                frame,
            });
        }
        for (j, b) in d.labels.iter().enumerate().skip(i + 1) {
            if a.overlaps(b, 0.3) {
                return Err(LayoutError::LabelsOverlap {
                    a: i,
                    a_box: *a,
                    b: j,
                    b_box: *b,
                });
            }
        }
        for (j, k) in d.keep_out.iter().enumerate() {
            if a.overlaps(k, 0.3) {
                return Err(LayoutError::LabelOnArrow {
                    index: i,
                    label: *a,
                    arrow: j,
                    arrow_box: *k,
                });
            }
        }
    }
    for k in &d.keep_out {
        if !frame.contains(k, 0.5) {
            return Err(LayoutError::ArrowOutside { arrow: *k, frame });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_xml_characters_and_controls() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a b c d");
        assert_eq!(escape("水 & 电"), "水 &amp; 电");
    }

    #[test]
    fn a_hostile_label_stays_text() {
        let mut svg = Svg::new();
        svg.text(
            0.0,
            0.0,
            &["</text><script>alert(1)</script>".to_string()],
            Style::new(8.0),
        );
        let d = svg.finish(20.0);
        let s = String::from_utf8(d.svg).unwrap();
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;/text&gt;&lt;script&gt;"));
    }

    #[test]
    fn coordinates_are_fixed_and_never_negative_zero() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.256), "1.26");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(12.5), "12.5");
        assert_eq!(n(f64::NAN), "0");
    }

    #[test]
    fn widths_count_cjk_as_one_em_and_latin_as_about_half() {
        assert_eq!(text_width("水平衡", 10.0), 30.0);
        let latin = text_width("water", 10.0);
        assert!((20.0..32.0).contains(&latin), "{latin}");
    }

    #[test]
    fn wrapping_keeps_words_and_punctuation_together() {
        let lines = wrap("Water for dye liquor and tank rinsing", 60.0, 8.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 8.0) <= 60.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
        }
        assert_eq!(lines.join(" "), "Water for dye liquor and tank rinsing");
        let zh = wrap("预烘、轧碱及汽蒸固色", 24.0, 8.0);
        assert_eq!(zh.concat(), "预烘、轧碱及汽蒸固色");
        for l in &zh {
            assert!(!l.starts_with('、'), "{zh:?}");
        }
        // A word longer than the line is broken.
        let long = wrap("Supercalifragilisticexpialidocious", 40.0, 8.0);
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "Supercalifragilisticexpialidocious");
        assert_eq!(wrap("", 40.0, 8.0), vec![String::new()]);
        // Never between a number and its unit; always at a line break.
        let q = wrap("Total 19,536.05\u{a0}tce", 70.0, 8.0);
        assert_eq!(q, vec!["Total", "19,536.05 tce"]);
        assert_eq!(wrap("a\nb", 100.0, 8.0), vec!["a", "b"]);
    }

    #[test]
    fn the_estimate_is_never_much_narrower_than_the_bundled_font() {
        // Measure with the font the figures are set in: the estimate may be wider (that
        // costs space), but not narrower by more than a few percent (that would let
        // labels collide).
        let fonts = crate::fonts::fonts();
        let font = fonts
            .fonts
            .iter()
            .find(|f| f.info().family == FONT && f.info().variant.weight.to_number() >= 700)
            .expect("bold sans");
        let instance = font.clone().instantiate(
            font.info().variant,
            typst::layout::Abs::pt(10.0),
            &typst::text::FontVariations::default(),
        );
        let ttf = instance.ttf();
        let upem = instance.units_per_em();
        let actual = |s: &str| -> f64 {
            s.chars()
                .map(|c| {
                    ttf.glyph_index(c)
                        .and_then(|g| ttf.glyph_hor_advance(g))
                        .map_or(0.0, |a| a as f64 / upem)
                })
                .sum::<f64>()
        };
        for s in [
            "Water for dye liquor and tank rinsing",
            "WASTEWATER TREATMENT STATION",
            "1,234,567.890 t",
            "Pre-shrinking, inspection and packing",
            "染色/印花（含水洗）",
            "NH3-N 22.59%",
            "m³/d · Σ 100.0%",
            "Mmmm wwww",
        ] {
            let est = text_width(s, 1.0);
            let real = actual(s);
            assert!(
                est >= real * 0.97,
                "{s}: estimate {est:.2} em < font {real:.2} em"
            );
            assert!(
                est <= real * 1.35 + 0.5,
                "{s}: estimate {est:.2} em ≫ font {real:.2} em"
            );
        }
    }

    #[test]
    fn rows_split_evenly_into_parts_that_fit() {
        let heights = vec![30.0; 21];
        let one = split_rows(&heights[..5], 40.0);
        assert_eq!(one.len(), 1);
        let parts = split_rows(&heights, 40.0);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.len() >= 10), "{parts:?}");
        let flat: Vec<usize> = parts.concat();
        assert_eq!(flat, (0..21).collect::<Vec<_>>());
        for p in &parts {
            assert!(40.0 + 30.0 * p.len() as f64 <= MAX_HEIGHT);
        }
    }

    #[test]
    fn layout_check_finds_overlaps() {
        let mut svg = Svg::new();
        svg.text(10.0, 10.0, &["abc".into()], Style::new(8.0));
        svg.text(12.0, 12.0, &["abc".into()], Style::new(8.0));
        assert!(check_layout(&svg.finish(40.0)).is_err());
        let mut svg = Svg::new();
        svg.text(10.0, 10.0, &["abc".into()], Style::new(8.0));
        svg.text(10.0, 30.0, &["abc".into()], Style::new(8.0));
        assert!(check_layout(&svg.finish(60.0)).is_ok());
    }
}
