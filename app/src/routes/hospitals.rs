//! `/hospitals`: every hospital by district, with a filter that narrows the list as you type
//! (and, without JavaScript, on submit through `?q=`).

use crate::api::hospitals::list_hospitals;
use crate::components::notice::{DemoBadge, ErrorNotice};
use crate::i18n::use_lang;
use crate::model::hospital::{DistrictHospitals, HospitalRef};
use crate::model::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The hospital directory.
#[component]
pub fn HospitalsPage() -> impl IntoView {
    let lang = use_lang();
    let initial = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let query = RwSignal::new(initial);
    let hospitals = Resource::new(|| (), |_| list_hospitals());
    view! {
        <Title text=lang.pick("โรงพยาบาล · Phapa", "Hospitals · Phapa") />
        <section class="wrap">
            <h1>{lang.pick("โรงพยาบาลและ รพ.สต. แยกตามอำเภอ", "Hospitals by district")}</h1>
            <form class="filter" method="get" action="/hospitals" role="search">
                <label for="hospital-filter">{lang.pick("ค้นหาชื่อโรงพยาบาล ตำบล หรืออำเภอ", "Search by hospital, sub-district or district")}</label>
                <div class="filter-row">
                    <input
                        id="hospital-filter"
                        name="q"
                        type="search"
                        autocomplete="off"
                        prop:value=move || query.get()
                        on:input:target=move |ev| query.set(ev.target().value())
                    />
                    <button type="submit">{lang.pick("ค้นหา", "Search")}</button>
                </div>
            </form>
            <Suspense fallback=move || view! { <p class="loading">{lang.pick("กำลังโหลด…", "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match hospitals.await {
                        Ok(groups) => view! { <Directory groups query /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Directory(groups: Vec<DistrictHospitals>, query: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let groups = StoredValue::new(groups);
    let shown = move || filter(&groups.read_value(), &query.get());
    view! {
        <p class="count" aria-live="polite">
            {move || shown_text(lang, shown().iter().map(|g| g.hospitals.len()).sum())}
        </p>
        {move || {
            shown()
                .into_iter()
                .map(|group| view! { <DistrictSection group /> })
                .collect_view()
        }}
    }
}

#[component]
fn DistrictSection(group: DistrictHospitals) -> impl IntoView {
    let lang = use_lang();
    let province = group
        .hospitals
        .first()
        .map(|h| h.province.get(lang).to_owned())
        .unwrap_or_default();
    view! {
        <section class="district">
            <h2>{district_heading(lang, group.district.get(lang), &province)}</h2>
            <ul class="hospital-list">
                {group.hospitals.into_iter().map(|h| view! { <HospitalItem hospital=h /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn HospitalItem(hospital: HospitalRef) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li>
            <a href=format!("/hospitals/{}", hospital.facility_code)>{hospital.name.get(lang).to_owned()}</a>
            <span class="small">{format!(" · {} {}", lang.pick("ต.", "Sub-district"), hospital.subdistrict.get(lang))}</span>
            " "
            <DemoBadge is_demo=hospital.is_demo />
        </li>
    }
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
