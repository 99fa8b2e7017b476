//! `/units/{tag}`: one unit's public page, where its label's QR code leads. It says what the unit
//! is, which campaign paid for it (or that it was given in kind), where it is now and what
//! happened to it, and names no person.

use crate::api::equipment::get_public_unit;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_lang;
use crate::model::equipment::{PublicUnit, UnitEventPublic};
use crate::model::thai_date::{bangkok_date, format_date};
use crate::model::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// The unit page.
#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let unit = Resource::new(
        move || params.read().get("tag").unwrap_or_default(),
        get_public_unit,
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match unit.await {
                    Ok(unit) => view! { <UnitView unit /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A stored date (`YYYY-MM-DD`) as readers expect it (Buddhist Era on the Thai page); the text as
/// stored if it is not a date.
pub fn stored_date(text: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| text.to_owned())
}

/// The Bangkok calendar date of a stored instant (RFC 3339), as [`stored_date`] shows dates.
pub fn stored_instant_date(text: &str, lang: Lang) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|at| format_date(bangkok_date(at.with_timezone(&Utc)), lang))
        .unwrap_or_else(|_| text.to_owned())
}

/// What one step of a unit's public history was, in words.
fn event_words(kind: &str, lang: Lang) -> String {
    let (th, en) = match kind {
        "stocked" => ("รับเข้าคลัง", "Taken into stock"),
        "allocated" => ("จัดสรรให้โรงพยาบาล", "Allocated to a hospital"),
        "dispatched" => ("จัดส่งไปยังโรงพยาบาล", "Sent to the hospital"),
        "accepted" => (
            "โรงพยาบาลยืนยันว่าได้รับแล้ว",
            "Received and confirmed by the hospital",
        ),
        "rejected" => (
            "โรงพยาบาลปฏิเสธการรับ ส่งกลับคลัง",
            "Refused by the hospital and returned to stock",
        ),
        "condition" => ("ปรับสถานะการใช้งาน", "Condition updated"),
        "written_off" => ("ตัดจำหน่าย", "Written off"),
        "voided" => ("ยกเลิกพร้อมการจัดซื้อ", "Voided with its purchase"),
        other => return other.to_owned(),
    };
    lang.pick(th, en).to_owned()
}

#[component]
fn UnitView(unit: PublicUnit) -> impl IntoView {
    let lang = use_lang();
    let item = unit.item.get(lang).to_owned();
    let campaign = unit.campaign_title.get(lang).to_owned();
    let campaign_href = format!("/campaigns/{}", unit.campaign_id);
    let origin = if unit.in_kind {
        let value = (unit.price.satang() > 0)
            .then(|| format!("{}{}", lang.pick(" · มูลค่า ", " · valued at "), unit.price));
        view! {
            <div><dt>{lang.pick("ที่มา", "Origin")}</dt><dd>{lang.pick("ได้รับบริจาคเป็นสิ่งของ", "Given in kind")}{value}</dd></div>
        }
        .into_any()
    } else {
        let bought = unit
            .bought_on
            .as_deref()
            .map_or_else(|| "—".to_owned(), |d| stored_date(d, lang));
        view! {
            <div><dt>{lang.pick("ซื้อเมื่อ", "Bought on")}</dt><dd>{bought}</dd></div>
            <div><dt>{lang.pick("ราคา", "Price")}</dt><dd class="amount">{unit.price.to_string()}</dd></div>
        }
        .into_any()
    };
    let place = match (&unit.hospital, &unit.facility_code) {
        (Some(h), Some(code)) => {
            let since = unit.held_since.as_deref().map(|s| {
                format!(
                    "{}{}",
                    lang.pick("ตั้งแต่ ", "since "),
                    stored_instant_date(s, lang)
                )
            });
            view! {
                <a href=format!("/hospitals/{code}")>{h.get(lang).to_owned()}</a>
                {since.map(|s| view! { <span class="small">" · "{s}</span> })}
            }
            .into_any()
        }
        _ => lang
            .pick("ยังไม่ถึงโรงพยาบาล", "Not at a hospital yet")
            .into_any(),
    };
    let description = format!(
        "{item} {} {} · {campaign}",
        lang.pick("รหัสครุภัณฑ์", "asset tag"),
        unit.tag
    );
    view! {
        <Title text=format!("{} · {item} · Phapa", unit.tag) />
        <Meta name="description" content=description />
        <article class="wrap unit-page">
            <p class="crumbs"><a href=campaign_href.clone()>{campaign.clone()}</a></p>
            <h1>{item}</h1>
            <p class="reference-line">
                {lang.pick("รหัสครุภัณฑ์ ", "Asset tag ")}
                <strong class="reference asset-tag">{unit.tag.clone()}</strong>
                " "
                <span class=format!("badge unit-{}", unit.status.code())>{unit.status.label(lang)}</span>
            </p>
            <dl class="facts card">
                <div><dt>{lang.pick("กองผ้าป่า", "Campaign")}</dt><dd><a href=campaign_href>{campaign}</a></dd></div>
                {origin}
                <div><dt>{lang.pick("สถานะ", "Status")}</dt><dd>{unit.status.label(lang)}</dd></div>
                <div><dt>{lang.pick("สภาพการใช้งาน", "Condition")}</dt><dd>{unit.condition.label(lang)}</dd></div>
                <div><dt>{lang.pick("อยู่ที่", "Held by")}</dt><dd>{place}</dd></div>
            </dl>
            <History events=unit.history />
        </article>
    }
}

#[component]
fn History(events: Vec<UnitEventPublic>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="unit-history">
            <h2>{lang.pick("ประวัติ", "History")}</h2>
            {if events.is_empty() {
                view! { <p class="empty">{lang.pick("ยังไม่มีประวัติ", "Nothing yet.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{lang.pick("วันที่", "Date")}</th>
                                    <th scope="col">{lang.pick("เหตุการณ์", "What happened")}</th>
                                    <th scope="col">{lang.pick("โรงพยาบาล", "Hospital")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {events.into_iter().map(|e| view! {
                                    <tr>
                                        <td class="nowrap">{stored_instant_date(&e.at, lang)}</td>
                                        <td>{event_words(&e.kind, lang)}</td>
                                        <td>{e.hospital.map_or_else(|| "—".to_owned(), |h| h.get(lang).to_owned())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_are_shown_in_the_buddhist_era() {
        assert_eq!(stored_date("2026-11-20", Lang::Th), "20 พ.ย. 2569");
        assert_eq!(stored_date("2026-11-20", Lang::En), "20 Nov 2026");
        assert_eq!(stored_date("not a date", Lang::Th), "not a date");
    }

    #[test]
    fn stored_instants_are_dated_in_bangkok() {
        // 18:30 UTC on 31 Dec is already 1 Jan in Bangkok.
        assert_eq!(
            stored_instant_date("2025-12-31T18:30:00.000000Z", Lang::Th),
            "1 ม.ค. 2569"
        );
    }

    #[test]
    fn every_public_event_kind_has_words_in_both_languages() {
        for kind in [
            "stocked",
            "allocated",
            "dispatched",
            "accepted",
            "rejected",
            "written_off",
            "voided",
        ] {
            assert_ne!(event_words(kind, Lang::Th), kind);
            assert_ne!(event_words(kind, Lang::En), kind);
        }
    }
}
