//! Markdown for proposal texts: rendered to HTML with raw HTML shown as text, so a proposal
//! can have headings, lists and links but never a script or a style.

use pulldown_cmark::{html, Event, Options, Parser, Tag};

/// Renders Markdown to safe HTML: raw HTML is escaped, and links and images keep only
/// `http`, `https`, `mailto` and relative targets.
pub fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "#".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "#".into(), title, id })
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains('/') && !scheme.contains('?') && !scheme.contains('#') => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = to_safe_html("# Rota\n\n- two on duty\n- **four** days");
        assert!(html.contains("<h1>Rota</h1>"), "{html}");
        assert!(html.contains("<li>two on duty</li>"), "{html}");
        assert!(html.contains("<strong>four</strong>"), "{html}");
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let html = to_safe_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://coop.example/a)");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"href="https://coop.example/a""#), "{html}");
    }
}
