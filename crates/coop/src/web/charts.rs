//! Charts drawn on the server as SVG text: hours per member per month, and each member's
//! balance against their commitment; the surplus and the collective reserve over the years.
//!
//! Why this shape:
//! - Pure functions from numbers and already-translated labels to a string: no JavaScript, no
//!   chart library, nothing to load, and the output is easy to test by reading it back.
//! - Accessible: the root carries `role="img"`, a `<title>` and a `<desc>` (referenced by
//!   `aria-labelledby`), and every bar its own `<title>` with the name, the month and the
//!   number; the page also shows the same numbers in a table for screen readers.
//! - Readable without colour: each member's bars sit in their own labelled panel (small
//!   multiples), and a balance is told by its side of the zero line and by a signed number
//!   printed beside the bar, not only by its tint.
//! - The Content-Security-Policy forbids inline `style` attributes, so shapes are coloured by
//!   classes (`static/style.css`, "Work" section) and placed with presentation attributes.
//! - Geometry is left to right in every language (`direction="ltr"` on the root): a time axis
//!   and a number line read that way in Arabic interfaces too, and SVG does not mirror itself
//!   the way CSS logical properties do. Names still render in their own script's direction.
//! - Sized by `viewBox` only, so the chart scales to its container on a phone.
//! - Numbers are integer minutes; lengths are computed in hundredths of a unit with integer
//!   arithmetic, so the same data always gives the same bytes.

use crate::i18n::format_hours;
use std::fmt::Write;

/// Escapes text for SVG content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Hundredths of a unit as SVG number text ("12.5", "-3", "0.07").
fn num(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let a = hundredths.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    if frac == 0 {
        format!("{sign}{whole}")
    } else if frac % 10 == 0 {
        format!("{sign}{whole}.{}", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// `value / max` of `length` hundredths, rounded to the nearest hundredth; 0 when `max` is 0.
fn scale(value: i64, max: i64, length: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    let (v, m, l) = (i128::from(value.max(0)), i128::from(max), i128::from(length));
    i64::try_from((2 * v * l + m) / (2 * m)).unwrap_or(length)
}

/// The opening of a chart: the root with its size, role and accessible name and description.
fn open(out: &mut String, id: &str, width: i64, height: i64, title: &str, desc: &str) {
    let id = esc(id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc" direction="ltr" font-size="12">"#
    );
    let _ = write!(out, r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#, esc(title), esc(desc));
}

/// The words a chart needs, translated by the caller.
#[derive(Clone, Debug)]
pub struct ChartText {
    /// The chart's accessible name.
    pub title: String,
    /// One sentence saying what the chart shows and how to read it.
    pub desc: String,
    /// The unit after a number ("h").
    pub unit: String,
}

/// One member's hours in each month (twelve values, January first), in minutes.
#[derive(Clone, Debug)]
pub struct MemberSeries {
    pub name: String,
    pub months: Vec<i64>,
}

/// Panel geometry of [`hours_per_member_month`] (SVG units).
const WIDTH: i64 = 640;
const PANEL_HEIGHT: i64 = 96;
const PANEL_LABEL: i64 = 20;
const BAR_AREA: i64 = 56;
const MONTH_LABEL: i64 = 14;
const LEFT: i64 = 8;
const SLOT: i64 = 52;
const BAR_WIDTH: i64 = 36;

/// Hours per member per month as small multiples: one panel per member, each with its twelve
/// monthly bars on one shared scale (so panels compare), the member's name and yearly total
/// above, and month names below. `month_labels` are the twelve short month names.
pub fn hours_per_member_month(id: &str, text: &ChartText, month_labels: &[String], members: &[MemberSeries]) -> String {
    let max = members.iter().flat_map(|m| m.months.iter().copied()).max().unwrap_or(0);
    let height = (PANEL_HEIGHT * members.len() as i64).max(PANEL_HEIGHT / 2);
    let mut out = String::new();
    open(&mut out, id, WIDTH, height, &text.title, &text.desc);
    if members.is_empty() {
        let _ = write!(out, r#"<text x="{LEFT}" y="24" class="chart-empty">{}</text>"#, esc(&text.desc));
    }
    for (p, m) in members.iter().enumerate() {
        let top = PANEL_HEIGHT * p as i64;
        let total: i64 = m.months.iter().sum();
        let base = top + PANEL_LABEL + BAR_AREA;
        let _ = write!(out, r#"<g class="chart-panel" data-member="{}">"#, esc(&m.name));
        let _ = write!(
            out,
            r#"<text x="{LEFT}" y="{}" class="chart-label">{} · {} {}</text>"#,
            top + 14,
            esc(&m.name),
            format_hours(total),
            esc(&text.unit)
        );
        let _ = write!(out, r#"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" class="chart-axis" stroke="currentColor" stroke-width="1"/>"#, LEFT + SLOT * 12);
        for (i, minutes) in m.months.iter().copied().enumerate() {
            let x = LEFT + SLOT * i as i64 + (SLOT - BAR_WIDTH) / 2;
            let h = scale(minutes, max, BAR_AREA * 100);
            let month = month_labels.get(i).map(String::as_str).unwrap_or("");
            let _ = write!(
                out,
                r#"<rect class="bar" x="{x}" y="{}" width="{BAR_WIDTH}" height="{}" data-minutes="{minutes}"><title>{}, {}: {} {}</title></rect>"#,
                num(base * 100 - h),
                num(h),
                esc(&m.name),
                esc(month),
                format_hours(minutes),
                esc(&text.unit)
            );
            let _ = write!(out, r#"<text x="{}" y="{}" text-anchor="middle" class="chart-tick">{}</text>"#, x + BAR_WIDTH / 2, base + MONTH_LABEL - 2, esc(month));
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// One member's balance in minutes (worked minus expected; negative: behind).
#[derive(Clone, Debug)]
pub struct BalanceBar {
    pub name: String,
    pub balance: i64,
}

const ROW: i64 = 28;
const NAMES: i64 = 170;
const VALUE_ROOM: i64 = 70;
const LEGEND: i64 = 24;

/// Each member's balance against their commitment as a horizontal bar from a zero line: to the
/// right when ahead, to the left when behind, with the signed number (+/-) at the bar's end.
/// `legend` is one line printed under the chart saying which side means what.
pub fn balance_against_commitment(id: &str, text: &ChartText, legend: &str, rows: &[BalanceBar]) -> String {
    let max = rows.iter().map(|r| r.balance.unsigned_abs()).max().unwrap_or(0).min(i64::MAX as u64) as i64;
    let half = (WIDTH - NAMES - 2 * VALUE_ROOM) / 2;
    let zero = NAMES + VALUE_ROOM + half;
    let height = ROW * rows.len().max(1) as i64 + LEGEND + 8;
    let mut out = String::new();
    open(&mut out, id, WIDTH, height, &text.title, &text.desc);
    if rows.is_empty() {
        let _ = write!(out, r#"<text x="{LEFT}" y="18" class="chart-empty">{}</text>"#, esc(&text.desc));
    }
    for (i, r) in rows.iter().enumerate() {
        let top = ROW * i as i64 + 4;
        let mid = top + ROW / 2;
        let len = scale(r.balance.abs(), max, half * 100);
        let (class, x, sign) = if r.balance < 0 { ("bar balance-behind", zero * 100 - len, "-") } else { ("bar balance-ahead", zero * 100, "+") };
        let value = format!("{sign}{}", format_hours(r.balance.abs()));
        let _ = write!(out, r#"<g class="chart-row" data-member="{}">"#, esc(&r.name));
        let _ = write!(out, r#"<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>"#, NAMES - 8, mid + 4, esc(&r.name));
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" data-minutes="{}"><title>{}: {value} {}</title></rect>"#,
            num(x),
            top + 5,
            num(len),
            ROW - 10,
            r.balance,
            esc(&r.name),
            esc(&text.unit)
        );
        // The number sits just past the bar's end, on the bar's own side of the line.
        let (tx, anchor) = if r.balance < 0 { (x - 400, "end") } else { (x + len + 400, "start") };
        let _ = write!(out, r#"<text x="{}" y="{}" text-anchor="{anchor}" class="chart-value">{value}</text>"#, num(tx), mid + 4);
        out.push_str("</g>");
    }
    let bottom = ROW * rows.len().max(1) as i64 + 4;
    let _ = write!(out, r#"<line x1="{zero}" y1="0" x2="{zero}" y2="{bottom}" class="chart-axis" stroke="currentColor" stroke-width="1"/>"#);
    let _ = write!(out, r#"<text x="{zero}" y="{}" text-anchor="middle" class="chart-tick">{}</text>"#, bottom + LEGEND - 8, esc(legend));
    out.push_str("</svg>");
    out
}

/// One fiscal year in [`surplus_and_reserve_by_year`]: amounts in cents, and the same amounts
/// already formatted for people (two decimals and the currency).
#[derive(Clone, Debug)]
pub struct YearFigures {
    pub label: String,
    /// The year's net surplus (negative: a loss); `None` when not entered yet (no bar).
    pub surplus: Option<i64>,
    /// The collective reserve's balance at the year's end.
    pub reserve: i64,
    pub surplus_text: String,
    pub reserve_text: String,
}

/// Height of the plot area of [`surplus_and_reserve_by_year`] and what surrounds it.
const YEAR_TOP: i64 = 12;
const YEAR_PLOT: i64 = 160;
const YEAR_LABEL: i64 = 18;
const YEAR_SLOT_MAX: i64 = 96;

/// Surplus and reserve over the years: one bar per fiscal year for its surplus (above the zero
/// line; a loss below it, in its own class), and the collective reserve's balance at each year's
/// end as a line with a point per year, both on one scale. Years are in the order given (oldest
/// first reads left to right); `legend` is one line under the chart saying what is what.
pub fn surplus_and_reserve_by_year(id: &str, text: &ChartText, legend: &str, years: &[YearFigures]) -> String {
    let values = years.iter().flat_map(|y| [y.surplus.unwrap_or(0), y.reserve]);
    let (max_pos, max_neg) = values.fold((0i64, 0i64), |(p, n), v| (p.max(v), n.max(v.saturating_neg())));
    let span = max_pos.saturating_add(max_neg);
    let plot = YEAR_PLOT * 100;
    // The zero line in hundredths: at the bottom when nothing is negative.
    let zero = YEAR_TOP * 100 + if span == 0 { plot } else { scale(max_pos, span, plot) };
    let slot = if years.is_empty() { YEAR_SLOT_MAX } else { ((WIDTH - 2 * LEFT) / years.len() as i64).clamp(8, YEAR_SLOT_MAX) };
    let bar = slot * 3 / 5;
    let height = YEAR_TOP + YEAR_PLOT + YEAR_LABEL + LEGEND;
    let mut out = String::new();
    open(&mut out, id, WIDTH, height, &text.title, &text.desc);
    if years.is_empty() {
        let _ = write!(out, r#"<text x="{LEFT}" y="24" class="chart-empty">{}</text>"#, esc(&text.desc));
    }
    let y_of = |v: i64| if v < 0 { zero + scale(v.saturating_neg(), span, plot) } else { zero - scale(v, span, plot) };
    let mut points = Vec::with_capacity(years.len());
    for (i, y) in years.iter().enumerate() {
        let left = LEFT + slot * i as i64;
        let centre = left + slot / 2;
        let _ = write!(out, r#"<g class="chart-year" data-year="{}">"#, esc(&y.label));
        if let Some(s) = y.surplus {
            let h = scale(s.saturating_abs(), span, plot);
            let (class, top) = if s < 0 { ("bar surplus-loss", zero) } else { ("bar", zero - h) };
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{}" y="{}" width="{bar}" height="{}" data-cents="{s}"><title>{}: {}</title></rect>"#,
                centre - bar / 2,
                num(top),
                num(h),
                esc(&y.label),
                esc(&y.surplus_text)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{centre}" y="{}" text-anchor="middle" class="chart-tick">{}</text>"#,
            YEAR_TOP + YEAR_PLOT + YEAR_LABEL - 4,
            esc(&y.label)
        );
        out.push_str("</g>");
        points.push((centre, y_of(y.reserve), y));
    }
    let _ = write!(
        out,
        r#"<line x1="{LEFT}" y1="{z}" x2="{}" y2="{z}" class="chart-axis" stroke="currentColor" stroke-width="1"/>"#,
        WIDTH - LEFT,
        z = num(zero)
    );
    if points.len() > 1 {
        let line: Vec<String> = points.iter().map(|(x, y, _)| format!("{x},{}", num(*y))).collect();
        let _ = write!(out, r#"<polyline class="reserve-line" points="{}" fill="none" stroke-width="2"/>"#, line.join(" "));
    }
    for (x, y, fig) in &points {
        let _ = write!(
            out,
            r#"<circle class="reserve-point" cx="{x}" cy="{}" r="4" data-cents="{}"><title>{}: {}</title></circle>"#,
            num(*y),
            fig.reserve,
            esc(&fig.label),
            esc(&fig.reserve_text)
        );
    }
    let _ = write!(out, r#"<text x="{LEFT}" y="{}" class="chart-tick">{}</text>"#, height - 8, esc(legend));
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attributes of every `<rect ...>` in `svg`, as (name, value) lists.
    fn rects(svg: &str) -> Vec<Vec<(String, String)>> {
        svg.match_indices("<rect ")
            .map(|(i, _)| {
                let tag = &svg[i + 6..i + svg[i..].find('>').unwrap()];
                let mut attrs = Vec::new();
                let mut rest = tag;
                while let Some(eq) = rest.find("=\"") {
                    let name = rest[..eq].trim().to_string();
                    let end = rest[eq + 2..].find('"').unwrap() + eq + 2;
                    attrs.push((name, rest[eq + 2..end].to_string()));
                    rest = &rest[end + 1..];
                }
                attrs
            })
            .collect()
    }

    fn attr(r: &[(String, String)], name: &str) -> String {
        r.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no {name} in {r:?}"))
    }

    fn f(r: &[(String, String)], name: &str) -> f64 {
        attr(r, name).parse().unwrap()
    }

    fn text() -> ChartText {
        ChartText { title: "Hours <per> member".into(), desc: "Bars & months".into(), unit: "h".into() }
    }

    fn months() -> Vec<String> {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().map(|s| s.to_string()).collect()
    }

    /// Panels of twelve bars, one per member, on one scale: heights are proportional to the
    /// minutes and every bar stands on its panel's base line.
    #[test]
    fn member_months_draws_twelve_bars_per_member_on_one_scale() {
        let mut ana = vec![0; 12];
        ana[0] = 600;
        ana[1] = 300;
        let mut ben = vec![0; 12];
        ben[2] = 150;
        let svg = hours_per_member_month("c1", &text(), &months(), &[MemberSeries { name: "Ana".into(), months: ana }, MemberSeries { name: "Ben <b>".into(), months: ben }]);
        let bars = rects(&svg);
        assert_eq!(bars.len(), 24);
        assert_eq!(svg.matches("class=\"chart-panel\"").count(), 2);
        let h: Vec<f64> = bars.iter().map(|b| f(b, "height")).collect();
        assert_eq!(h[0], BAR_AREA as f64, "the largest value fills the bar area");
        assert_eq!(h[1], BAR_AREA as f64 / 2.0);
        assert_eq!(h[12 + 2], BAR_AREA as f64 / 4.0, "the second panel uses the same scale");
        assert_eq!(h[3], 0.0);
        for (i, b) in bars.iter().enumerate() {
            let panel = (i / 12) as i64;
            let base = (PANEL_HEIGHT * panel + PANEL_LABEL + BAR_AREA) as f64;
            assert!((f(b, "y") + f(b, "height") - base).abs() < 0.01, "bar {i} stands on its base line");
        }
        assert_eq!(attr(&bars[1], "data-minutes"), "300");
        // Text is escaped, and the whole is well-formed enough to have balanced tags.
        assert!(svg.contains("Ben &lt;b&gt;") && !svg.contains("Ben <b>"));
        assert!(svg.contains("<title id=\"c1-title\">Hours &lt;per&gt; member</title>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c1-title c1-desc\"") && svg.contains("viewBox=\"0 0 640 192\""));
        assert!(svg.contains("<title>Ana, Feb: 5.00 h</title>"));
        assert!(svg.contains("Ana · 15.00 h"), "the yearly total is in the panel's label");
        assert_eq!(svg.matches("<rect").count(), svg.matches("</rect>").count());
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
        assert!(!svg.contains("style="), "the CSP forbids inline style");
    }

    #[test]
    fn an_empty_chart_says_so_and_has_no_bars() {
        let svg = hours_per_member_month("c2", &text(), &months(), &[]);
        assert_eq!(rects(&svg).len(), 0);
        assert!(svg.contains("chart-empty") && svg.ends_with("</svg>"));
        let svg = balance_against_commitment("c3", &text(), "legend", &[]);
        assert_eq!(rects(&svg).len(), 0);
    }

    /// One bar per member: ahead to the right of the zero line, behind to its left, lengths in
    /// proportion, and the signed number beside each bar so colour is not needed.
    #[test]
    fn balances_diverge_from_the_zero_line() {
        let rows = [
            BalanceBar { name: "Ana".into(), balance: 600 },
            BalanceBar { name: "Ben".into(), balance: -300 },
            BalanceBar { name: "Chloé".into(), balance: 0 },
        ];
        let svg = balance_against_commitment("b", &text(), "Right: ahead; left: behind", &rows);
        let bars = rects(&svg);
        assert_eq!(bars.len(), 3);
        let half = ((WIDTH - NAMES - 2 * VALUE_ROOM) / 2) as f64;
        let zero = (NAMES + VALUE_ROOM) as f64 + half;
        assert_eq!((f(&bars[0], "x"), f(&bars[0], "width")), (zero, half));
        assert_eq!(f(&bars[1], "width"), half / 2.0);
        assert_eq!(f(&bars[1], "x") + f(&bars[1], "width"), zero, "a deficit ends at the zero line");
        assert_eq!(f(&bars[2], "width"), 0.0);
        assert!(attr(&bars[0], "class").contains("balance-ahead") && attr(&bars[1], "class").contains("balance-behind"));
        assert!(svg.contains(">+10.00</text>") && svg.contains(">-5.00</text>") && svg.contains(">+0.00</text>"));
        assert!(svg.contains("Right: ahead; left: behind"));
        assert!(svg.contains("<title>Ben: -5.00 h</title>"));
    }

    #[test]
    fn numbers_and_scale_are_exact() {
        assert_eq!((num(1250), num(-300), num(7), num(1205)), ("12.5".to_string(), "-3".to_string(), "0.07".to_string(), "12.05".to_string()));
        assert_eq!(scale(1, 3, 100), 33);
        assert_eq!(scale(2, 3, 100), 67);
        assert_eq!(scale(5, 0, 100), 0);
        assert_eq!(esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
    /// One bar per year on one scale with the reserve: a surplus stands on the zero line, a
    /// loss hangs below it in its own class, a year without a surplus has no bar, and the
    /// reserve is one point per year joined by a line.
    #[test]
    fn surplus_and_reserve_draws_one_bar_per_year_around_zero() {
        let year = |label: &str, surplus: Option<i64>, reserve: i64| YearFigures {
            label: label.into(),
            surplus,
            reserve,
            surplus_text: format!("S{}", surplus.unwrap_or(0)),
            reserve_text: format!("R{reserve}"),
        };
        let years = [year("2023", Some(30_000), 10_000), year("2024", Some(-10_000), 5_000), year("2025 <x>", None, 5_000)];
        let svg = surplus_and_reserve_by_year("s", &text(), "bars: surplus", &years);
        let bars = rects(&svg);
        assert_eq!(bars.len(), 2, "no bar for a year without a surplus");
        assert_eq!(svg.matches("class=\"chart-year\"").count(), 3);
        let plot = YEAR_PLOT as f64;
        // The span is 30000 + 10000: zero sits three quarters down the plot.
        let zero = YEAR_TOP as f64 + plot * 0.75;
        assert_eq!(f(&bars[0], "height"), plot * 0.75);
        assert!((f(&bars[0], "y") + f(&bars[0], "height") - zero).abs() < 0.01, "a surplus stands on the zero line");
        assert_eq!(f(&bars[1], "y"), zero, "a loss hangs from the zero line");
        assert_eq!(f(&bars[1], "height"), plot * 0.25);
        assert!(attr(&bars[1], "class").contains("surplus-loss") && !attr(&bars[0], "class").contains("surplus-loss"));
        assert_eq!(attr(&bars[0], "data-cents"), "30000");
        assert_eq!(svg.matches("class=\"reserve-point\"").count(), 3);
        assert!(svg.contains("<polyline class=\"reserve-line\""));
        assert!(svg.contains("<title>2023: S30000</title>") && svg.contains("<title>2024: R5000</title>"));
        assert!(svg.contains("2025 &lt;x&gt;") && !svg.contains("2025 <x>"));
        assert!(svg.contains("bars: surplus") && !svg.contains("style="));
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
        // Nothing negative: zero is the bottom of the plot.
        let svg = surplus_and_reserve_by_year("t", &text(), "", &[year("2025", Some(100), 50)]);
        let bars = rects(&svg);
        assert_eq!(f(&bars[0], "y") + f(&bars[0], "height"), (YEAR_TOP + YEAR_PLOT) as f64);
        let empty = surplus_and_reserve_by_year("e", &text(), "", &[]);
        assert!(rects(&empty).is_empty() && empty.contains("chart-empty"));
    }
}
