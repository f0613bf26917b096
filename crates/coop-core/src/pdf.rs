//! A small PDF writer for text documents: headings, paragraphs and bulleted lines, wrapped to
//! the page and flowed onto as many A4 pages as they need.
//!
//! Why by hand: the legal records coop prints (minutes, allocation notices) are plain text,
//! and the few PDF objects they need (a catalog, a page tree, two standard fonts, one content
//! stream per page, the cross-reference table) fit in this file, with no dependency to audit.
//!
//! Limits, on purpose:
//! - Text uses the standard Helvetica and Helvetica-Bold fonts with WinAnsi encoding, which
//!   every reader has built in. That covers Latin scripts (English, most Western European
//!   languages); any character WinAnsi cannot encode (Arabic, Greek, CJK, emoji) prints as `?`.
//!   A document that must show those needs an embedded font, which this writer does not do.
//! - No images, tables or links; content streams are not compressed (documents are small).
//!
//! ```
//! let mut doc = coop_core::pdf::PdfDocument::new("Notice");
//! doc.heading(1, "Notice of allocation");
//! doc.paragraph("Your allocation for 2026 is 1,234.56 USD.");
//! let bytes = doc.finish();
//! assert!(bytes.starts_with(b"%PDF-1.4"));
//! ```

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 11.0;

/// A text document being laid out. Add blocks in reading order, then [`PdfDocument::finish`].
#[derive(Clone, Debug)]
pub struct PdfDocument {
    title: String,
    pages: Vec<Vec<u8>>,
    current: Vec<u8>,
    /// The baseline of the next line, from the bottom of the page.
    y: f32,
}

impl PdfDocument {
    /// An empty document; `title` goes into the document information (shown by readers).
    pub fn new(title: &str) -> PdfDocument {
        PdfDocument { title: title.to_string(), pages: Vec::new(), current: Vec::new(), y: PAGE_H - MARGIN }
    }

    /// A heading: level 1 is the largest. Kept with at least one following line on its page.
    pub fn heading(&mut self, level: u8, text: &str) {
        let size = match level {
            0 | 1 => 18.0,
            2 => 14.0,
            _ => 12.0,
        };
        if self.y < PAGE_H - MARGIN - 1.0 {
            self.y -= size * 0.5;
        }
        // Keep with next: the heading's lines plus one body line must fit.
        let lines = wrap(text, size, true, PAGE_W - 2.0 * MARGIN);
        let needed = lines.len() as f32 * size * 1.3 + BODY_SIZE * 1.4;
        if self.y - needed < MARGIN {
            self.new_page();
        }
        for l in lines {
            self.line_at(&l, size, true, MARGIN);
        }
        self.y -= size * 0.25;
    }

    /// A paragraph of body text, wrapped; a blank line follows. Newlines inside `text` start
    /// new lines.
    pub fn paragraph(&mut self, text: &str) {
        for part in text.split('\n') {
            for l in wrap(part, BODY_SIZE, false, PAGE_W - 2.0 * MARGIN) {
                self.line_at(&l, BODY_SIZE, false, MARGIN);
            }
        }
        self.space();
    }

    /// One bulleted entry, wrapped with a hanging indent.
    pub fn bullet(&mut self, text: &str) {
        let indent = 14.0;
        for (i, l) in wrap(text, BODY_SIZE, false, PAGE_W - 2.0 * MARGIN - indent).into_iter().enumerate() {
            if i == 0 {
                if self.y - BODY_SIZE * 1.4 < MARGIN {
                    self.new_page();
                }
                let y = self.y - BODY_SIZE;
                self.text_op(MARGIN + 3.0, y, BODY_SIZE, false, "-");
            }
            self.line_at(&l, BODY_SIZE, false, MARGIN + indent);
        }
    }

    /// One line of body text, wrapped if it is too long.
    pub fn line(&mut self, text: &str) {
        for l in wrap(text, BODY_SIZE, false, PAGE_W - 2.0 * MARGIN) {
            self.line_at(&l, BODY_SIZE, false, MARGIN);
        }
    }

    /// Vertical space of half a line.
    pub fn space(&mut self) {
        self.y -= BODY_SIZE * 0.6;
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.current);
        self.pages.push(page);
        self.y = PAGE_H - MARGIN;
    }

    fn line_at(&mut self, text: &str, size: f32, bold: bool, x: f32) {
        let leading = size * 1.3;
        if self.y - leading < MARGIN {
            self.new_page();
        }
        self.y -= leading;
        let y = self.y + (leading - size);
        self.text_op(x, y, size, bold, text);
    }

    fn text_op(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold { "F2" } else { "F1" };
        self.current.extend_from_slice(format!("BT /{font} {size:.1} Tf {x:.2} {y:.2} Td (").as_bytes());
        for b in win_ansi(text) {
            match b {
                b'(' | b')' | b'\\' => {
                    self.current.push(b'\\');
                    self.current.push(b);
                }
                _ => self.current.push(b),
            }
        }
        self.current.extend_from_slice(b") Tj ET\n");
    }

    /// The finished file.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.current.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let n = self.pages.len();
        // Objects: 1 catalog, 2 pages, 3 F1, 4 F2, 5 info, then (page, content) pairs.
        let mut objects: Vec<Vec<u8>> = Vec::new();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
        objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
        objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_vec());
        let mut info = b"<< /Producer (coop) /Title (".to_vec();
        for b in win_ansi(&self.title) {
            if matches!(b, b'(' | b')' | b'\\') {
                info.push(b'\\');
            }
            info.push(b);
        }
        info.extend_from_slice(b") >>");
        objects.push(info);
        for (i, content) in self.pages.iter().enumerate() {
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                    7 + 2 * i
                )
                .into_bytes(),
            );
            let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            stream.extend_from_slice(content);
            stream.extend_from_slice(b"\nendstream");
            objects.push(stream);
        }
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
        out
    }
}

/// The WinAnsi byte for a character, or `?` when it has none.
pub fn win_ansi_byte(c: char) -> u8 {
    let u = c as u32;
    match u {
        0x20..=0x7E | 0xA0..=0xFF => u as u8,
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            '\t' => b' ',
            _ => b'?',
        },
    }
}

/// Text as WinAnsi bytes (see [`win_ansi_byte`]).
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars().filter(|c| *c != '\r' && *c != '\n').map(win_ansi_byte).collect()
}

/// Helvetica's advance widths (thousandths of the size) for ASCII 32..=126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // A-Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // a-z
    334, 260, 334, 584, // { to ~
];

/// The width of `text` in points. Bold is measured as regular plus 10%, which is never
/// narrower than Helvetica-Bold's real widths for Latin text, so wrapped bold lines fit.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match win_ansi_byte(c) {
            b @ 32..=126 => u32::from(HELVETICA[(b - 32) as usize]),
            _ => 667,
        })
        .sum();
    let w = units as f32 * size / 1000.0;
    if bold {
        w * 1.1
    } else {
        w
    }
}

/// Greedy word wrap to `max` points; a word longer than a line is split by characters.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if text_width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if text_width(word, size, bold) <= max {
            line = word.to_string();
        } else {
            for c in word.chars() {
                let mut next = line.clone();
                next.push(c);
                if text_width(&next, size, bold) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = next;
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_document_is_a_well_formed_pdf() {
        let mut doc = PdfDocument::new("Minutes (May)");
        doc.heading(1, "Minutes");
        doc.paragraph("We met (all of us) and agreed \\ nothing.");
        doc.bullet("An action");
        let bytes = doc.finish();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("(We met \\(all of us\\) and agreed \\\\ nothing.) Tj"));
        // Every xref offset points at the start of its object.
        let xref_at: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        let table = &bytes[xref_at..];
        let table = String::from_utf8_lossy(table);
        for (i, line) in table.lines().skip(3).take_while(|l| l.ends_with(" n ")).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(bytes[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {} at {off}", i + 1);
        }
    }

    #[test]
    fn long_documents_flow_onto_more_pages() {
        let mut doc = PdfDocument::new("Long");
        for i in 0..200 {
            doc.paragraph(&format!("Paragraph {i} with some words in it."));
        }
        let text = String::from_utf8_lossy(&doc.finish()).to_string();
        let pages = text.matches("/Type /Page ").count();
        assert!(pages >= 4, "{pages} pages");
        assert!(text.contains(&format!("/Count {pages}")));
    }

    #[test]
    fn encoding_replaces_what_winansi_lacks() {
        assert_eq!(win_ansi("café – €"), vec![b'c', b'a', b'f', 0xE9, b' ', 0x96, b' ', 0x80]);
        assert_eq!(win_ansi("مرحبا"), b"?????".to_vec());
    }

    proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_every_word(words in proptest::collection::vec("[a-zA-Z0-9]{1,90}", 0..40)) {
            let text = words.join(" ");
            let max = 200.0;
            let lines = wrap(&text, 11.0, false, max);
            for l in &lines {
                prop_assert!(text_width(l, 11.0, false) <= max || l.chars().count() == 1);
            }
            prop_assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        }
    }
}
