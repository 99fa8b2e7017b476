//! `/campaigns/{id}`: one campaign's story, progress, wishlist, recent gifts and hospitals.

use crate::api::campaigns::get_campaign;
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::progress::ProgressBar;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::campaign::{CampaignDetail, PublicDonation, WishlistProgress};
use crate::model::hospital::HospitalRef;
use crate::model::thai_date::{format_date, format_instant};
use crate::model::{CampaignId, Lang};
use crate::routes::home::{donor_count, time_left};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// The campaign page.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let campaign = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<CampaignId>().ok())
        },
        |id| async move {
            match id {
                Some(id) => get_campaign(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match campaign.await {
                    Ok(detail) => view! { <CampaignView detail /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CampaignView(detail: CampaignDetail) -> impl IntoView {
    let lang = use_lang();
    let s = &detail.summary;
    let title = s.title.get(lang).to_owned();
    let progress = s.progress();
    let organisers = s
        .organisers
        .iter()
        .map(|o| o.get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(" · ");
    let ceremony = detail.ceremony_on.map(|d| format_date(d, lang));
    let place = detail
        .ceremony_place
        .as_ref()
        .map(|p| p.get(lang).to_owned());
    let description: String = detail.story.get(lang).chars().take(160).collect();
    view! {
        <Title text=format!("{title} · Phapa") />
        <Meta name="description" content=description />
        <article class="wrap campaign-page">
            <header class="campaign-head">
                <p class="crumbs"><a href="/">{lang.pick("กองผ้าป่าทั้งหมด", "All campaigns")}</a></p>
                <StatusBadge status=s.status />
                <h1>{title.clone()}</h1>
                {(!organisers.is_empty()).then(|| view! {
                    <p class="organisers">{lang.pick("ผู้จัด: ", "Organised by ")}{organisers}</p>
                })}
            </header>
            <section class="card totals" aria-label=lang.pick("ยอดบริจาค", "Money raised")>
                <p class="raised-line">
                    <strong class="raised">{s.raised.to_string()}</strong>
                    <span>{lang.pick(" จากเป้าหมาย ", " of ")}{s.goal.to_string()}</span>
                </p>
                <ProgressBar percent=progress.percent() met=progress.goal_met() label=format!("{} {}", lang.pick("ความคืบหน้า", "Progress of"), title) />
                <dl class="figures">
                    <div><dt>{lang.pick("สำเร็จ", "Funded")}</dt><dd class="percent">{format!("{}%", progress.percent())}</dd></div>
                    <div><dt>{lang.pick("ผู้บริจาค", "Donors")}</dt><dd class="donors">{donor_count(lang, s.donor_count)}</dd></div>
                    <div><dt>{lang.pick("ระยะเวลา", "Time left")}</dt><dd>{time_left(lang, s.days_left)}</dd></div>
                    <div>
                        <dt>{lang.pick("ช่วงรับบริจาค", "Giving period")}</dt>
                        <dd>{format!("{} – {}", format_date(s.starts_on, lang), format_date(s.ends_on, lang))}</dd>
                    </div>
                </dl>
            </section>
            <section class="story">
                <h2>{lang.pick("ที่มา", "The story")}</h2>
                <p>{detail.story.get(lang).to_owned()}</p>
                {ceremony.map(|date| view! {
                    <p class="ceremony">
                        <strong>{lang.pick("พิธีทอดผ้าป่า: ", "Ceremony: ")}</strong>
                        <time>{date}</time>
                        {place.map(|p| format!(" · {p}"))}
                    </p>
                })}
            </section>
            <Wishlist lines=detail.wishlist.clone() />
            <RecentDonations donations=detail.recent_donations.clone() />
            <Hospitals hospitals=detail.hospitals.clone() />
        </article>
    }
}

#[component]
fn Wishlist(lines: Vec<WishlistProgress>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="wishlist">
            <h2>{lang.pick("ครุภัณฑ์ที่ต้องการ", "Equipment we are raising money for")}</h2>
            <p class="hint">
                {lang.pick(
                    "เงินบริจาคจัดสรรตามลำดับรายการ ราคาอ้างอิงต่อหน่วย",
                    "Money raised is shared over the list in its order, at reference prices.",
                )}
            </p>
            {if lines.is_empty() {
                view! { <p class="empty">{lang.pick("ยังไม่มีรายการ", "No items yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="wishlist-lines">
                        {lines.into_iter().map(|w| view! { <WishlistItem line=w /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn WishlistItem(line: WishlistProgress) -> impl IntoView {
    let lang = use_lang();
    let item = line.line.item.get(lang).to_owned();
    view! {
        <li class="wishlist-line">
            <div class="line-head">
                <span class="item">{item.clone()}</span>
                <span class="funded">{funded_text(lang, &line)}</span>
            </div>
            <ProgressBar percent=line.percent() met={ line.funded >= line.line.quantity } label=item />
            <span class="small">{format!("{} / {}", line.line.unit_price, line.line.unit.get(lang))}</span>
        </li>
    }
}

/// "ได้ทุนแล้ว 3 จาก 10 เตียง" or "3 of 10 beds funded".
pub fn funded_text(lang: Lang, line: &WishlistProgress) -> String {
    let unit = line.line.unit.get(lang);
    match lang {
        Lang::Th => format!("ได้ทุนแล้ว {} จาก {} {unit}", line.funded, line.line.quantity),
        Lang::En if line.line.quantity == 1 => format!("{} of 1 {unit} funded", line.funded),
        Lang::En => format!("{} of {} {unit}s funded", line.funded, line.line.quantity),
    }
}

#[component]
fn RecentDonations(donations: Vec<PublicDonation>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="recent">
            <h2>{lang.pick("ผู้ร่วมบุญล่าสุด", "Recent gifts")}</h2>
            {if donations.is_empty() {
                view! { <p class="empty">{lang.pick("ยังไม่มีผู้บริจาค", "No gifts yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="donation-list">
                        {donations.into_iter().map(|d| {
                            let name = d.donor_name.clone().unwrap_or_else(|| lang.pick("ผู้ไม่ประสงค์ออกนาม", "Anonymous").to_owned());
                            view! {
                                <li>
                                    <span class="donor">{name}</span>
                                    <span class="amount">{d.amount.to_string()}</span>
                                    <time class="small">{format_instant(d.received_at, lang)}</time>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Hospitals(hospitals: Vec<HospitalRef>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="served">
            <h2>{lang.pick("โรงพยาบาลที่ได้รับประโยชน์", "Hospitals this campaign serves")}</h2>
            {if hospitals.is_empty() {
                view! { <p class="empty">{lang.pick("ยังไม่ได้ระบุ", "None named yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="hospital-list">
                        {hospitals.into_iter().map(|h| view! {
                            <li>
                                <a href=format!("/hospitals/{}", h.facility_code)>{h.name.get(lang).to_owned()}</a>
                                <span class="small">{format!(" · {} · {}", h.subdistrict.get(lang), h.district.get(lang))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
