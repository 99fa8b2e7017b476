//! `/finance/purchases/{id}/labels`: a printable sheet of a purchase's asset labels with QR codes.

use crate::api::equipment::purchase_labels;
use crate::components::guard::Refused;
use crate::i18n::use_lang;
use crate::model::PurchaseId;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/finance/purchases/{id}/labels`: a printable sheet of a purchase's asset labels.
#[component]
pub fn LabelsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<PurchaseId>().ok())
        .unwrap_or_default();
    let labels = Resource::new(move || id, purchase_labels);
    view! {
        <Title text=lang.pick("ป้ายครุภัณฑ์ · Phapa", "Asset labels · Phapa") />
        <section class="wrap labels-page">
            <p class="crumbs no-print"><a href="/finance">{lang.pick("การเงิน", "Finance")}</a></p>
            <h1 class="no-print">{format!("{} #{id}", lang.pick("ป้ายครุภัณฑ์ของรายการซื้อ", "Asset labels of purchase"))}</h1>
            <p class="hint no-print">{lang.pick("พิมพ์จากเมนูของเบราว์เซอร์ แล้วติดป้ายที่ตัวเครื่อง สแกน QR เพื่อเปิดหน้าของครุภัณฑ์ชิ้นนั้น", "Print from the browser's menu and stick each label on its unit; the QR code opens the unit's public page.")}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match labels.await {
                        Err(error) => view! { <Refused error /> }.into_any(),
                        Ok(sheet) if sheet.labels.is_empty() => view! { <p class="empty">{lang.pick("รายการซื้อนี้ยังไม่ได้รับของ", "This purchase has not been received yet.")}</p> }.into_any(),
                        Ok(sheet) => view! {
                            <AddressWarning base=sheet.base.clone() configured=sheet.configured private=sheet.private_address() />
                            <ul class="labels">
                                {sheet.labels.into_iter().map(|l| {
                                    let view_box = format!("0 0 {0} {0}", l.qr.size);
                                    view! {
                                        <li class="label" data-tag=l.tag.clone()>
                                            <svg class="qr" viewBox=view_box width="112" height="112" role="img" shape-rendering="crispEdges" aria-label=l.url.clone()>
                                                <rect width=l.qr.size height=l.qr.size fill="#ffffff" />
                                                <path d=l.qr.path.clone() fill="#000000" />
                                            </svg>
                                            <div>
                                                <strong class="tag">{l.tag.clone()}</strong>
                                                <span>{l.item.get(lang).to_owned()}</span>
                                                {l.serial_no.clone().map(|s| view! { <span class="small">{format!("S/N {s}")}</span> })}
                                                <span class="small">"Phapa · ผ้าป่าประชารัฐ"</span>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A warning, never printed, when the QR codes would open an address a scanning phone cannot
/// reach or one nobody chose for printing.
#[component]
fn AddressWarning(base: String, configured: bool, private: bool) -> impl IntoView {
    let lang = use_lang();
    let text = match (private, configured, lang) {
        (true, _, crate::model::Lang::Th) => format!("ห้ามพิมพ์: QR บนป้ายจะเปิด {base} ซึ่งเปิดได้จากเครื่องนี้หรือเครือข่ายภายในเท่านั้น ผู้ที่สแกนจะเปิดไม่ได้ ให้ผู้ดูแลระบบตั้งค่า PHAPA_PUBLIC_URL เป็นที่อยู่เว็บไซต์จริงก่อน"),
        (true, _, crate::model::Lang::En) => format!("Do not print: the QR codes would open {base}, which only this machine or its local network can reach; nobody who scans them could. Ask the administrator to set PHAPA_PUBLIC_URL to the site's real address first."),
        (false, false, crate::model::Lang::Th) => format!("QR บนป้ายจะเปิด {base} (ที่อยู่ที่ใช้เปิดหน้านี้ ไม่ได้ตั้งค่า PHAPA_PUBLIC_URL) ตรวจสอบว่าเป็นที่อยู่ที่ผู้บริจาคเปิดได้ก่อนพิมพ์"),
        (false, false, crate::model::Lang::En) => format!("The QR codes open {base} (the address this page was opened on; PHAPA_PUBLIC_URL is not set). Check that donors can open it before printing."),
        (false, true, _) => String::new(),
    };
    (!text.is_empty()).then(|| {
        let class = if private {
            "notice error address-warning no-print"
        } else {
            "notice warning address-warning no-print"
        };
        view! { <p class=class role="alert">{text}</p> }
    })
}
