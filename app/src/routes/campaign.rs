//! `/campaigns/{id}`: one campaign's story, progress, wishlist, recent gifts and hospitals.
//!
//! Longer than most files: one public page with its three small islands (live totals, recent gifts,
//! the pledge form), kept together because the two live islands share one poll and all three are
//! the page's.

use crate::api::campaigns::get_campaign;
use crate::components::island::island_ready;
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::progress::ProgressBar;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::model::campaign::{CampaignDetail, WishlistProgress};
use crate::model::donation::{CampaignLive, LiveShown, QUICK_AMOUNTS};
use crate::model::hospital::HospitalRef;
use crate::model::thai_date::format_date;
use crate::model::{CampaignId, Lang};
use crate::routes::home::time_left;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

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
    let progress_label = format!("{} {}", lang.pick("ความคืบหน้า", "Progress of"), title);
    let live = LiveShown::of(
        &CampaignLive {
            raised: s.raised,
            goal: s.goal,
            donor_count: s.donor_count,
            donation_count: s.donation_count,
            recent: detail.recent_donations.clone(),
        },
        lang,
    );
    let facts = TotalsFacts {
        progress_label,
        time_left: time_left(lang, s.days_left),
        starts_on: format_date(s.starts_on, lang),
        ends_on: format_date(s.ends_on, lang),
        takes_donations: s.status.takes_donations(),
    };
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
            <LiveTotals campaign=s.id initial=live.clone() facts />
            {s.status.takes_donations().then(|| view! { <PledgeForm campaign=s.id /> })}
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
            <HomesOf homes=detail.homes lead=("ครุภัณฑ์จากกองนี้ได้ให้ผู้ป่วยยืมใช้ที่บ้านแล้ว ", "This campaign's equipment has been lent to ") />
            <LiveRecent campaign=s.id initial=live />
            <Hospitals hospitals=detail.hospitals.clone() />
            <Books campaign=s.id settled={ s.status == crate::model::status::CampaignStatus::Settled } carries=detail.carries.clone() edited=detail.edited_after_settlement.clone() />
        </article>
    }
}

/// What the campaign's units (or a donation's) have done in patients' homes. Not a count of one
/// hospital in one period, and each unit's own count is public, so it is shown whole.
#[component]
pub fn HomesOf(
    homes: crate::model::loan::HomeFigures,
    /// The sentence's start, Thai and English.
    lead: (&'static str, &'static str),
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="homes-served">
            <h2>{lang.pick("ดูแลผู้ป่วยที่บ้าน", "Care at home")}</h2>
            <p>
                {lang.pick(lead.0, lead.1)}
                <strong class="homes-count">{homes.homes_served}</strong>
                {lang.pick(" ครัวเรือน รวม ", " homes, for ")}
                <strong class="home-days">{crate::model::money::group_thousands(homes.days_in_homes.max(0) as u64)}</strong>
                {lang.pick(" วัน (นับเมื่อรับคืน)", " days in all (counted as loans end)")}
            </p>
        </section>
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
                    "ระดมทุนได้ = จำนวนที่ซื้อแล้ว รวมกับจำนวนที่รออนุมัติซื้อ และจำนวนที่เงินคงเหลือซึ่งยังไม่ได้ใช้ซื้อได้ในราคาอ้างอิง โดยจัดสรรตามลำดับรายการ",
                    "Funded = units already bought, plus units in purchases awaiting approval, plus what the unspent balance buys at reference prices, shared over the list in its order.",
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
    let unit = line.line.unit.get(lang).to_owned();
    view! {
        <li class="wishlist-line">
            <p class="line-head">
                <strong class="item">{item.clone()}": "</strong>
                <span class="funded">{progress_text(lang, &line)}</span>
            </p>
            <ProgressBar percent=line.percent() met={ line.funded >= line.line.quantity } label=item />
            <span class="small">
                <span class="wanted">{wanted_text(lang, &line)}</span>
                {format!(" · {} / {unit}", line.line.unit_price)}
            </span>
        </li>
    }
}

/// "ระดมทุนได้ 10 · ซื้อแล้ว 8 · ส่งถึง รพ.สต. แล้ว 6" or "10 funded · 8 bought · 6 delivered to
/// hospitals".
pub fn progress_text(lang: Lang, line: &WishlistProgress) -> String {
    let (funded, bought, delivered) = (line.funded, line.bought, line.delivered);
    match lang {
        Lang::Th => {
            format!("ระดมทุนได้ {funded} · ซื้อแล้ว {bought} · ส่งถึง รพ.สต. แล้ว {delivered}")
        }
        Lang::En => {
            format!("{funded} funded · {bought} bought · {delivered} delivered to hospitals")
        }
    }
}

/// "จากที่ต้องการ 10 เตียง" or "of 10 beds wanted".
pub fn wanted_text(lang: Lang, line: &WishlistProgress) -> String {
    let (quantity, unit) = (line.line.quantity, line.line.unit.get(lang));
    match lang {
        Lang::Th => format!("จากที่ต้องการ {quantity} {unit}"),
        Lang::En if quantity == 1 => format!("of 1 {unit} wanted"),
        Lang::En => format!("of {quantity} {unit}s wanted"),
    }
}

/// The campaign's books: its public report once settled, and money carried in or out.
#[component]
fn Books(
    campaign: CampaignId,
    settled: bool,
    carries: Vec<crate::model::report::Carry>,
    /// When the settled campaign's words were last corrected.
    edited: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    (settled || !carries.is_empty()).then(|| {
        view! {
            <section class="books">
                <h2>{lang.pick("บัญชีของกองผ้าป่า", "The campaign's books")}</h2>
                {settled.then(|| view! {
                    <p>
                        {lang.pick("กองผ้าป่านี้ปิดบัญชีแล้ว ", "This campaign's books are settled. ")}
                        <a class="report-link" href=format!("/campaigns/{campaign}/report")>{lang.pick("อ่านรายงานการเงินและครุภัณฑ์", "Read the money and equipment report")}</a>
                    </p>
                })}
                {edited.as_deref().and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok()).map(|at| view! {
                    <p class="small edited-after-settlement">
                        {lang.pick("แก้ไขข้อความหลังปิดบัญชีเมื่อ ", "Its words were corrected after settlement on ")}
                        {crate::model::thai_date::format_instant(at.with_timezone(&chrono::Utc), lang)}
                    </p>
                })}
                <ul class="carries">
                    {carries.into_iter().map(|c| {
                        let what = if c.incoming {
                            lang.pick("รับยอดคงเหลือยกมาจาก ", "Balance carried in from ")
                        } else {
                            lang.pick("ยกยอดคงเหลือไปยัง ", "Balance carried to ")
                        };
                        view! {
                            <li>
                                {what}<a href=format!("/campaigns/{}", c.campaign)>{c.title.get(lang).to_owned()}</a>
                                {format!(" · {}", c.amount)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
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

/// What the totals card shows besides the moving figures, made on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalsFacts {
    progress_label: String,
    time_left: String,
    starts_on: String,
    ends_on: String,
    takes_donations: bool,
}

/// The totals card (raised, goal, bar, percentage, donors), kept fresh while the page is open.
#[island]
fn LiveTotals(campaign: CampaignId, initial: LiveShown, facts: TotalsFacts) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let live = RwSignal::from(shared_live(campaign, initial));
    let TotalsFacts {
        progress_label,
        time_left,
        starts_on,
        ends_on,
        takes_donations,
    } = facts;
    view! {
        <section class="card totals" aria-label=lang.pick("ยอดบริจาค", "Money raised") aria-live="polite">
            <p class="raised-line">
                <strong class="raised">{move || live.read().raised.clone()}</strong>
                <span>{lang.pick(" จากเป้าหมาย ", " of ")}{move || live.read().goal.clone()}</span>
            </p>
            {move || {
                let l = live.read();
                view! { <ProgressBar percent=l.percent met=l.goal_met label=progress_label.clone() /> }
            }}
            <dl class="figures">
                <div><dt>{lang.pick("สำเร็จ", "Funded")}</dt><dd class="percent">{move || format!("{}%", live.read().percent)}</dd></div>
                <div><dt>{lang.pick("ผู้บริจาค", "Donors")}</dt><dd class="donors">{move || live.read().donors.clone()}</dd></div>
                <div><dt>{lang.pick("ระยะเวลา", "Time left")}</dt><dd>{time_left}</dd></div>
                <div>
                    <dt>{lang.pick("ช่วงรับบริจาค", "Giving period")}</dt>
                    // Each date stays whole when the range wraps on a phone.
                    <dd><span class="nowrap">{starts_on}</span>" – "<span class="nowrap">{ends_on}</span></dd>
                </div>
            </dl>
            {takes_donations.then(|| view! { <a class="button primary" href="#give">{lang.pick("ร่วมบริจาค", "Give")}</a> })}
        </section>
    }
}

/// The latest gifts, kept fresh with the totals.
#[island]
fn LiveRecent(campaign: CampaignId, initial: LiveShown) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let live = RwSignal::from(shared_live(campaign, initial));
    view! {
        <section class="recent">
            <h2>{lang.pick("ผู้ร่วมบุญล่าสุด", "Recent gifts")}</h2>
            {move || {
                let recent = live.read().recent.clone();
                if recent.is_empty() {
                    view! { <p class="empty">{lang.pick("ยังไม่มีผู้บริจาค", "No gifts yet.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="donation-list">
                            {recent.into_iter().map(|d| view! {
                                <li>
                                    <span class="donor">{d.name}</span>
                                    <span class="amount">{d.amount}</span>
                                    <time class="small">{d.when}</time>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// How often an open campaign page asks for fresh totals.
#[cfg(feature = "hydrate")]
const REFRESH_SECS: u64 = 10;

/// The figures both live islands show. In the browser the first island to hydrate makes the
/// signal and starts one poll for the page; the other shares it. The figures come from the fund
/// aggregate (one row), formatted on the server in the page's language.
fn shared_live(campaign: CampaignId, initial: LiveShown) -> ArcRwSignal<LiveShown> {
    #[cfg(feature = "hydrate")]
    {
        type Shared = Option<(CampaignId, ArcRwSignal<LiveShown>)>;
        thread_local! {
            static LIVE: std::cell::RefCell<Shared> = const { std::cell::RefCell::new(None) };
        }
        LIVE.with(|cell| {
            let mut shared = cell.borrow_mut();
            match &*shared {
                Some((id, live)) if *id == campaign => live.clone(),
                _ => {
                    let live = ArcRwSignal::new(initial);
                    poll(campaign, live.clone());
                    *shared = Some((campaign, live.clone()));
                    live
                }
            }
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = campaign;
        ArcRwSignal::new(initial)
    }
}

/// Asks for fresh figures every [`REFRESH_SECS`] for as long as the page is open.
#[cfg(feature = "hydrate")]
fn poll(campaign: CampaignId, live: ArcRwSignal<LiveShown>) {
    let lang = crate::i18n::request_lang();
    set_interval(
        move || {
            let live = live.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = crate::api::donations::live_figures(campaign, lang).await {
                    if live.get_untracked() != fresh {
                        live.set(fresh);
                    }
                }
            });
        },
        std::time::Duration::from_secs(REFRESH_SECS),
    );
}

/// The pledge form: an amount (quick choices or typed), an optional name with consent to show
/// it, and an optional ID for a tax receipt. It posts with or without JavaScript and lands on
/// the new donation's page with its PromptPay QR code.
///
/// Its idempotency key (a double submit records one pledge) is made in the browser once the page
/// hydrates: the server keeps one copy of this page for every visitor, so a key in its HTML would
/// be every donor's key. A post without one (no JavaScript, or sent before hydration) gets a key
/// of its own on the server.
#[island]
fn PledgeForm(campaign: CampaignId) -> impl IntoView {
    island_ready();
    let lang = use_lang();
    let pledge = ServerAction::<crate::api::donations::Pledge>::new();
    let amount = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| key.set(browser_key()));
    view! {
        <section class="give card" id="give" aria-labelledby="give-heading">
            <h2 id="give-heading">{lang.pick("ร่วมบริจาค", "Give to this campaign")}</h2>
            {move || pledge.value().get().and_then(|r| r.err()).map(|error| view! { <crate::components::guard::FormErrors error /> })}
            <ActionForm action=pledge attr:class="stack">
                <input type="hidden" name="input[campaign_id]" value=campaign.get() />
                <input type="hidden" name="input[idempotency_key]" value=move || key.get() />
                <div class="quick-amounts" role="group" aria-label=lang.pick("จำนวนเงินที่เลือกได้", "Quick amounts")>
                    {QUICK_AMOUNTS.iter().map(|baht| {
                        let baht = *baht;
                        view! {
                            <button type="button" class="chip" on:click=move |_| amount.set(baht.to_string())>
                                {crate::model::Money::from_baht(baht).to_string()}
                            </button>
                        }
                    }).collect_view()}
                </div>
                <label for="pledge-amount">{lang.pick("จำนวนเงิน (บาท)", "Amount (baht)")}</label>
                <input id="pledge-amount" name="input[amount]" type="text" inputmode="decimal" required bind:value=amount />
                <label for="pledge-name">{lang.pick("ชื่อผู้บริจาค (ไม่บังคับ)", "Your name (optional)")}</label>
                <input id="pledge-name" name="input[donor_name]" type="text" autocomplete="name" maxlength="200" />
                <label class="check">
                    <input type="checkbox" name="input[show_name]" value="true" />
                    {lang.pick(" แสดงชื่อของฉันในรายชื่อผู้ร่วมบุญ", " Show my name among the givers")}
                </label>
                <label for="pledge-id">{lang.pick("เลขประจำตัวประชาชน/ผู้เสียภาษี 13 หลัก (ไม่บังคับ ใช้ลดหย่อนภาษี)", "13-digit national or tax ID (optional, for a tax receipt)")}</label>
                <input id="pledge-id" name="input[national_id]" type="text" inputmode="numeric" autocomplete="off" />
                <label for="pledge-email">{lang.pick("อีเมล (ไม่บังคับ)", "E-mail (optional)")}</label>
                <input id="pledge-email" name="input[email]" type="email" autocomplete="email" />
                <button type="submit" class="primary">{lang.pick("บริจาคและรับคิวอาร์พร้อมเพย์", "Give and get a PromptPay QR code")}</button>
            </ActionForm>
        </section>
    }
}

/// 128 random bits as hex from `crypto.getRandomValues` (which works on plain HTTP too, unlike
/// `randomUUID`); empty when the browser has no crypto, and the server then makes the key.
#[cfg(feature = "hydrate")]
fn browser_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .is_ok_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if filled {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        String::new()
    }
}
