//! `/units/{tag}`: one unit's public page, where its label's QR code leads. It says what the unit
//! is, which campaign paid for it (or that it was given in kind), where it is now and what
//! happened to it, and names no person.

use crate::api::equipment::get_public_unit;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_lang;
use crate::model::equipment::{PublicUnit, UnitEventPublic};
use crate::model::status::UnitStatus;
use crate::model::thai_date::{stored_date, stored_instant_date};
use crate::model::Lang;
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
    let on_the_way = matches!(unit.status, UnitStatus::Allocated | UnitStatus::Dispatched);
    let place = match (&unit.hospital, &unit.facility_code) {
        // Allocated or sent is not yet held: the hospital has not confirmed it arrived.
        (Some(h), Some(code)) if on_the_way => view! {
            {lang.pick("ยังไม่ถึง · กำลังไปที่ ", "Not there yet · going to ")}
            <a href=format!("/hospitals/{code}")>{h.get(lang).to_owned()}</a>
        }
        .into_any(),
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
                {unit.care.map(|care| view! {
                    <div><dt>{lang.pick("ตอนนี้", "Now")}</dt><dd class=format!("care care-{}", care.code())>{care.label(lang)}</dd></div>
                })}
            </dl>
            <HomesServed homes=unit.homes />
            <History events=unit.history />
        </article>
    }
}

/// The good the unit has done: homes served and days in homes (never a single loan's dates).
#[component]
pub fn HomesServed(homes: crate::model::loan::HomeFigures) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="homes-served card">
            <h2>{lang.pick("ดูแลผู้ป่วยที่บ้าน", "Care at home")}</h2>
            <p>
                <strong class="homes-count">{homes.homes_served}</strong>
                {lang.pick(" ครัวเรือนได้ใช้ครุภัณฑ์ชิ้นนี้", if homes.homes_served == 1 { " home has used this unit" } else { " homes have used this unit" })}
                " · "
                <strong class="home-days">{crate::model::money::group_thousands(homes.days_in_homes.max(0) as u64)}</strong>
                {lang.pick(" วันที่อยู่ในบ้านผู้ป่วย (นับเมื่อรับคืน)", " days in patients' homes (counted as loans end)")}
            </p>
        </section>
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
