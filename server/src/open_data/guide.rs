//! `/api`: the guide to the open data, in Thai or English (the reader's language, with a
//! switch), written from the OpenAPI document itself so the two always list the same endpoints
//! and parameters. Its examples are live: each links to a real answer of this server, with ids
//! that exist in its data. It also holds the data dictionary of the CSV downloads
//! (`/api#dictionary`). Plain HTML with the site's stylesheet: no script, nothing fetched at
//! build time.

use super::document;
use super::download::{CAMPAIGN_COLUMNS, HOSPITAL_COLUMNS, UNIT_COLUMNS};
use crate::error_page::escape;
use crate::AppState;
use app::model::Lang;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write as _;
use utoipa::openapi::path::Operation;

/// Ids that exist, for the live examples (the demo's when the data is empty of them).
struct Examples {
    campaign: String,
    hospital: String,
    unit: String,
}

async fn examples(state: &AppState) -> Examples {
    let first = |sql: &'static str, fallback: &'static str| {
        let db = state.db.clone();
        async move {
            let Ok(mut c) = db.reader().acquire().await else {
                return fallback.to_owned();
            };
            sqlx::query_scalar::<_, String>(sql)
                .fetch_optional(&mut *c)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| fallback.to_owned())
        }
    };
    Examples {
        campaign: first(
            "select cast(min(campaign_id) as text) from campaign where status <> 'draft'",
            "1",
        )
        .await,
        hospital: first("select min(facility_code) from hospital", "10669").await,
        unit: first(
            "select asset_tag from equipment_unit order by equipment_unit_id limit 1",
            "EQ-1-00001",
        )
        .await,
    }
}

/// The guide page.
pub async fn page(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let lang = app::i18n::lang_of_request(uri.query(), headers.get(header::COOKIE));
    let ex = examples(&state).await;
    Html(render(lang, &ex)).into_response()
}

/// An operation's example address, with the example ids put in.
fn example_of(path: &str, ex: &Examples) -> String {
    let live = path
        .replace("{id}", &ex.campaign)
        .replace("{facility_code}", &ex.hospital)
        .replace("{tag}", &ex.unit);
    match path {
        "/api/v1/campaigns" | "/api/v1/hospitals" => format!("{live}?limit=2"),
        "/api/v1/units" => format!("{live}?campaign={}&limit=2", ex.campaign),
        _ => live,
    }
}

fn render(lang: Lang, ex: &Examples) -> String {
    let t = |th: &'static str, en: &'static str| lang.pick(th, en);
    let mut out = String::with_capacity(24 * 1024);
    let (code, other, other_name) = match lang {
        Lang::Th => ("th", "en", "English"),
        Lang::En => ("en", "th", "ภาษาไทย"),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Phapa</title><link rel=\"stylesheet\" href=\"/pkg/phapa.css\"></head>\
         <body><main class=\"wrap api-guide\">\
         <p><a href=\"/\">{home}</a> · <a href=\"/api?lang={other}\" hreflang=\"{other}\">{other_name}</a></p>\
         <h1>{title}</h1><p>{intro}</p>",
        title = t("ข้อมูลเปิด: API และไฟล์ดาวน์โหลด", "Open data: the API and downloads"),
        home = t("หน้าแรก", "Home"),
        intro = t(
            "ทุกคนตรวจสอบได้ว่าเงินทุกบาทไปที่ใด โดยไม่ต้องมีบัญชีผู้ใช้ ข้อมูลเป็น JSON และ CSV \
             ไม่มีข้อมูลส่วนบุคคล ไม่มีชื่อผู้บริจาค และไม่มีข้อมูลผู้ป่วย จำนวนเกี่ยวกับผู้ป่วยที่น้อยกว่า 5 จะไม่เผยแพร่ \
             จำนวนเงินให้มาเป็นข้อความบาททศนิยมสองตำแหน่งคู่กับจำนวนสตางค์ที่แม่นยำ",
            "Anyone can check where every baht went, with no account. The data comes as JSON and \
             CSV, with no personal data: no donor names and nothing about patients; counts about \
             patients from 1 to 4 are not published. Amounts come as baht text with two decimals \
             beside exact whole satang.",
        ),
    );
    let _ = write!(
        out,
        "<p>{doc} <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a></p>",
        doc = t(
            "คำอธิบายแบบ OpenAPI 3.1 (ใช้สร้างโค้ดเรียก API ได้):",
            "The OpenAPI 3.1 description (for generating clients):"
        ),
    );
    let _ = write!(out, "<h2>{}</h2>", t("ปลายทาง", "Endpoints"));
    for (path, item) in &document().paths.paths {
        let Some(op) = &item.get else { continue };
        endpoint(&mut out, lang, path, op, ex);
    }
    rules(&mut out, lang);
    dictionary(&mut out, lang);
    out.push_str("</main></body></html>");
    out
}

/// What an endpoint does, in Thai (the document's own words are English).
fn thai_summary(path: &str) -> Option<&'static str> {
    Some(match path {
        "/api/v1/campaigns" => "กองผ้าป่าที่เผยแพร่แล้ว เรียงตามรหัส",
        "/api/v1/campaigns/{id}" => {
            "กองผ้าป่าหนึ่งกอง: ยอดเงิน (ได้รับ ยกมา ยกไป ใช้ไป) และความคืบหน้าของรายการครุภัณฑ์ที่ต้องการ"
        }
        "/api/v1/campaigns.csv" => "กองผ้าป่าทั้งหมดเป็นไฟล์ CSV",
        "/api/v1/hospitals" => "สถานบริการ เรียงตามรหัสสถานบริการ กรองตามจังหวัดและอำเภอได้",
        "/api/v1/hospitals/{facility_code}" => {
            "สถานบริการหนึ่งแห่ง: ครุภัณฑ์ที่ได้รับ คำขอที่ยังค้าง และการให้ยืมไปบ้านผู้ป่วย (จำนวนที่น้อยกว่า 5 ไม่เผยแพร่)"
        }
        "/api/v1/hospitals.csv" => "สถานบริการทั้งหมดเป็นไฟล์ CSV",
        "/api/v1/units" => "ครุภัณฑ์ทีละชิ้น เรียงตามลำดับที่บันทึก กรองตามกองผ้าป่าได้",
        "/api/v1/units/{tag}" => "ครุภัณฑ์หนึ่งชิ้น: อยู่ที่ใด และประวัติสาธารณะ",
        "/api/v1/units.csv" => "ครุภัณฑ์ทั้งหมดเป็นไฟล์ CSV",
        "/api/v1/donations/{reference}/trace" => {
            "เงินบริจาคหนึ่งรายการไปซื้ออะไร ด้วยรหัสอ้างอิงของผู้บริจาค (เป็นความลับของผู้บริจาค ไม่มีชื่อผู้บริจาค)"
        }
        _ => return None,
    })
}

/// What a parameter means, in Thai.
fn thai_parameter(name: &str) -> Option<&'static str> {
    Some(match name {
        "cursor" => "ค่า next_cursor ของหน้าก่อน ไม่ต้องใส่สำหรับหน้าแรก",
        "limit" => "จำนวนรายการต่อหน้า 1 ถึง 200 (ค่าเริ่มต้น 50)",
        "province" => "เฉพาะจังหวัดนี้: รหัสจังหวัด 2 หลัก (เช่น 34 อุบลราชธานี)",
        "district" => "เฉพาะอำเภอนี้: รหัสอำเภอ 4 หลัก (เช่น 3401)",
        "campaign" => "เฉพาะกองผ้าป่านี้ (ไม่พบกองผ้าป่าได้ 404)",
        "id" => "รหัสกองผ้าป่า",
        "facility_code" => "รหัสสถานบริการ 5 หลัก",
        "tag" => "รหัสครุภัณฑ์ เช่น EQ-1-00001",
        "reference" => "รหัสอ้างอิงการบริจาค เช่น PP-7K3M-Q9XD-2F8A-6RTB",
        _ => return None,
    })
}

/// Text of the document, escaped, with its `code` spans as code.
fn marked(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn endpoint(out: &mut String, lang: Lang, path: &str, op: &Operation, ex: &Examples) {
    let t = |th: &'static str, en: &'static str| lang.pick(th, en);
    let english = op.summary.as_deref().unwrap_or_default();
    let summary = match (lang, thai_summary(path)) {
        (Lang::Th, Some(th)) => escape(th),
        _ => marked(english),
    };
    let example = example_of(path, ex);
    let _ = write!(
        out,
        "<section class=\"api-endpoint\"><h3><code>GET {path}</code></h3><p>{summary}</p>",
        path = escape(path),
    );
    if let Some(description) = op.description.as_deref().filter(|_| lang == Lang::En) {
        let _ = write!(out, "<p>{}</p>", marked(description));
    }
    if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
        let _ = write!(
            out,
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
            t("พารามิเตอร์", "Parameter"),
            t("ความหมาย", "Meaning"),
        );
        for p in params {
            let utoipa::openapi::RefOr::T(p) = p else {
                continue;
            };
            let meaning = match (lang, thai_parameter(&p.name)) {
                (Lang::Th, Some(th)) => escape(th),
                _ => marked(p.description.as_deref().unwrap_or_default()),
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{meaning}</td></tr>",
                escape(&p.name),
            );
        }
        out.push_str("</tbody></table>");
    }
    if path.contains("{reference}") {
        // A gift's reference is its donor's secret: no example, and a made-up one would count
        // against the reader's look-up limit.
        let _ = write!(
            out,
            "<p>{}</p></section>",
            t(
                "ใช้รหัสอ้างอิงของเงินบริจาคของคุณเอง (อยู่ในหน้าการบริจาคและใบเสร็จ)",
                "Use your own gift's reference (on its donation page and receipt).",
            )
        );
        return;
    }
    let _ = write!(
        out,
        "<p>{try_it} <a href=\"{href}\"><code>{shown}</code></a></p></section>",
        try_it = t("ตัวอย่างจริง:", "Live example:"),
        href = escape(&example),
        shown = escape(&example),
    );
}

fn rules(out: &mut String, lang: Lang) {
    let t = |th: &'static str, en: &'static str| lang.pick(th, en);
    let _ = write!(
        out,
        "<h2>{h}</h2><ul><li>{pages}</li><li>{cors}</li><li>{cache}</li><li>{limit}</li><li>{errors}</li></ul>\
         <pre tabindex=\"0\"><code>{{\"error\": \"bad_request\", \"message\": {{\"th\": \"…\", \"en\": \"…\"}}, \
         \"fields\": [{{\"field\": \"limit\", \"message\": {{\"th\": \"…\", \"en\": \"…\"}}}}]}}</code></pre>",
        h = t("กติกาการใช้", "How it behaves"),
        pages = t(
            "รายการแบ่งเป็นหน้า หน้าละไม่เกิน 200 รายการ (ค่าเริ่มต้น 50) ส่ง next_cursor ของหน้าก่อนเป็น cursor เพื่อรับหน้าถัดไป ลำดับคงที่",
            "Lists come a page at a time, at most 200 items (50 by default); pass the page's \
             next_cursor as cursor for the next one. The order never changes.",
        ),
        cors = t(
            "เว็บไซต์อื่นอ่านข้อมูลสาธารณะได้ (Access-Control-Allow-Origin: *) ยกเว้นการติดตามเงินบริจาคซึ่งเป็นความลับของผู้บริจาค",
            "Other sites may read the public answers (Access-Control-Allow-Origin: *), except a \
             donation's trace, which is the donor's secret.",
        ),
        cache = t(
            "คำตอบ JSON ที่เซิร์ฟเวอร์เก็บไว้มี ETag ส่ง If-None-Match กลับมาเพื่อรับ 304 เมื่อข้อมูลไม่เปลี่ยน",
            "JSON answers the server keeps carry an ETag: send it back in If-None-Match to get a \
             304 while the data is unchanged.",
        ),
        limit = t(
            "แต่ละเครื่องเรียกได้จำนวนจำกัดต่อ 10 นาที เกินแล้วได้ 429 พร้อม Retry-After (วินาที) \
             จำนวนครั้งที่ให้ยืมไปบ้านของครุภัณฑ์แต่ละชิ้นในรายการ ถ้า 1 ถึง 4 ครั้งจะไม่เผยแพร่",
            "Each client may ask a limited number of times per 10 minutes; past it the answer is \
             429 with Retry-After (seconds). In the lists, a unit's loans to homes from 1 to 4 are \
             not published.",
        ),
        errors = t(
            "ข้อผิดพลาดเป็น JSON รูปแบบเดียวกันทุกปลายทาง:",
            "Errors are JSON of one shape everywhere:",
        ),
    );
}

fn dictionary(out: &mut String, lang: Lang) {
    let t = |th: &'static str, en: &'static str| lang.pick(th, en);
    let _ = write!(
        out,
        "<h2 id=\"dictionary\">{h}</h2><p>{p}</p>",
        h = t("ไฟล์ดาวน์โหลดและพจนานุกรมข้อมูล", "Downloads and data dictionary"),
        p = t(
            "ไฟล์ CSV เข้ารหัส UTF-8 มี BOM (เปิดใน Excel ได้ภาษาไทย) จำนวนเงินเป็นบาททศนิยมสองตำแหน่ง วันที่เป็น YYYY-MM-DD (ค.ศ.) \
             ข้อความที่ขึ้นต้นเหมือนสูตรจะมีเครื่องหมาย ' นำหน้า",
            "CSV files are UTF-8 with a byte-order mark (Excel shows the Thai), amounts in baht \
             with two decimals, dates as YYYY-MM-DD (Common Era). Text that starts like a \
             formula is prefixed with an apostrophe.",
        ),
    );
    for (file, columns) in [
        ("/api/v1/campaigns.csv", CAMPAIGN_COLUMNS),
        ("/api/v1/hospitals.csv", HOSPITAL_COLUMNS),
        ("/api/v1/units.csv", UNIT_COLUMNS),
    ] {
        let _ = write!(
            out,
            "<h3><a href=\"{file}\" download><code>{file}</code></a></h3>\
             <table><thead><tr><th>{c}</th><th>{m}</th></tr></thead><tbody>",
            c = t("คอลัมน์", "Column"),
            m = t("ความหมาย", "Meaning"),
        );
        for (name, en, th) in columns {
            let _ = write!(
                out,
                "<tr><td><code>{name}</code></td><td>{}</td></tr>",
                escape(lang.pick(th, en)),
            );
        }
        out.push_str("</tbody></table>");
    }
}
