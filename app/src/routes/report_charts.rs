//! The report's charts and map, drawn as SVG on the server: they read without JavaScript, print
//! on A4 and fetch nothing from outside (no map tiles). Each comes with its figures as text (a
//! table or a legend with amounts) beside it. The arithmetic is in [`crate::model::chart`].
//!
//! Just over 400 lines: four charts sharing one width and the same baht ticks and percentages, kept
//! together.

use crate::i18n::use_lang;
use crate::model::chart::{
    axis_step, axis_top, marker_radius_tenths, scale, tenths, Cumulative, Projection,
};
use crate::model::money::group_thousands;
use crate::model::report::CampaignReport;
use crate::model::thai_date::format_date;
use crate::model::{Lang, Localized, Money};
use leptos::prelude::*;

const WIDTH: i64 = 640;

fn baht_tick(baht: i64) -> String {
    format!("฿{}", group_thousands(baht.max(0).unsigned_abs()))
}

/// A whole percentage of `part` in `whole`, rounded down.
fn percent(part: Money, whole: Money) -> i64 {
    scale(part.satang(), whole.satang(), 100)
}

/// Money received over time, cumulative, one line per channel.
#[component]
pub fn MoneyInChart(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let c = Cumulative::of(&r.money_in_days);
    let caption = lang.pick(
        "เงินบริจาคสะสมตามช่องทาง (บาท)",
        "Money received over time, cumulative, by channel (baht)",
    );
    if c.days.is_empty() {
        return view! {
            <figure class="chart money-in-chart">
                <figcaption>{caption}</figcaption>
                <p class="small">{lang.pick("ยังไม่มีเงินบริจาค", "No money received yet.")}</p>
            </figure>
        }
        .into_any();
    }
    let (left, right, top, bottom) = (88, 16, 12, 40);
    let height = 260;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max_baht = (c.max() + 99) / 100;
    let step = axis_step(max_baht, 4);
    let axis = axis_top(max_baht, step);
    let y = move |satang: i64| top + plot_h - scale(satang, axis * 100, plot_h);
    let first = c.days[0];
    let last = c.days[c.days.len() - 1];
    let span = (last - first).num_days().max(1);
    let x = move |d: chrono::NaiveDate| left + scale((d - first).num_days(), span, plot_w);
    let ticks: Vec<i64> = (0..=axis / step).map(|n| n * step).collect();
    let lines: Vec<(String, String)> = c
        .lines
        .iter()
        .map(|(channel, running)| {
            let mut points = vec![format!("{},{}", x(first), y(0))];
            let mut before = 0;
            for (d, total) in c.days.iter().zip(running) {
                points.push(format!("{},{}", x(*d), y(before)));
                points.push(format!("{},{}", x(*d), y(*total)));
                before = *total;
            }
            points.push(format!("{},{}", left + plot_w, y(before)));
            points.dedup();
            (
                format!("series series-{}", channel.code()),
                points.join(" "),
            )
        })
        .collect();
    let received = Money::from_satang(r.money_in_days.iter().map(|d| d.amount.satang()).sum());
    let label = match lang {
        Lang::Th => format!(
            "แผนภูมิเส้นเงินบริจาคสะสมตั้งแต่ {} ถึง {} รวม {}",
            format_date(first, lang),
            format_date(last, lang),
            received
        ),
        Lang::En => format!(
            "Line chart of money received from {} to {}, {} in all",
            format_date(first, lang),
            format_date(last, lang),
            received
        ),
    };
    let channels: Vec<_> = c.lines.iter().map(|(ch, _)| *ch).collect();
    let months = c.month_ends();
    view! {
        <figure class="chart money-in-chart">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label class="chart-svg">
                {ticks.into_iter().map(|t| {
                    let ty = y(t * 100);
                    view! {
                        <line class="grid" x1=left y1=ty x2=left + plot_w y2=ty />
                        <text class="tick" x=left - 6 y=ty + 4 text-anchor="end">{baht_tick(t)}</text>
                    }
                }).collect_view()}
                <line class="axis" x1=left y1=top + plot_h x2=left + plot_w y2=top + plot_h />
                <text class="tick" x=left y=height - 14 text-anchor="start">{format_date(first, lang)}</text>
                <text class="tick" x=left + plot_w y=height - 14 text-anchor="end">{format_date(last, lang)}</text>
                {lines.into_iter().map(|(class, points)| view! {
                    <polyline class=class points=points fill="none" />
                }).collect_view()}
            </svg>
            <ul class="legend">
                {channels.iter().map(|ch| view! {
                    <li><span class=format!("swatch series-{}", ch.code()) aria-hidden="true"></span>{ch.label(lang)}</li>
                }).collect_view()}
            </ul>
            <div class="table-scroll"><table class="figures-table chart-table">
                <caption>{lang.pick("ยอดสะสม ณ วันสุดท้ายที่มีเงินเข้าของแต่ละเดือน", "Running totals on the last day with money in each month")}</caption>
                <thead><tr>
                    <th scope="col">{lang.pick("วันที่", "Date")}</th>
                    {channels.iter().map(|ch| view! { <th scope="col" class="num">{ch.label(lang)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {months.into_iter().map(|(d, totals)| view! {
                        <tr>
                            <td>{format_date(d, lang)}</td>
                            {totals.into_iter().map(|t| view! { <td class="num">{Money::from_satang(t).to_string()}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </figure>
    }
    .into_any()
}

/// Where the money went: one bar of everything received, split into purchases, money carried
/// out, money held for purchases awaiting approval, and what is left.
#[component]
pub fn SpentChart(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let total = r.total_in();
    let spent = Money::from_satang(r.spent.iter().map(|l| l.amount.satang()).sum());
    let carried = Money::from_satang(r.carried_out.iter().map(|c| c.amount.satang()).sum());
    let left_over = Money::from_satang((r.balance().satang() - r.held.satang()).max(0));
    let parts = [
        ("spent", lang.pick("จัดซื้อครุภัณฑ์", "Spent on equipment"), spent),
        (
            "carried",
            lang.pick("ยกไปกองผ้าป่าอื่น", "Carried to another campaign"),
            carried,
        ),
        (
            "held",
            lang.pick("กันไว้รออนุมัติ", "Held for purchases awaiting approval"),
            r.held,
        ),
        (
            "balance",
            lang.pick("คงเหลือ", "Left in the fund"),
            left_over,
        ),
    ];
    let (bar_x, bar_w, bar_h) = (8, WIDTH - 16, 40);
    let mut at = 0;
    let segments: Vec<(String, i64, i64)> = parts
        .iter()
        .filter(|p| p.2 != Money::ZERO)
        .map(|(class, _, amount)| {
            // Never past the frame, even if the parts come to more than the money received.
            let width = scale(amount.satang(), total.satang(), bar_w).min(bar_w - at);
            let segment = (format!("bar bar-{class}"), bar_x + at, width);
            at += width;
            segment
        })
        .collect();
    let label = parts
        .iter()
        .map(|(_, name, amount)| format!("{name} {amount}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart spent-chart">
            <figcaption>{lang.pick("เงินที่ได้รับทั้งหมด ", "All money received, ")}{total.to_string()}{lang.pick(" ใช้ไปอย่างไร", ": where it went")}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {}", bar_h + 8) role="img" aria-label=label class="chart-svg">
                <rect class="bar-frame" x=bar_x y=4 width=bar_w height=bar_h />
                {segments.into_iter().map(|(class, x, w)| view! {
                    <rect class=class x=x y=4 width=w height=bar_h />
                }).collect_view()}
            </svg>
            <ul class="legend">
                {parts.into_iter().map(|(class, name, amount)| view! {
                    <li>
                        <span class=format!("swatch bar-{class}") aria-hidden="true"></span>
                        {name}": "<strong>{amount.to_string()}</strong>
                        {format!(" ({}%)", percent(amount, total))}
                    </li>
                }).collect_view()}
            </ul>
        </figure>
    }
}

/// One district's share of what the campaign's hospitals received.
struct District {
    name: Localized,
    hospitals: i64,
    units: i64,
    value: Money,
}

fn districts(r: &CampaignReport) -> Vec<District> {
    let mut out: Vec<District> = Vec::new();
    for h in &r.hospitals {
        match out.iter_mut().find(|d| d.name == h.district) {
            Some(d) => {
                d.hospitals += 1;
                d.units += h.units;
                d.value = Money::from_satang(d.value.satang() + h.value.satang());
            }
            None => out.push(District {
                name: h.district.clone(),
                hospitals: 1,
                units: h.units,
                value: h.value,
            }),
        }
    }
    out.sort_by(|a, b| {
        b.units
            .cmp(&a.units)
            .then_with(|| a.name.th.cmp(&b.name.th))
    });
    out
}

/// Units received by district: a bar per district, with the table of the same figures.
#[component]
pub fn DistrictChart(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let rows = districts(&r);
    let caption = lang.pick(
        "ครุภัณฑ์ที่ รพ.สต. ได้รับ แยกตามอำเภอ (ชิ้น)",
        "Units received by hospitals, by district",
    );
    if rows.is_empty() {
        return view! {
            <figure class="chart district-chart">
                <figcaption>{caption}</figcaption>
                <p class="small">{lang.pick("กองผ้าป่านี้ยังไม่มี รพ.สต. ในความดูแล", "This campaign serves no hospital yet.")}</p>
            </figure>
        }
        .into_any();
    }
    let max = rows.iter().map(|d| d.units).max().unwrap_or(0);
    let (label_w, row_h, right) = (170, 26, 48);
    let plot_w = WIDTH - label_w - right;
    let height = (rows.len() as i64).max(1) * row_h + 8;
    let label = rows
        .iter()
        .map(|d| format!("{} {}", d.name.get(lang), d.units))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart district-chart">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label class="chart-svg">
                {rows.iter().enumerate().map(|(i, d)| {
                    let y = 4 + i as i64 * row_h;
                    let w = scale(d.units, max, plot_w);
                    view! {
                        <text class="tick" x=label_w - 8 y=y + 17 text-anchor="end">{d.name.get(lang).to_owned()}</text>
                        <rect class="bar bar-spent" x=label_w y=y + 3 width=w height=row_h - 8 />
                        <text class="tick" x=label_w + w + 6 y=y + 17 text-anchor="start">{d.units}</text>
                    }
                }).collect_view()}
            </svg>
            <div class="table-scroll"><table class="figures-table chart-table">
                <thead><tr>
                    <th scope="col">{lang.pick("อำเภอ", "District")}</th>
                    <th scope="col" class="num">{lang.pick("รพ.สต.", "Hospitals")}</th>
                    <th scope="col" class="num">{lang.pick("ชิ้น", "Units")}</th>
                    <th scope="col" class="num">{lang.pick("มูลค่า", "Value")}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|d| view! {
                        <tr>
                            <td>{d.name.get(lang).to_owned()}</td>
                            <td class="num">{d.hospitals}</td>
                            <td class="num">{d.units}</td>
                            <td class="num">{d.value.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </figure>
    }
    .into_any()
}

/// The campaign's hospitals on a plain map of their province's districts: each district a
/// grey point at the middle of its sub-districts, each hospital a circle whose area grows with
/// the units it received (a hollow ring for none yet). No tiles: it works offline and in print.
#[component]
pub fn HospitalMap(r: CampaignReport) -> impl IntoView {
    let lang = use_lang();
    let placed: Vec<_> = r
        .hospitals
        .iter()
        .filter_map(|h| Some((h, h.latitude_e6?, h.longitude_e6?)))
        .collect();
    let unplaced = r.hospitals.len() - placed.len();
    let points: Vec<(i64, i64)> = r
        .districts
        .iter()
        .map(|d| (d.latitude_e6, d.longitude_e6))
        .chain(placed.iter().map(|(_, lat, lon)| (*lat, *lon)))
        .collect();
    let caption = lang.pick(
        "แผนที่ รพ.สต. ของกองผ้าป่า ขนาดวงกลมตามจำนวนครุภัณฑ์ที่ได้รับ",
        "The campaign's hospitals; each circle's size shows the units received",
    );
    let Some(p) = Projection::fit(&points, WIDTH, 28) else {
        return view! {
            <figure class="chart hospital-map">
                <figcaption>{caption}</figcaption>
                <p class="small">{if r.hospitals.is_empty() {
                    lang.pick("กองผ้าป่านี้ยังไม่มี รพ.สต. ในความดูแล", "This campaign serves no hospital yet.")
                } else {
                    lang.pick("ไม่มีพิกัดของ รพ.สต. เหล่านี้", "These hospitals have no coordinates.")
                }}</p>
            </figure>
        }
        .into_any();
    };
    let received = placed.iter().filter(|(h, _, _)| h.units > 0).count();
    let label = match lang {
        Lang::Th => format!(
            "แผนที่ {} อำเภอ และ รพ.สต. {} แห่ง ได้รับครุภัณฑ์แล้ว {} แห่ง",
            r.districts.len(),
            placed.len(),
            received
        ),
        Lang::En => format!(
            "Map of {} districts and {} hospitals, {} of which have received units",
            r.districts.len(),
            placed.len(),
            received
        ),
    };
    // Hospitals share their sub-district's coordinates: those at one point make one marker
    // with their units added up. Small markers are drawn last, so a big one never hides them.
    let mut points: Vec<(i64, i64, i64)> = Vec::new();
    for (h, lat, lon) in &placed {
        let (x, y) = p.at(*lat, *lon);
        match points.iter_mut().find(|m| (m.0, m.1) == (x, y)) {
            Some(m) => m.2 += h.units,
            None => points.push((x, y, h.units)),
        }
    }
    let mut markers: Vec<_> = points
        .into_iter()
        .map(|(x, y, units)| (x, y, marker_radius_tenths(units, 4, 3), units))
        .collect();
    markers.sort_by_key(|m| std::cmp::Reverse(m.2));
    view! {
        <figure class="chart hospital-map">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {} {}", p.width, p.height) role="img" aria-label=label class="chart-svg map-svg">
                <rect class="map-frame" x=0 y=0 width=p.width height=p.height />
                {r.districts.iter().map(|d| {
                    let (x, y) = p.at(d.latitude_e6, d.longitude_e6);
                    view! {
                        <circle class="district-point" cx=x cy=y r=2 />
                        <text class="district-name" x=x y=y - 5 text-anchor="middle">{d.name.get(lang).to_owned()}</text>
                    }
                }).collect_view()}
                {markers.into_iter().map(|(x, y, radius, units)| {
                    let class = if units > 0 { "hospital-marker received" } else { "hospital-marker none" };
                    view! {
                        <circle class=class cx=x cy=y r=tenths(radius) data-units=units />
                        {(units > 0).then(|| view! {
                            <text class="marker-count" x=x y=y + 4 text-anchor="middle">{units}</text>
                        })}
                    }
                }).collect_view()}
            </svg>
            <ul class="legend">
                <li><span class="swatch marker-received" aria-hidden="true"></span>{lang.pick("รพ.สต. ที่ได้รับครุภัณฑ์ (ตัวเลข = จำนวนชิ้น)", "A hospital that received units (the number is how many)")}</li>
                <li><span class="swatch marker-none" aria-hidden="true"></span>{lang.pick("รพ.สต. ที่ยังไม่ได้รับ", "A hospital that has received none yet")}</li>
                <li><span class="swatch district-dot" aria-hidden="true"></span>{lang.pick("ที่ตั้งโดยประมาณของแต่ละอำเภอ", "Each district, at the middle of its sub-districts")}</li>
            </ul>
            {(unplaced > 0).then(|| view! {
                <p class="small">{match lang {
                    Lang::Th => format!("ไม่มีพิกัดของ รพ.สต. {unplaced} แห่ง จึงไม่ได้แสดงบนแผนที่"),
                    Lang::En => format!("{unplaced} hospitals have no coordinates and are not on the map."),
                }}</p>
            })}
            <p class="small">{lang.pick("รายชื่อและจำนวนของแต่ละแห่งอยู่ในตาราง “ครุภัณฑ์ที่ รพ.สต. ได้รับ”", "Each hospital's name and figures are in the table “What each hospital received”.")}</p>
        </figure>
    }
    .into_any()
}
