//! The shapes of the open-data answers. Each handler builds one of these types and serialises
//! it, and the OpenAPI document is derived from the same types, so the document cannot describe
//! a field the answer lacks. They are built from the app's models (which stay free of utoipa,
//! since they are also compiled to WebAssembly).
//!
//! Every amount is a pair: `"total": "1500.00"` (baht, exactly two decimals, no grouping) beside
//! `"total_satang": 150000` (whole satang, exact).

use app::model::equipment::{DonationTrace, PublicUnit, TraceUnit};
use app::model::loan::{HomeFigures, PatientCount, PublicLending};
use app::model::{Localized, Money};
use serde::Serialize;
use utoipa::ToSchema;

/// `1500.00`: baht with exactly two decimals, no grouping, no currency sign.
pub fn baht(m: Money) -> String {
    let sign = if m.satang() < 0 { "-" } else { "" };
    let abs = m.satang().unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The pattern every baht text matches.
pub const BAHT: &str = r"^-?[0-9]+\.[0-9]{2}$";

/// A name or text in Thai and, where known, English (`null` when there is none).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Text {
    pub th: String,
    pub en: Option<String>,
}

impl From<&Localized> for Text {
    fn from(l: &Localized) -> Text {
        Text {
            th: l.th.clone(),
            en: l.en.clone(),
        }
    }
}

/// Homes served and days spent in homes: of one unit, or summed over units. A unit's own
/// figures are public; the small-number rule applies to one hospital's counts about patients.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Homes {
    /// Loans to homes this unit (or these units) made, returned or still out.
    pub homes_served: i64,
    /// Days spent in homes, over the loans that ended.
    pub days_in_homes: i64,
}

impl From<HomeFigures> for Homes {
    fn from(h: HomeFigures) -> Homes {
        Homes {
            homes_served: h.homes_served,
            days_in_homes: h.days_in_homes,
        }
    }
}

/// A hospital named where a unit is: its code (for `/api/v1/hospitals/{facility_code}`) and name.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Place {
    #[schema(pattern = r"^[0-9]{5}$", example = "10669")]
    pub facility_code: String,
    pub name: Text,
}

impl Place {
    pub fn of(code: &Option<String>, name: &Option<Localized>) -> Option<Place> {
        match (code, name) {
            (Some(code), Some(name)) => Some(Place {
                facility_code: code.clone(),
                name: name.into(),
            }),
            _ => None,
        }
    }
}

/// An error: a stable code, and the sentence in Thai and English. Field errors name each field.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// `bad_request`, `not_found`, `too_many_requests`, `unavailable` or `internal`.
    #[schema(example = "not_found")]
    pub error: String,
    pub message: Text,
    /// For `bad_request`: each parameter that was refused and why.
    pub fields: Vec<FieldProblem>,
}

/// One refused parameter.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    #[schema(example = "limit")]
    pub field: String,
    pub message: Text,
}

/// A campaign (กองผ้าป่า) with its money and its wishlist's progress.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Campaign {
    #[schema(minimum = 1)]
    pub id: i64,
    pub title: Text,
    /// `open`, `closed` or `settled`.
    #[schema(example = "open")]
    pub status: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub wishlist: Vec<WishlistLine>,
    pub homes: Homes,
    /// A campaign of the demonstration data, not a real drive.
    pub is_demo: bool,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$", example = "500000.00")]
    pub goal: String,
    pub goal_satang: i64,
    /// Received gifts (money and goods at their value), exact to the satang.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub raised: String,
    pub raised_satang: i64,
    /// Money moved into this campaign when another was settled.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub carried_in: String,
    pub carried_in_satang: i64,
    /// Money moved out of this campaign when it was settled.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub carried_out: String,
    pub carried_out_satang: i64,
    /// Spent on purchases.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub spent: String,
    pub spent_satang: i64,
}

/// One item of a campaign's wishlist.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WishlistLine {
    pub item_id: i64,
    pub item: Text,
    pub unit: Text,
    /// How many the campaign asks for.
    pub wanted: i64,
    /// How many the money raised so far pays for, at the reference price.
    pub funded: i64,
    pub bought: i64,
    pub delivered: i64,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub reference_price: String,
    pub reference_price_satang: i64,
}

/// A campaign as the list gives it: its totals, not its wishlist.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CampaignListed {
    #[schema(minimum = 1)]
    pub id: i64,
    pub title: Text,
    pub organisers: Vec<Text>,
    /// `open`, `closed` or `settled`.
    pub status: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub donor_count: i64,
    pub donation_count: i64,
    /// A campaign of the demonstration data, not a real drive.
    pub is_demo: bool,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub goal: String,
    pub goal_satang: i64,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub raised: String,
    pub raised_satang: i64,
}

/// A sub-district hospital (รพ.สต.) or other health facility, and where it is.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HospitalListed {
    #[schema(pattern = r"^[0-9]{5}$", example = "10669")]
    pub facility_code: String,
    pub name: Text,
    /// `health_promoting` (รพ.สต.), `community` (รพช.), `general` (รพท.) or `other`.
    pub kind: String,
    pub subdistrict_code: i64,
    pub subdistrict: Text,
    pub district_code: i64,
    pub district: Text,
    pub province_code: i64,
    pub province: Text,
    /// A record of the demonstration data, not a real facility.
    pub is_demo: bool,
}

/// What a hospital has received and still asks for, and how its units are lent to homes.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Hospital {
    #[schema(pattern = r"^[0-9]{5}$", example = "10669")]
    pub facility_code: String,
    pub name: Text,
    pub kind: String,
    pub subdistrict: Text,
    pub district: Text,
    pub province: Text,
    pub is_demo: bool,
    pub campaigns: Vec<CampaignLink>,
    pub received: Vec<Received>,
    pub open_requests: Vec<OpenRequest>,
    pub lending: Lending,
}

/// A campaign, by id and title.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CampaignLink {
    pub id: i64,
    pub title: Text,
}

/// Units of one item a hospital holds from one campaign, with their tags.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Received {
    pub campaign_id: i64,
    pub campaign_title: Text,
    pub item: Text,
    pub unit: Text,
    pub count: i64,
    pub tags: Vec<String>,
}

/// A request the hospital made that is not yet fulfilled (never its patient counts).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OpenRequest {
    pub item: Text,
    pub unit: Text,
    pub quantity: i64,
    /// Units still to arrive.
    pub missing: i64,
    pub priority: String,
    pub status: String,
}

/// A hospital's lending to homes. Counts about patients from 1 to 4 are not published: such a
/// count is `null`, with `<name>_fewer_than_5` true.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Lending {
    /// Its units by state; `null` while the units in homes are fewer than 5, since with the
    /// units received the other states would give that count away.
    pub units: Option<UnitStates>,
    pub units_hidden: bool,
    /// The Thai fiscal year (Buddhist Era) the yearly count is of.
    pub fiscal_year: i32,
    pub homes_this_year: Option<i64>,
    pub homes_this_year_fewer_than_5: bool,
    pub loans_out: Option<i64>,
    pub loans_out_fewer_than_5: bool,
    pub waiting: Vec<Waiting>,
}

/// A hospital's units by state.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitStates {
    pub ready: i64,
    pub on_loan: Option<i64>,
    pub cleaning: i64,
    pub repair: i64,
    pub passing: i64,
}

/// Households waiting for an item (the count, or `null` when fewer than 5).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Waiting {
    pub item: Text,
    pub waiting: Option<i64>,
    pub waiting_fewer_than_5: bool,
    /// The median wait of the loans made, in days; `null` below 5 loans.
    pub median_wait_days: Option<i64>,
}

fn count(n: PatientCount) -> (Option<i64>, bool) {
    (n.0, n.hidden())
}

impl From<&PublicLending> for Lending {
    fn from(l: &PublicLending) -> Lending {
        let (homes_this_year, homes_hidden) = count(l.homes_this_year);
        let (loans_out, loans_hidden) = count(l.on_loan);
        Lending {
            units: (!l.states_hidden).then_some(UnitStates {
                ready: l.ready,
                on_loan: l.on_loan.0,
                cleaning: l.cleaning,
                repair: l.repair,
                passing: l.passing,
            }),
            units_hidden: l.states_hidden,
            fiscal_year: l.fiscal_year,
            homes_this_year,
            homes_this_year_fewer_than_5: homes_hidden,
            loans_out,
            loans_out_fewer_than_5: loans_hidden,
            waiting: l
                .waiting
                .iter()
                .map(|w| {
                    let (waiting, hidden) = count(w.waiting);
                    Waiting {
                        item: (&w.item).into(),
                        waiting,
                        waiting_fewer_than_5: hidden,
                        median_wait_days: w.median_wait_days,
                    }
                })
                .collect(),
        }
    }
}

/// One unit: where it is and its public history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Unit {
    #[schema(example = "EQ-1-00001")]
    pub tag: String,
    pub item: Text,
    pub campaign: CampaignLink,
    /// `purchase` (bought with the campaign's money) or `in_kind` (given as goods).
    pub origin: String,
    pub purchase_id: Option<i64>,
    pub bought_on: Option<String>,
    pub status: String,
    pub condition: String,
    /// The hospital that holds it (only once received).
    pub hospital: Option<Place>,
    pub held_since: Option<String>,
    /// Its care state at the hospital (`ready`, `on_loan`, `cleaning`, …), once received.
    pub care: Option<String>,
    pub homes: Homes,
    pub history: Vec<UnitEvent>,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub price: String,
    pub price_satang: i64,
}

/// A step of a unit's public history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitEvent {
    pub kind: String,
    pub hospital: Option<Text>,
    pub at: String,
}

impl From<PublicUnit> for Unit {
    fn from(u: PublicUnit) -> Unit {
        Unit {
            history: u
                .history
                .iter()
                .map(|e| UnitEvent {
                    kind: e.kind.clone(),
                    hospital: e.hospital.as_ref().map(Text::from),
                    at: e.at.clone(),
                })
                .collect(),
            item: (&u.item).into(),
            campaign: CampaignLink {
                id: u.campaign_id.get(),
                title: (&u.campaign_title).into(),
            },
            origin: if u.in_kind { "in_kind" } else { "purchase" }.into(),
            purchase_id: u.purchase_id.map(|p| p.get()),
            bought_on: u.bought_on.clone(),
            status: u.status.code().into(),
            condition: u.condition.code().into(),
            hospital: Place::of(&u.facility_code, &u.hospital),
            held_since: u.held_since.clone(),
            care: u.care.map(|c| c.code().into()),
            homes: u.homes.into(),
            price: baht(u.price),
            price_satang: u.price.satang(),
            tag: u.tag,
        }
    }
}

/// A unit as the list gives it: what it is, where it is, and the homes it served.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitListed {
    #[schema(example = "EQ-1-00001")]
    pub tag: String,
    pub campaign_id: i64,
    pub item_id: i64,
    pub item: Text,
    /// `purchase` or `in_kind`.
    pub origin: String,
    pub purchase_id: Option<i64>,
    pub status: String,
    pub condition: String,
    /// The hospital that holds it (only once received).
    pub hospital: Option<Place>,
    pub homes: ListedHomes,
    /// A unit of a demonstration campaign.
    pub is_demo: bool,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub price: String,
    pub price_satang: i64,
}

/// A listed unit's homes, under the small-number rule: listed together, units' counts would
/// add up to a hospital's, so from 1 to 4 loans the count is `null` with
/// `homes_served_fewer_than_5` true, and the days in homes are given from 5 loans only.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct ListedHomes {
    pub homes_served: Option<i64>,
    pub homes_served_fewer_than_5: bool,
    pub days_in_homes: Option<i64>,
}

impl From<HomeFigures> for ListedHomes {
    fn from(h: HomeFigures) -> ListedHomes {
        let served = PatientCount::of(h.homes_served);
        ListedHomes {
            homes_served: served.0,
            homes_served_fewer_than_5: served.hidden(),
            days_in_homes: (h.homes_served >= app::model::loan::SMALL).then_some(h.days_in_homes),
        }
    }
}

/// A received gift's share of each purchase, and the units bought. No donor name or other
/// personal data.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Trace {
    pub campaign_id: i64,
    pub in_kind: bool,
    /// How each share is computed.
    pub method: String,
    pub purchases: Vec<TracePurchase>,
    pub units: Vec<TraceUnitOut>,
    pub homes: Homes,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub amount: String,
    pub amount_satang: i64,
    /// The campaign's received money the shares are divided by.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub campaign_received: String,
    pub campaign_received_satang: i64,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub total_share: String,
    pub total_share_satang: i64,
}

/// A purchase and this gift's share of it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TracePurchase {
    pub purchase_id: i64,
    pub invoice_date: String,
    pub items: Vec<ItemCount>,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub total: String,
    pub total_satang: i64,
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub share: String,
    pub share_satang: i64,
}

/// An item and how many.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ItemCount {
    pub item: Text,
    pub quantity: i64,
}

/// A unit the gift shares in.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TraceUnitOut {
    pub tag: String,
    pub item: Text,
    pub status: String,
    pub hospital: Option<Place>,
    pub homes: Homes,
}

impl From<&TraceUnit> for TraceUnitOut {
    fn from(u: &TraceUnit) -> TraceUnitOut {
        TraceUnitOut {
            tag: u.tag.clone(),
            item: (&u.item).into(),
            status: u.status.code().into(),
            hospital: Place::of(&u.facility_code, &u.hospital),
            homes: u.homes.into(),
        }
    }
}

impl From<&DonationTrace> for Trace {
    fn from(t: &DonationTrace) -> Trace {
        let (amount, received, share) = (t.amount, t.campaign_received, t.total_share());
        Trace {
            campaign_id: t.campaign_id.get(),
            in_kind: t.in_kind,
            method:
                "share = purchase total × amount ÷ campaign_received, rounded down to the satang"
                    .into(),
            purchases: t
                .purchases
                .iter()
                .map(|p| TracePurchase {
                    purchase_id: p.purchase_id.get(),
                    invoice_date: p.invoice_date.clone(),
                    items: p
                        .items
                        .iter()
                        .map(|(item, quantity)| ItemCount {
                            item: item.into(),
                            quantity: *quantity,
                        })
                        .collect(),
                    total: baht(p.total),
                    total_satang: p.total.satang(),
                    share: baht(p.share),
                    share_satang: p.share.satang(),
                })
                .collect(),
            units: t.units.iter().map(TraceUnitOut::from).collect(),
            homes: t.homes().into(),
            amount: baht(amount),
            amount_satang: amount.satang(),
            campaign_received: baht(received),
            campaign_received_satang: received.satang(),
            total_share: baht(share),
            total_share_satang: share.satang(),
        }
    }
}

/// A page of a list: its items, and the cursor of the next page (`null` on the last).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` when this page is the last.
    pub next_cursor: Option<String>,
    /// The next page's address, or `null`.
    pub next: Option<String>,
}
