use super::fixtures::*;
use crate::media::{extract_text, extract_text_by};
use std::time::{Duration, Instant};

const MAX_CHARS: usize = 1 << 20;

async fn text(name: &str, bytes: Vec<u8>) -> Option<String> {
    extract_text(name, bytes, MAX_CHARS).await
}

#[tokio::test]
async fn plain_text_markdown_csv_and_json_are_their_own_text() {
    for name in [
        "notes.txt",
        "README.md",
        "table.csv",
        "data.json",
        "script.rs",
        "LOG",
    ] {
        let body = format!("{name}: première ligne\nsecond line\n");
        assert_eq!(
            text(name, body.clone().into_bytes()).await,
            Some(body.trim().to_owned())
        );
    }
}

#[tokio::test]
async fn binary_files_and_images_have_no_text() {
    assert_eq!(
        text("program.exe", vec![0x7f, b'E', b'L', b'F', 0, 1, 2]).await,
        None
    );
    assert_eq!(text("empty.txt", Vec::new()).await, None);
    // Images are previewed, never searched, even when their bytes read as text.
    assert_eq!(
        text("drawing.svg", b"<svg>label</svg>".to_vec()).await,
        None
    );
    assert_eq!(text("photo.JPG", b"looks like text".to_vec()).await, None);
}

#[tokio::test]
async fn html_keeps_its_words_without_markup_scripts_or_styles() {
    let page = "<html><head><style>p { color: red }</style><script>var secret = 1;</script>\
                </head><body><h1>Quarterly&nbsp;report</h1><p>Profit &amp; loss &#8212; up</p></body></html>";
    let extracted = text("page.html", page.as_bytes().to_vec()).await.unwrap();
    assert!(extracted.contains("Quarterly report"), "{extracted}");
    assert!(
        extracted.contains("Profit & loss \u{2014} up"),
        "{extracted}"
    );
    assert!(
        !extracted.contains("secret") && !extracted.contains("color"),
        "{extracted}"
    );
}

#[tokio::test]
async fn a_docx_gives_its_paragraphs() {
    let document = br#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
        <w:p><w:r><w:t>Project</w:t></w:r><w:r><w:t xml:space="preserve"> Falcon</w:t></w:r></w:p>
        <w:p><w:r><w:t>Budget &amp; plan</w:t><w:tab/><w:t>2026</w:t></w:r></w:p>
        <w:sectPr><w:pgSz w:w="12240"/></w:sectPr></w:body></w:document>"#;
    let docx = zipped(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document),
    ]);
    assert_eq!(
        text("plan.docx", docx).await.as_deref(),
        Some("Project Falcon\nBudget & plan 2026")
    );
}

#[tokio::test]
async fn a_pptx_gives_its_slides_in_order() {
    let slide = |words: &str| {
        format!(
            r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{words}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let (first, second, tenth) = (slide("Opening"), slide("Middle"), slide("Closing"));
    let pptx = zipped(&[
        ("ppt/slides/slide10.xml", tenth.as_bytes()),
        ("ppt/slides/slide1.xml", first.as_bytes()),
        ("ppt/slides/slide2.xml", second.as_bytes()),
        ("ppt/slides/_rels/slide1.xml.rels", b"<Relationships/>"),
    ]);
    assert_eq!(
        text("deck.pptx", pptx).await.as_deref(),
        Some("Opening\nMiddle\nClosing")
    );
}

#[tokio::test]
async fn an_xlsx_gives_rows_of_tab_separated_cells() {
    let shared = br#"<sst xmlns="s"><si><t>Region</t></si><si><t>Sales</t></si><si><r><t>North</t></r><r><t>east</t></r></si></sst>"#;
    let sheet = br#"<worksheet xmlns="s"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
        <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1250.5</v></c><c r="C2" t="inlineStr"><is><t>note</t></is></c></row>
        </sheetData></worksheet>"#;
    let xlsx = zipped(&[
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ]);
    assert_eq!(
        text("sales.xlsx", xlsx).await.as_deref(),
        Some("Region\tSales\nNortheast\t1250.5\tnote")
    );
}

#[tokio::test]
async fn an_odt_gives_its_paragraphs() {
    let content = br#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
        <text:h>Minutes</text:h><text:p>Agreed<text:s/>to <text:span>ship</text:span> on Friday</text:p>
        </office:text></office:body></office:document-content>"#;
    let odt = zipped(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content),
    ]);
    assert_eq!(
        text("minutes.odt", odt).await.as_deref(),
        Some("Minutes\nAgreed to ship on Friday")
    );
}

#[tokio::test]
async fn a_pdf_gives_each_pages_text_compressed_or_not() {
    for compressed in [false, true] {
        let extracted = text(
            "report.pdf",
            pdf(&["First page words", "Second page"], compressed),
        )
        .await
        .unwrap();
        let first = extracted.find("First page words").unwrap();
        let second = extracted.find("Second page").unwrap();
        assert!(first < second, "{extracted}");
    }
}

#[tokio::test]
async fn a_zip_gives_its_entry_names() {
    let zip = zipped(&[("docs/a.txt", b"a"), ("docs/", b""), ("b.png", b"b")]);
    assert_eq!(
        text("bundle.zip", zip).await.as_deref(),
        Some("docs/a.txt b.png")
    );
}

#[tokio::test]
async fn the_text_is_cut_at_max_chars() {
    let body = "é".repeat(100);
    assert_eq!(
        extract_text("a.txt", body.into_bytes(), 7).await,
        Some("é".repeat(7))
    );
    let docx = zipped(&[("word/document.xml", b"<d><p><t>abcdefgh</t></p></d>")]);
    assert_eq!(
        extract_text("a.docx", docx, 3).await.as_deref(),
        Some("abc")
    );
}

#[tokio::test]
async fn corrupt_documents_have_no_text() {
    let docx = zipped(&[("word/document.xml", b"<d><p><t>unclosed</p></d>")]);
    assert_eq!(text("broken.docx", docx).await, None);
    assert_eq!(
        text("missing.docx", zipped(&[("other.xml", b"<x/>")])).await,
        None
    );
    assert_eq!(
        text("random.pdf", b"%PDF-1.7 not really".to_vec()).await,
        None
    );
    let pdf = pdf(&["words"], true);
    assert_eq!(text("cut.pdf", pdf[..pdf.len() / 3].to_vec()).await, None);
    assert_eq!(
        text("not-a-zip.xlsx", b"PK\x03\x04junk".to_vec()).await,
        None
    );
}

#[tokio::test]
async fn a_zip_bomb_is_refused_quickly() {
    // 256 MiB of spaces in a 256 KiB document part: refused after the document's 32 MiB.
    let bomb = zip_bomb("word/document.xml", b"<d><p><t>", 256 << 20);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let started = Instant::now();
    assert_eq!(text("bomb.docx", bomb).await, None);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_pdf_deflate_bomb_is_refused() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::load_mem(&pdf(&["readable words", "bomb"], false)).unwrap();
    // The second page's content becomes 64 MiB of spaces, deflated to a few KiB: the whole
    // document is refused, not just that page.
    let page = *doc.get_pages().get(&2).unwrap();
    let mut bomb = Stream::new(dictionary! {}, vec![b' '; 64 << 20]);
    bomb.compress().unwrap();
    let bomb_id = doc.add_object(bomb);
    doc.get_object_mut(page)
        .and_then(Object::as_dict_mut)
        .unwrap()
        .set("Contents", bomb_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    assert_eq!(text("bomb.pdf", bytes).await, None);
}

#[tokio::test]
async fn too_many_zip_entries_are_refused_unread() {
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    assert_eq!(text("many.zip", zipped(&parts)).await, None);
}

#[tokio::test]
async fn extraction_stops_at_its_time_limit() {
    let docx = zipped(&[("word/document.xml", b"<d><p><t>words</t></p></d>")]);
    assert_eq!(
        extract_text_by("a.docx", docx.clone(), MAX_CHARS, Duration::ZERO).await,
        None
    );
    assert!(
        extract_text_by("a.docx", docx, MAX_CHARS, Duration::from_secs(5))
            .await
            .is_some()
    );
}
