//! `/finance/batches/{id}`: ceremony-night entry of cash envelopes, keyboard first.
//!
//! Type an amount, Enter, a name (optional), Enter: the envelope is queued and the cursor is back
//! on the amount for the next one. Queued envelopes are kept in the browser's local storage, each
//! with its own idempotency key, and sent in order; when the network drops they wait and go when
//! it returns, and a resend after a lost answer replays the first answer instead of recording the
//! envelope twice. The running count and total include what is still waiting to be sent.
//!
//! Longer than most files: the ceremony-night page and its offline envelope queue belong
//! together, since the queue's figures are what the page shows while typing.

use crate::api::donations::{get_batch, CloseBatch};
use crate::components::guard::{FormErrors, Refused};
use crate::components::island::island_ready;
use crate::i18n::use_lang;
use crate::model::donation::{BatchRowInput, BatchView};
use crate::model::thai_id::NationalId;
use crate::model::{BatchId, Lang, Money};
use crate::routes::finance::campaign::DonationTable;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// An envelope typed but not yet confirmed by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub key: String,
    pub amount: String,
    pub name: String,
    pub show: bool,
    pub national_id: String,
    /// Why the server refused it; a refused envelope is not resent.
    pub error: Option<String>,
}

impl Queued {
    #[cfg_attr(not(feature = "hydrate"), expect(dead_code))]
    fn input(&self, batch: BatchId) -> BatchRowInput {
        BatchRowInput {
            batch_id: batch,
            amount: self.amount.clone(),
            donor_name: self.name.clone(),
            show_name: self.show,
            national_id: self.national_id.clone(),
            idempotency_key: self.key.clone(),
        }
    }
}

/// The figures shown while typing: the server's, plus what still waits to be sent.
pub fn running(view: &BatchView, queue: &[Queued]) -> (i64, Money) {
    let waiting = queue.iter().filter(|q| q.error.is_none());
    let count = view.summary.entered_count + i64::try_from(waiting.clone().count()).unwrap_or(0);
    let total = waiting
        .filter_map(|q| Money::parse(&q.amount).ok())
        .fold(view.summary.entered_total, |sum, m| {
            sum.checked_add(m).unwrap_or(sum)
        });
    (count, total)
}

/// The page: its address names the batch and, when paging back, where the list starts.
#[component]
pub fn BatchPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|s| s.parse::<BatchId>().ok());
    let before = use_query_map()
        .read_untracked()
        .get("before")
        .and_then(|v| v.parse::<i64>().ok());
    view! { <CeremonyNight id before /> }
}

/// The whole workspace is one lazy island: its code (the queue included) loads only here.
#[island(lazy)]
fn CeremonyNight(id: Option<BatchId>, before: Option<i64>) -> impl IntoView {
    island_ready();
    let batch = Resource::new(
        move || before,
        move |before| async move {
            match id {
                Some(id) => get_batch(id, before).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="wrap loading">"…"</p> }>
            {move || Suspend::new(async move {
                match batch.await {
                    Err(error) => view! { <Refused error /> }.into_any(),
                    Ok(initial) => view! { <Workspace initial paged=before.is_some() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Workspace(initial: BatchView, paged: bool) -> impl IntoView {
    let lang = use_lang();
    let id = initial.summary.id;
    let title = format!(
        "{} · {}",
        initial.summary.label,
        initial.campaign_title.get(lang)
    );
    let campaign = initial.campaign_id;
    let view = RwSignal::new(initial);
    let queue = RwSignal::new(Vec::<Queued>::new());
    let problem = RwSignal::new(None::<String>);
    let close = ServerAction::<CloseBatch>::new();
    sender::start(id, view, queue, problem, lang);
    Effect::new(move |_| {
        if matches!(close.value().get(), Some(Ok(_))) {
            sender::reload(id, view);
        }
    });
    let open = move || view.read().summary.open;
    let figures = move || running(&view.read(), &queue.read());
    view! {
        <Title text=format!("{title} · Phapa") />
        <section class="wrap batch-page">
            <p class="crumbs"><a href=format!("/finance/campaigns/{campaign}")>{lang.pick("กลับไปที่กองผ้าป่า", "Back to the campaign")}</a></p>
            <h1>{title.clone()}</h1>
            <dl class="figures card batch-figures" aria-live="polite">
                <div>
                    <dt>{lang.pick("ซองที่บันทึก", "Envelopes entered")}</dt>
                    <dd><span data-testid="entered-count">{move || figures().0}</span>{move || format!(" / {}", view.read().summary.expected_count)}</dd>
                </div>
                <div>
                    <dt>{lang.pick("ยอดรวม", "Total entered")}</dt>
                    <dd><span data-testid="entered-total">{move || figures().1.to_string()}</span>{move || format!(" / {}", view.read().summary.expected_total)}</dd>
                </div>
                <div>
                    <dt>{lang.pick("รอส่ง", "Waiting to send")}</dt>
                    <dd data-testid="waiting">{move || queue.read().iter().filter(|q| q.error.is_none()).count()}</dd>
                </div>
            </dl>
            <p class="balance-line" data-testid="balance">{move || balance_text(lang, &view.read(), &queue.read())}</p>
            {move || problem.get().map(|p| view! { <p class="notice error" role="status">{p}</p> })}
            <Show when=open fallback=move || view! {
                <p class="notice ok" role="status">
                    {lang.pick("ปิดชุดแล้ว ออกใบเสร็จครบทุกซอง", "This batch is closed; every envelope has its receipt.")}
                    {view.read().summary.close_reason.clone().map(|r| format!(" {}{r}", lang.pick("เหตุผล: ", "Reason: ")))}
                </p>
            }>
                <EntryGrid queue />
                {move || close.value().get().and_then(|r| r.err()).map(|error| view! { <FormErrors error /> })}
                <ActionForm action=close attr:class="stack card close-form">
                    <input type="hidden" name="id" value=id.get() />
                    <label for="close-reason">{lang.pick("เหตุผล (ต้องระบุถ้ายอดไม่ตรงกับที่นับได้)", "Reason (needed when the figures do not match the count)")}</label>
                    <input id="close-reason" name="reason" type="text" maxlength="500" />
                    <button type="submit" class="primary" prop:disabled=move || !queue.read().is_empty()>
                        {lang.pick("ปิดชุดและออกใบเสร็จ", "Close the batch and issue receipts")}
                    </button>
                </ActionForm>
            </Show>
            <Pending queue />
            <h2>{lang.pick("ซองที่บันทึกแล้ว", "Envelopes recorded")}</h2>
            {move || view! { <DonationTable rows=view.read().rows.clone() /> }}
            {move || view! { <super::campaign::OlderLink param="before" older=view.read().older paged /> }}
        </section>
    }
}

fn balance_text(lang: Lang, view: &BatchView, queue: &[Queued]) -> String {
    let (count, total) = running(view, queue);
    let s = &view.summary;
    if count == s.expected_count && total == s.expected_total {
        lang.pick("✓ ตรงกับที่นับได้", "✓ Matches the count").to_owned()
    } else {
        let diff = total.satang() - s.expected_total.satang();
        let sign = if diff < 0 { "−" } else { "+" };
        match lang {
            Lang::Th => format!(
                "ยังไม่ตรง: ต่างกัน {} ซอง และ {sign}{}",
                count - s.expected_count,
                Money::from_satang(diff.abs())
            ),
            Lang::En => format!(
                "Not matching yet: {} envelopes and {sign}{} apart",
                count - s.expected_count,
                Money::from_satang(diff.abs())
            ),
        }
    }
}

/// The entry row. Enter on the amount moves to the name; Enter on the name, the consent box or
/// the ID queues the envelope and starts the next one.
#[component]
fn EntryGrid(queue: RwSignal<Vec<Queued>>) -> impl IntoView {
    let lang = use_lang();
    let amount = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let show = RwSignal::new(false);
    let national_id = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let amount_ref = NodeRef::<html::Input>::new();
    let name_ref = NodeRef::<html::Input>::new();
    let id_ref = NodeRef::<html::Input>::new();
    let focus = |r: NodeRef<html::Input>| {
        if let Some(el) = r.get_untracked() {
            let _ = el.focus();
        }
    };
    let add = move || {
        let typed = amount.get_untracked();
        if let Err(e) = Money::parse(&typed) {
            message.set(Some(e.message(lang).to_owned()));
            focus(amount_ref);
            return;
        }
        let nid = national_id.get_untracked();
        if !nid.trim().is_empty() {
            if let Err(e) = NationalId::parse(&nid) {
                let (th, en) = e.messages();
                message.set(Some(lang.pick(th, en).to_owned()));
                focus(id_ref);
                return;
            }
        }
        queue.update(|q| {
            q.push(Queued {
                key: sender::new_key(),
                amount: typed,
                name: name.get_untracked(),
                show: show.get_untracked(),
                national_id: nid,
                error: None,
            });
        });
        amount.set(String::new());
        name.set(String::new());
        show.set(false);
        national_id.set(String::new());
        message.set(None);
        focus(amount_ref);
    };
    let on_amount = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            match Money::parse(&amount.get_untracked()) {
                Ok(_) => {
                    message.set(None);
                    focus(name_ref);
                }
                Err(e) => message.set(Some(e.message(lang).to_owned())),
            }
        }
    };
    let on_last = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            add();
        }
    };
    view! {
        <div class="entry-grid card" role="group" aria-label=lang.pick("บันทึกซอง", "Enter an envelope")>
            <div class="entry-field">
                <label for="entry-amount">{lang.pick("จำนวนเงิน (บาท)", "Amount (baht)")}</label>
                <input id="entry-amount" node_ref=amount_ref type="text" inputmode="decimal" autocomplete="off" autofocus
                    bind:value=amount on:keydown=on_amount />
            </div>
            <div class="entry-field">
                <label for="entry-name">{lang.pick("ชื่อผู้บริจาค", "Donor's name")}</label>
                <input id="entry-name" node_ref=name_ref type="text" autocomplete="off" maxlength="200"
                    bind:value=name on:keydown=on_last />
            </div>
            <div class="entry-field check">
                <label>
                    <input type="checkbox" bind:checked=show on:keydown=on_last />
                    {lang.pick(" แสดงชื่อ", " Show name")}
                </label>
            </div>
            <div class="entry-field">
                <label for="entry-id">{lang.pick("เลขประจำตัว", "ID number")}</label>
                <input id="entry-id" node_ref=id_ref type="text" inputmode="numeric" autocomplete="off"
                    bind:value=national_id on:keydown=on_last />
            </div>
            <button type="button" class="primary" on:click=move |_| add()>{lang.pick("เพิ่ม (Enter)", "Add (Enter)")}</button>
            {move || message.get().map(|m| view! { <p class="notice error entry-message" role="alert">{m}</p> })}
        </div>
    }
}

/// Envelopes still in the browser: waiting, or refused with the reason.
#[component]
fn Pending(queue: RwSignal<Vec<Queued>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Show when=move || !queue.read().is_empty()>
            <h2>{lang.pick("ยังไม่ได้ส่ง", "Not sent yet")}</h2>
            <ul class="pending-rows">
                <For each=move || queue.get() key=|q| (q.key.clone(), q.error.clone()) let:q>
                    {
                        let key = q.key.clone();
                        view! {
                            <li class:failed=q.error.is_some()>
                                {format!("{} · {}", q.amount, if q.name.is_empty() { lang.pick("ไม่ประสงค์ออกนาม", "Anonymous").to_owned() } else { q.name.clone() })}
                                {match q.error.clone() {
                                    None => view! { <span class="small">{lang.pick(" · รอส่ง", " · waiting")}</span> }.into_any(),
                                    Some(e) => view! {
                                        <span class="small error">{format!(" · {e} ")}</span>
                                        <button type="button" on:click=move |_| queue.update(|all| all.retain(|r| r.key != key))>
                                            {lang.pick("ลบ", "Remove")}
                                        </button>
                                    }.into_any(),
                                }}
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}

/// Sending queued envelopes, in the browser only.
mod sender {
    use super::*;

    /// A fresh idempotency key for one envelope. `crypto.getRandomValues` works on plain HTTP too, unlike `randomUUID`.
    pub fn new_key() -> String {
        #[cfg_attr(not(feature = "hydrate"), expect(unused_mut))]
        let mut bytes = [0u8; 16];
        #[cfg(feature = "hydrate")]
        {
            let filled = window()
                .crypto()
                .is_ok_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
            if !filled {
                // No crypto: the time and a counter still keep this browser's keys apart.
                static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let now = web_sys::js_sys::Date::now() as u64;
                bytes[..8].copy_from_slice(&now.to_be_bytes());
                bytes[8..].copy_from_slice(&n.to_be_bytes());
            }
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Fetches the batch afresh into `view`.
    pub fn reload(id: BatchId, view: RwSignal<BatchView>) {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = get_batch(id, None).await {
                view.set(fresh);
            }
        });
    }

    /// Loads the queue kept for this batch, keeps it saved on every change, and sends it.
    pub fn start(
        id: BatchId,
        view: RwSignal<BatchView>,
        queue: RwSignal<Vec<Queued>>,
        problem: RwSignal<Option<String>>,
        lang: Lang,
    ) {
        #[cfg(feature = "hydrate")]
        {
            let storage_key = format!("phapa-batch-{id}");
            let sending = StoredValue::new(false);
            let loaded = StoredValue::new(false);
            // Effects run after hydration, so the page first renders exactly as the server sent
            // it; the stored queue is read before anything is saved over it.
            Effect::new(move |_| {
                let storage = window().local_storage().ok().flatten();
                if !loaded.get_value() {
                    loaded.set_value(true);
                    let stored = storage
                        .as_ref()
                        .and_then(|s| s.get_item(&storage_key).ok().flatten())
                        .and_then(|text| serde_json::from_str::<Vec<Queued>>(&text).ok())
                        .unwrap_or_default();
                    if !stored.is_empty() {
                        queue.set(stored);
                    }
                }
                let text = queue.with(|q| serde_json::to_string(q).unwrap_or_default());
                if let Some(storage) = storage {
                    let _ = storage.set_item(&storage_key, &text);
                }
                pump(id, view, queue, problem, sending, lang);
            });
            if let Ok(handle) = set_interval_with_handle(
                move || pump(id, view, queue, problem, sending, lang),
                std::time::Duration::from_secs(3),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, view, queue, problem, lang);
    }

    #[cfg(feature = "hydrate")]
    fn pump(
        id: BatchId,
        view: RwSignal<BatchView>,
        queue: RwSignal<Vec<Queued>>,
        problem: RwSignal<Option<String>>,
        sending: StoredValue<bool>,
        lang: Lang,
    ) {
        use crate::error::AppError;
        if sending.get_value() {
            return;
        }
        sending.set_value(true);
        leptos::task::spawn_local(async move {
            let mut sent = false;
            loop {
                let next = queue.with_untracked(|q| q.iter().find(|r| r.error.is_none()).cloned());
                let Some(row) = next else { break };
                match crate::api::donations::add_batch_row(row.input(id)).await {
                    Ok(_) => {
                        sent = true;
                        problem.set(None);
                        // Count it on the server side before it leaves the queue, so the
                        // running figures never dip.
                        view.update(|v| {
                            v.summary.entered_count += 1;
                            if let Ok(m) = Money::parse(&row.amount) {
                                v.summary.entered_total = v
                                    .summary
                                    .entered_total
                                    .checked_add(m)
                                    .unwrap_or(v.summary.entered_total);
                            }
                        });
                        queue.update(|q| q.retain(|r| r.key != row.key));
                    }
                    Err(AppError::Unreachable(_))
                    | Err(AppError::Internal { .. })
                    | Err(AppError::TooManyRequests { .. })
                    | Err(AppError::Unavailable { .. })
                    | Err(AppError::StorageFull { .. })
                    | Err(AppError::DownloadsBusy { .. }) => {
                        problem.set(Some(
                            lang.pick(
                                "ส่งไม่ได้ในขณะนี้ (เครือข่ายขัดข้อง) รายการถูกเก็บไว้และจะส่งอัตโนมัติเมื่อเชื่อมต่อได้",
                                "Cannot send right now (network trouble); the envelopes are kept and will be sent when the connection returns.",
                            )
                            .to_owned(),
                        ));
                        break;
                    }
                    Err(AppError::Unauthorized) => {
                        problem.set(Some(
                            lang.pick(
                                "หมดเวลาการเข้าสู่ระบบ กรุณาเข้าสู่ระบบในแท็บใหม่ รายการที่ยังไม่ได้ส่งถูกเก็บไว้",
                                "Your session has ended; sign in again in a new tab. Unsent envelopes are kept.",
                            )
                            .to_owned(),
                        ));
                        break;
                    }
                    Err(e) => {
                        let message = e.message(lang);
                        queue.update(|q| {
                            if let Some(r) = q.iter_mut().find(|r| r.key == row.key) {
                                r.error = Some(message);
                            }
                        });
                    }
                }
            }
            sending.set_value(false);
            if sent {
                reload(id, view);
            }
        });
    }
}
