//! Where a form's answer shows: inside the form, just above its button, where the eye is when
//! the officer clicks (a long form's top is off-screen on a phone and on a laptop alike).
//!
//! - A refusal is a summary that takes focus (so screen readers read it and the page scrolls to
//!   it), and each field's message is also put beside its field (found by its `name`), marked
//!   `aria-invalid`.
//! - A success is announced (`role="status"`) in the same place, and the form is emptied: the
//!   same click again cannot record the same thing twice (its idempotency key would be fresh).
//! - One action may serve many forms (a form per line of a list): the answer shows only in the
//!   form that was submitted, found by the page's last `submit` event.

use crate::error::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The answer of `action`, shown where it is placed in its form. `ok` shows a success.
#[component]
pub fn FormAnswer<S, F>(action: ServerAction<S>, ok: F) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    F: Fn(S::Output) -> AnyView + Send + Sync + 'static,
{
    let lang = use_lang();
    let place = NodeRef::<leptos::html::Div>::new();
    let value = action.value();
    // Whether the answer belongs to this form (the one the officer submitted).
    let mine = RwSignal::new(false);
    watch_submits();
    Effect::new(move |_| {
        let answer = value.get();
        let here = place.get();
        let is_mine = answer.is_some() && here.as_ref().is_some_and(submitted_last);
        mine.set(is_mine);
        if let (true, Some(answer), Some(place)) = (is_mine, answer, here) {
            // After the view has the answer in it.
            request_animation_frame(move || arrive(&place, answer.as_ref().err(), lang));
        }
    });
    view! {
        <div class="form-answer" tabindex="-1" node_ref=place>
            {move || mine.get().then(|| value.get()).flatten().map(|answer| match answer {
                Ok(done) => view! { <div class="notice ok" role="status">{ok(done)}</div> }.into_any(),
                Err(AppError::Validation(fields)) => view! {
                    <div class="notice error" role="alert">
                        <p>{lang.pick("กรุณาแก้ไขช่องต่อไปนี้", "Please correct these fields:")}</p>
                        <ul>
                            {fields.into_iter().map(|f| view! { <li data-field=f.field.clone()>{f.message(lang).to_owned()}</li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
                Err(error) => view! { <p class="notice error" role="alert">{error.message(lang)}</p> }.into_any(),
            })}
        </div>
    }
}

/// The form of the page's last `submit` event and what identifies it, and whether the listener
/// is installed.
#[cfg(feature = "hydrate")]
struct Submitted {
    form: Option<web_sys::Element>,
    identity: String,
    listening: bool,
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LAST_SUBMITTED: std::cell::RefCell<Submitted> = const {
        std::cell::RefCell::new(Submitted { form: None, identity: String::new(), listening: false })
    };
}

/// What names a form apart from its copies in a list: its class and its hidden fields (the
/// request, hospital or tag it acts on), without the idempotency key. A list that reloads after
/// an answer draws its forms anew; the new form of the same row is still the one submitted.
#[cfg(feature = "hydrate")]
fn identity(form: &web_sys::Element) -> String {
    use leptos::wasm_bindgen::JsCast;
    let mut out = form.get_attribute("class").unwrap_or_default();
    if let Ok(hidden) = form.query_selector_all("input[type=hidden]") {
        for i in 0..hidden.length() {
            let Some(input) = hidden
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                continue;
            };
            if !input.name().ends_with("idempotency_key]") {
                out.push_str(&format!("&{}={}", input.name(), input.value()));
            }
        }
    }
    out
}

/// Notes every form submitted on the page (once per page: a capturing listener on the document
/// sees each submit before any form's own handler).
fn watch_submits() {
    #[cfg(feature = "hydrate")]
    LAST_SUBMITTED.with(|last| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        if last.borrow().listening {
            return;
        }
        let note = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
            let form = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let id = form.as_ref().map(identity).unwrap_or_default();
            LAST_SUBMITTED.with(|last| {
                let mut last = last.borrow_mut();
                last.form = form;
                last.identity = id;
            });
        });
        let _ = leptos::prelude::document().add_event_listener_with_callback_and_bool(
            "submit",
            note.as_ref().unchecked_ref(),
            true,
        );
        note.forget();
        last.borrow_mut().listening = true;
    });
}

/// Whether the form around `place` is the one submitted last.
#[cfg(feature = "hydrate")]
fn submitted_last(place: &web_sys::HtmlDivElement) -> bool {
    let Ok(Some(form)) = place.closest("form") else {
        return false;
    };
    LAST_SUBMITTED.with(|last| {
        let last = last.borrow();
        last.form
            .as_ref()
            .is_some_and(|f| f.is_same_node(Some(&form)))
            || (last.form.as_ref().is_some_and(|f| !f.is_connected())
                && identity(&form) == last.identity)
    })
}

#[cfg(not(feature = "hydrate"))]
fn submitted_last<T>(_place: &T) -> bool {
    false
}

/// In the browser, once an answer is shown: focus it; on a refusal mark each field named, on a
/// success empty the form and clear the marks.
#[cfg(feature = "hydrate")]
fn arrive(place: &web_sys::HtmlDivElement, refused: Option<&AppError>, lang: crate::model::Lang) {
    use leptos::wasm_bindgen::JsCast;
    let Ok(Some(form)) = place.closest("form") else {
        return;
    };
    clear_marks(&form);
    match refused {
        None => {
            if let Ok(form) = form.clone().dyn_into::<web_sys::HtmlFormElement>() {
                form.reset();
            }
        }
        Some(AppError::Validation(fields)) => {
            for f in fields {
                mark(&form, &f.field, f.message(lang));
            }
        }
        Some(_) => {}
    }
    // The status or alert is what the reader hears next, and the page scrolls to it.
    let _ = place.focus();
}

#[cfg(not(feature = "hydrate"))]
fn arrive<T>(_place: &T, _refused: Option<&AppError>, _lang: crate::model::Lang) {}

/// The names a field error's field may have in a form: `amount` is `input[amount]` (or
/// `amount`); `lines.2.quantity` is line 2's `input[lines][1][quantity]` (or `[2]`).
pub fn field_names(field: &str) -> Vec<String> {
    let parts: Vec<&str> = field.split('.').collect();
    let mut names = vec![format!("input[{}]", parts.join("][")), field.to_owned()];
    if let Some(i) = parts
        .iter()
        .position(|p| p.parse::<usize>().is_ok_and(|n| n > 0))
    {
        let mut zero_based: Vec<String> = parts.iter().map(|p| (*p).to_owned()).collect();
        zero_based[i] = (parts[i].parse::<usize>().unwrap_or(1) - 1).to_string();
        names.insert(0, format!("input[{}]", zero_based.join("][")));
    }
    names
}

#[cfg(feature = "hydrate")]
fn mark(form: &web_sys::Element, field: &str, message: &str) {
    let document = leptos::prelude::document();
    for name in field_names(field) {
        let selector = format!("[name=\"{}\"]", name.replace('"', ""));
        let Ok(Some(input)) = form.query_selector(&selector) else {
            continue;
        };
        let _ = input.set_attribute("aria-invalid", "true");
        if let Ok(note) = document.create_element("span") {
            note.set_class_name("field-error");
            note.set_text_content(Some(message));
            let _ = input.after_with_node_1(&note);
        }
        return;
    }
}

#[cfg(feature = "hydrate")]
fn clear_marks(form: &web_sys::Element) {
    if let Ok(notes) = form.query_selector_all(".field-error") {
        for i in 0..notes.length() {
            if let Some(note) = notes.item(i) {
                if let Some(parent) = note.parent_node() {
                    let _ = parent.remove_child(&note);
                }
            }
        }
    }
    if let Ok(fields) = form.query_selector_all("[aria-invalid]") {
        use leptos::wasm_bindgen::JsCast;
        for i in 0..fields.length() {
            if let Some(field) = fields
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = field.remove_attribute("aria-invalid");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fields_name_is_found_however_the_form_writes_it() {
        assert_eq!(field_names("amount"), ["input[amount]", "amount"]);
        assert_eq!(
            field_names("lines.2.quantity"),
            [
                "input[lines][1][quantity]",
                "input[lines][2][quantity]",
                "lines.2.quantity"
            ]
        );
    }
}

/// Where the answers of a list's forms show (a form per row, redrawn or gone once it is
/// answered): a strip fixed at the bottom of the window, so the answer is in view wherever the
/// officer clicked, and read out by screen readers. It hides on "✕" until the next answer;
/// `fresh` moves with every answer (the sum of the actions' versions).
#[component]
pub fn AnswerDock(#[prop(into)] fresh: Signal<usize>, children: Children) -> impl IntoView {
    let lang = use_lang();
    let closed = RwSignal::new(false);
    Effect::new(move |_| {
        fresh.track();
        closed.set(false);
    });
    view! {
        <div class="answer-dock" class:closed=move || closed.get() aria-live="polite">
            {children()}
            <button type="button" class="close-answers" on:click=move |_| closed.set(true)>
                {lang.pick("ปิดข้อความ ✕", "Dismiss ✕")}
            </button>
        </div>
    }
}

/// How many times `action` has stored something: a form's idempotency key is renewed on this,
/// never on a refusal or a lost answer, so a form sent again after its answer was lost keeps its
/// key and the server answers with what it stored the first time.
pub fn stored_count<S>(action: ServerAction<S>) -> ReadSignal<u32>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let count = RwSignal::new(0u32);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            count.update(|n| *n += 1);
        }
    });
    count.read_only()
}
