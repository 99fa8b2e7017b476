//! `/hospitals`: every hospital by district, with a filter that narrows the list as you type
//! (and, without JavaScript, on submit through `?q=`).

use crate::api::hospitals::list_hospitals;
use crate::components::island::island_ready;
use crate::components::notice::{DemoBadge, ErrorNotice};
use crate::i18n::use_lang;
use crate::model::hospital::{DistrictHospitals, HospitalRef};
use crate::model::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The hospital directory. Every hospital is in the page; those the query (`?q=`) does not
/// match are `hidden`, so the filter island can show them again as the reader types.
#[component]
pub fn HospitalsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let hospitals = Resource::new(|| (), |_| list_hospitals());
    view! {
        <Title text=lang.pick("โรงพยาบาล · Phapa", "Hospitals · Phapa") />
        <section class="wrap">
            <h1>{lang.pick("โรงพยาบาลและ รพ.สต. แยกตามอำเภอ", "Hospitals by district")}</h1>
            <Suspense fallback=move || view! { <p class="loading">{lang.pick("กำลังโหลด…", "Loading…")}</p> }>
                {move || {
                    let query = query.clone();
                    Suspend::new(async move {
                        match hospitals.await {
                            Ok(groups) => view! { <Directory groups query /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Directory(groups: Vec<DistrictHospitals>, query: String) -> impl IntoView {
    let shown: usize = filter(&groups, &query)
        .iter()
        .map(|g| g.hospitals.len())
        .sum();
    let needle = query.trim().to_lowercase();
    view! {
        <HospitalFilter query shown />
        {groups
            .into_iter()
            .map(|group| view! { <DistrictSection group needle=needle.clone() /> })
            .collect_view()}
    }
}

/// The search form and the count of hospitals shown. Without JavaScript the form submits
/// `?q=`; with it, the list narrows as you type, without a request.
#[island]
fn HospitalFilter(query: String, shown: usize) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let shown = RwSignal::new(shown);
    let query = RwSignal::new(query);
    view! {
        <form class="filter" method="get" action="/hospitals" role="search">
            <label for="hospital-filter">{lang.pick("ค้นหาชื่อโรงพยาบาล ตำบล หรืออำเภอ", "Search by hospital, sub-district or district")}</label>
            <div class="filter-row">
                <input
                    id="hospital-filter"
                    name="q"
                    type="search"
                    autocomplete="off"
                    prop:value=move || query.get()
                    on:input:target=move |ev| {
                        let value = ev.target().value();
                        shown.set(narrow(&value));
                        query.set(value);
                    }
                />
                <button type="submit">{lang.pick("ค้นหา", "Search")}</button>
            </div>
        </form>
        <p class="count" aria-live="polite">{move || shown_text(lang, shown.get())}</p>
    }
}

/// Hides the hospitals (and then the districts) the query does not match; returns how many
/// stay shown. Matching is [`filter`]'s, on the text the server put in `data-search`.
#[cfg(feature = "hydrate")]
fn narrow(query: &str) -> usize {
    use leptos::wasm_bindgen::JsCast;
    let needle = query.trim().to_lowercase();
    let all = |selector: &str| {
        let list = document().query_selector_all(selector).ok();
        (0..list.as_ref().map_or(0, |l| l.length())).filter_map(move |i| {
            list.as_ref()?
                .item(i)?
                .dyn_into::<web_sys::HtmlElement>()
                .ok()
        })
    };
    let mut shown = 0;
    for district in all("section.district") {
        let mut any = false;
        if let Ok(items) = district.query_selector_all("li[data-search]") {
            for i in 0..items.length() {
                let Some(item) = items
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                else {
                    continue;
                };
                let hit = item
                    .get_attribute("data-search")
                    .is_some_and(|text| text.contains(&needle));
                item.set_hidden(!hit);
                any |= hit;
                shown += usize::from(hit);
            }
        }
        district.set_hidden(!any);
    }
    shown
}

#[cfg(not(feature = "hydrate"))]
fn narrow(_query: &str) -> usize {
    0
}

#[component]
fn DistrictSection(group: DistrictHospitals, needle: String) -> impl IntoView {
    let lang = use_lang();
    let province = group
        .hospitals
        .first()
        .map(|h| h.province.get(lang).to_owned())
        .unwrap_or_default();
    let any = group
        .hospitals
        .iter()
        .any(|h| search_text(h).contains(&needle));
    view! {
        <section class="district" hidden=!any>
            <h2>{district_heading(lang, group.district.get(lang), &province)}</h2>
            <ul class="hospital-list">
                {group.hospitals.into_iter().map(|h| view! { <HospitalItem hospital=h needle=needle.clone() /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn HospitalItem(hospital: HospitalRef, needle: String) -> impl IntoView {
    let lang = use_lang();
    let search = search_text(&hospital);
    let hidden = !search.contains(&needle);
    view! {
        <li data-search=search hidden=hidden>
            <a href=format!("/hospitals/{}", hospital.facility_code)>{hospital.name.get(lang).to_owned()}</a>
            <span class="small">{format!(" · {} {}", lang.pick("ต.", "Sub-district"), hospital.subdistrict.get(lang))}</span>
            " "
            <DemoBadge is_demo=hospital.is_demo />
        </li>
    }
}

/// What the filter searches, lower-cased: name, sub-district and district in both languages,
/// one per line (a typed query holds no line break, so it never matches across two).
pub fn search_text(h: &HospitalRef) -> String {
    [&h.name, &h.subdistrict, &h.district]
        .iter()
        .flat_map(|text| [Some(text.th.as_str()), text.en.as_deref()])
        .flatten()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("\n")
}

/// "อำเภอเมืองขอนแก่น จังหวัดขอนแก่น" or "Mueang Khon Kaen District, Khon Kaen".
fn district_heading(lang: Lang, district: &str, province: &str) -> String {
    match lang {
        Lang::Th => format!("อำเภอ{district} จังหวัด{province}"),
        Lang::En => format!("{district} District, {province}"),
    }
}

fn shown_text(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Th => format!("แสดง {n} แห่ง"),
        Lang::En if n == 1 => "Showing 1 hospital".into(),
        Lang::En => format!("Showing {n} hospitals"),
    }
}

/// The groups and hospitals whose name, sub-district or district contains `query` (in either
/// language, ignoring case); districts left empty are dropped.
pub fn filter(groups: &[DistrictHospitals], query: &str) -> Vec<DistrictHospitals> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return groups.to_vec();
    }
    let matches = |h: &HospitalRef| {
        [&h.name, &h.subdistrict, &h.district].iter().any(|text| {
            text.th.to_lowercase().contains(&needle)
                || text
                    .en
                    .as_deref()
                    .is_some_and(|en| en.to_lowercase().contains(&needle))
        })
    };
    groups
        .iter()
        .filter_map(|g| {
            let hospitals: Vec<HospitalRef> =
                g.hospitals.iter().filter(|h| matches(h)).cloned().collect();
            (!hospitals.is_empty()).then(|| DistrictHospitals {
                hospitals,
                ..g.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::status::HospitalKind;
    use crate::model::Localized;

    fn hospital(name: &str, district: &str) -> HospitalRef {
        HospitalRef {
            facility_code: "99001".into(),
            name: Localized::new(name, "Ban Khok SHPH"),
            kind: HospitalKind::HealthPromoting,
            subdistrict: Localized::new("ในเมือง", "Nai Mueang"),
            district: Localized::new(district, ""),
            province: Localized::new("ขอนแก่น", "Khon Kaen"),
            is_demo: true,
        }
    }

    #[test]
    fn the_filter_matches_either_language_and_drops_empty_districts() {
        let groups = vec![
            DistrictHospitals {
                district_code: 4001,
                district: Localized::new("เมือง", ""),
                hospitals: vec![hospital("รพ.สต.บ้านโคก", "เมือง")],
            },
            DistrictHospitals {
                district_code: 4002,
                district: Localized::new("บ้านฝาง", ""),
                hospitals: vec![hospital("รพ.สต.ป่าหวาย", "บ้านฝาง")],
            },
        ];
        assert_eq!(filter(&groups, "").len(), 2);
        assert_eq!(filter(&groups, "บ้านโคก").len(), 1);
        assert_eq!(filter(&groups, "ban khok").len(), 2);
        assert_eq!(filter(&groups, "ฝาง")[0].district_code, 4002);
        assert!(filter(&groups, "zzz").is_empty());
    }
}
