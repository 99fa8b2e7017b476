//! `/`: every public campaign with its progress.

use crate::api::campaigns::list_campaigns;
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::progress::ProgressBar;
use crate::i18n::use_lang;
use crate::model::campaign::CampaignSummary;
use crate::model::donation::donor_count;
use crate::model::Lang;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let campaigns = Resource::new(|| (), |_| list_campaigns());
    view! {
        <Title text=lang.pick("กองผ้าป่าประชารัฐ · Phapa", "Campaigns · Phapa") />
        <Meta
            name="description"
            content=lang.pick(
                "ติดตามทุกบาทของผ้าป่าประชารัฐ ตั้งแต่เงินบริจาคจนถึงครุภัณฑ์การแพทย์ใน รพ.สต.",
                "Follow every baht of civil-state merit drives, from gift to medical equipment in a sub-district hospital.",
            )
        />
        <section class="hero">
            <div class="wrap">
                <h1>{lang.pick("ผ้าป่าประชารัฐ เพื่อผู้ป่วยติดบ้าน ติดเตียง และระยะท้าย", "Merit drives for home-bound, bed-bound and end-of-life patients")}</h1>
                <p class="lead">
                    {lang.pick(
                        "เงินบริจาคซื้อเตียง ที่นอนลม เครื่องผลิตออกซิเจน และรถเข็น ให้ รพ.สต. ยืมแก่ผู้ป่วยที่บ้าน ทุกบาทตรวจสอบได้",
                        "Gifts buy beds, air mattresses, oxygen concentrators and wheelchairs that sub-district hospitals lend to patients at home. Every baht is on the record.",
                    )}
                </p>
            </div>
        </section>
        <section class="wrap">
            <h2>{lang.pick("กองผ้าป่า", "Campaigns")}</h2>
            <Suspense fallback=move || view! { <p class="loading">{lang.pick("กำลังโหลด…", "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match campaigns.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{lang.pick("ยังไม่มีกองผ้าป่า", "No campaigns yet.")}</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="campaign-list">
                                    {list.into_iter().map(|c| view! { <li><CampaignCard campaign=c /></li> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One campaign in the list.
#[component]
pub fn CampaignCard(campaign: CampaignSummary) -> impl IntoView {
    let lang = use_lang();
    let progress = campaign.progress();
    let organisers = campaign
        .organisers
        .iter()
        .map(|o| o.get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(" · ");
    let href = format!("/campaigns/{}", campaign.id);
    let title = campaign.title.get(lang).to_owned();
    view! {
        <article class="card campaign-card">
            <div class="card-top">
                <StatusBadge status=campaign.status />
                <span class="days-left">{time_left(lang, campaign.days_left)}</span>
            </div>
            <h3>
                <a href=href>{title.clone()}</a>
            </h3>
            {(!organisers.is_empty()).then(|| view! {
                <p class="organisers">{lang.pick("ผู้จัด: ", "Organised by ")}{organisers}</p>
            })}
            <ProgressBar percent=progress.percent() met=progress.goal_met() label=format!("{} {}", lang.pick("ความคืบหน้า", "Progress of"), title) />
            <dl class="figures">
                <div>
                    <dt>{lang.pick("ยอดบริจาค", "Raised")}</dt>
                    <dd class="raised">{campaign.raised.to_string()}</dd>
                </div>
                <div>
                    <dt>{lang.pick("เป้าหมาย", "Goal")}</dt>
                    <dd>{campaign.goal.to_string()}</dd>
                </div>
                <div>
                    <dt>{lang.pick("สำเร็จ", "Funded")}</dt>
                    <dd class="percent">{format!("{}%", progress.percent())}</dd>
                </div>
                <div>
                    <dt>{lang.pick("ผู้บริจาค", "Donors")}</dt>
                    <dd class="donors">{donor_count(lang, campaign.donor_count)}</dd>
                </div>
            </dl>
        </article>
    }
}

/// "50 days left", "last day", or "closed".
pub fn time_left(lang: Lang, days_left: Option<i64>) -> String {
    match (lang, days_left) {
        (Lang::Th, Some(0)) => "วันสุดท้าย".into(),
        (Lang::Th, Some(n)) => format!("เหลืออีก {n} วัน"),
        (Lang::Th, None) => "ปิดรับบริจาค".into(),
        (Lang::En, Some(0)) => "Last day".into(),
        (Lang::En, Some(1)) => "1 day left".into(),
        (Lang::En, Some(n)) => format!("{n} days left"),
        (Lang::En, None) => "Closed".into(),
    }
}
