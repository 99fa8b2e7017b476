//! The arithmetic behind the report's charts and map, in whole numbers: axis steps, scaling and
//! a map projection. The SVG itself is drawn by the report page; this part is pure and tested.

use super::report::DayIn;
use super::status::DonationChannel;
use chrono::NaiveDate;

/// `value` of `max` placed on a span of `span` units, rounded down: 0 at 0, `span` at `max`.
/// Values outside `0..=max` are clamped, and a `max` of zero or less puts everything at 0.
pub fn scale(value: i64, max: i64, span: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    let v = i128::from(value.clamp(0, max));
    i64::try_from(v * i128::from(span) / i128::from(max)).unwrap_or(span)
}

/// A round step for an axis from 0 to `max` with at most `ticks` steps: 1, 2 or 5 times a power
/// of ten. The axis's top is the first multiple of the step at or above `max`.
pub fn axis_step(max: i64, ticks: i64) -> i64 {
    let ticks = ticks.max(1);
    let mut power = 1_i64;
    loop {
        for m in [1, 2, 5] {
            let step = power.saturating_mul(m);
            if step.saturating_mul(ticks) >= max {
                return step;
            }
        }
        power = power.saturating_mul(10);
        if power == i64::MAX {
            return power;
        }
    }
}

/// The top of an axis from 0 with `step`: the first multiple of `step` at or above `max`
/// (at least one step).
pub fn axis_top(max: i64, step: i64) -> i64 {
    let step = step.max(1);
    let n = (max.max(1) + step - 1) / step;
    n * step
}

/// Money received over time, one cumulative line per channel: the days on which anything
/// arrived, oldest first, and for each channel that received money its running total in satang
/// on each of those days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cumulative {
    pub days: Vec<NaiveDate>,
    pub lines: Vec<(DonationChannel, Vec<i64>)>,
}

impl Cumulative {
    pub fn of(points: &[DayIn]) -> Cumulative {
        let mut days: Vec<NaiveDate> = points.iter().map(|p| p.on).collect();
        days.sort_unstable();
        days.dedup();
        let lines = DonationChannel::ALL
            .iter()
            .filter(|c| points.iter().any(|p| p.channel == **c))
            .map(|c| {
                let mut total = 0;
                let running = days
                    .iter()
                    .map(|d| {
                        total += points
                            .iter()
                            .filter(|p| p.on == *d && p.channel == *c)
                            .map(|p| p.amount.satang())
                            .sum::<i64>();
                        total
                    })
                    .collect();
                (*c, running)
            })
            .collect();
        Cumulative { days, lines }
    }

    /// The largest running total: where the axis must reach.
    pub fn max(&self) -> i64 {
        self.lines
            .iter()
            .filter_map(|(_, l)| l.last().copied())
            .max()
            .unwrap_or(0)
    }

    /// The running total of every channel at the end of each month in which money arrived (and
    /// on the last day): the table beside the chart.
    pub fn month_ends(&self) -> Vec<(NaiveDate, Vec<i64>)> {
        use chrono::Datelike;
        let mut out: Vec<(NaiveDate, Vec<i64>)> = Vec::new();
        for (i, day) in self.days.iter().enumerate() {
            let last_of_month = self
                .days
                .get(i + 1)
                .is_none_or(|next| (next.year(), next.month()) != (day.year(), day.month()));
            if last_of_month {
                out.push((*day, self.lines.iter().map(|(_, l)| l[i]).collect()));
            }
        }
        out
    }
}

/// cos(latitude) in thousandths for whole degrees 0–30, the range Thailand (5.6°–20.5° N) lies
/// in; beyond it the last value is used.
const COS_MILLI: [i64; 31] = [
    1000, 1000, 999, 999, 998, 996, 995, 993, 990, 988, 985, 982, 978, 974, 970, 966, 961, 956,
    951, 946, 940, 934, 927, 921, 914, 906, 899, 891, 883, 875, 866,
];

/// The smallest span a map shows, in millionths of a degree (about 11 km), so that one hospital
/// or a tight cluster is not blown up to the whole frame.
const MIN_SPAN_E6: i64 = 100_000;

/// A flat projection of a small area onto an SVG frame: longitude shrunk by the cosine of the
/// middle latitude, north up, with the same scale on both axes. Coordinates in millionths of a
/// degree; the frame is at most `size` units on its longer side, with `pad` units of margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Projection {
    north: i64,
    west: i64,
    cos_milli: i64,
    /// Map units per `unit` east-corrected millionths of a degree.
    inner: i64,
    unit: i64,
    pad: i64,
    pub width: i64,
    pub height: i64,
}

impl Projection {
    /// The projection that frames every point; `None` when there are none.
    pub fn fit(points: &[(i64, i64)], size: i64, pad: i64) -> Option<Projection> {
        let (mut south, mut north) = (i64::MAX, i64::MIN);
        let (mut west, mut east) = (i64::MAX, i64::MIN);
        for (lat, lon) in points {
            south = south.min(*lat);
            north = north.max(*lat);
            west = west.min(*lon);
            east = east.max(*lon);
        }
        if points.is_empty() {
            return None;
        }
        for (lo, hi) in [(&mut south, &mut north), (&mut west, &mut east)] {
            let short = MIN_SPAN_E6 - (*hi - *lo);
            if short > 0 {
                *lo -= short / 2;
                *hi += short - short / 2;
            }
        }
        let middle_degree =
            usize::try_from(((south + north) / 2 / 1_000_000).clamp(0, 30)).unwrap_or_default();
        let cos_milli = COS_MILLI[middle_degree.min(30)];
        let x_span = (east - west) * cos_milli / 1000;
        let y_span = north - south;
        let unit = x_span.max(y_span).max(1);
        let inner = (size - 2 * pad).max(1);
        Some(Projection {
            north,
            west,
            cos_milli,
            inner,
            unit,
            pad,
            width: 2 * pad + scale(x_span, unit, inner),
            height: 2 * pad + scale(y_span, unit, inner),
        })
    }

    /// Where a coordinate falls on the frame: (x, y), y growing southwards.
    pub fn at(&self, latitude_e6: i64, longitude_e6: i64) -> (i64, i64) {
        let east = (longitude_e6 - self.west) * self.cos_milli / 1000;
        let south = self.north - latitude_e6;
        (
            self.pad + scale(east, self.unit, self.inner),
            self.pad + scale(south, self.unit, self.inner),
        )
    }
}

/// A marker's radius in tenths of a unit for `units` received: its area grows with the count
/// (the radius with the square root), from `base` for none: `base + per_unit × √units`.
pub fn marker_radius_tenths(units: i64, base: i64, per_unit: i64) -> i64 {
    let squared = units.max(0).saturating_mul(per_unit * per_unit * 100);
    base * 10 + squared.unsigned_abs().isqrt().cast_signed()
}

/// Tenths as SVG number text: `65` → `6.5`.
pub fn tenths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    format!("{sign}{}.{}", abs / 10, abs % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Money;
    use proptest::prelude::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    #[test]
    fn axis_steps_are_round_and_cover_the_maximum() {
        assert_eq!(axis_step(0, 5), 1);
        assert_eq!(axis_step(9, 5), 2);
        assert_eq!(axis_step(1_234_567, 5), 500_000);
        assert_eq!(axis_top(1_234_567, 500_000), 1_500_000);
        assert_eq!(axis_top(1_000_000, 500_000), 1_000_000);
        assert_eq!(axis_top(0, 500_000), 500_000);
    }

    #[test]
    fn running_totals_per_channel_and_month_ends() {
        let p = |on: NaiveDate, channel, baht| DayIn {
            on,
            channel,
            amount: Money::from_baht(baht),
        };
        let november = NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        let points = [
            p(day(1), DonationChannel::Cash, 100),
            p(day(1), DonationChannel::PromptPay, 50),
            p(day(3), DonationChannel::PromptPay, 25),
            p(november, DonationChannel::Cash, 1),
        ];
        let c = Cumulative::of(&points);
        assert_eq!(c.days, vec![day(1), day(3), november]);
        assert_eq!(
            c.lines,
            vec![
                (DonationChannel::Cash, vec![10_000, 10_000, 10_100]),
                (DonationChannel::PromptPay, vec![5_000, 7_500, 7_500]),
            ]
        );
        assert_eq!(c.max(), 10_100);
        assert_eq!(
            c.month_ends(),
            vec![
                (day(3), vec![10_000, 7_500]),
                (november, vec![10_100, 7_500])
            ]
        );
    }

    #[test]
    fn the_map_keeps_north_up_and_one_scale() {
        // Khon Kaen's city and two points a tenth of a degree east and north of it.
        let city = (16_441_900, 102_835_900);
        let east = (16_441_900, 102_935_900);
        let north = (16_541_900, 102_835_900);
        let p = Projection::fit(&[city, east, north], 600, 20).unwrap();
        let (cx, cy) = p.at(city.0, city.1);
        let (ex, ey) = p.at(east.0, east.1);
        let (nx, ny) = p.at(north.0, north.1);
        assert_eq!((cx, ny), (20, 20));
        assert_eq!(cy, ey);
        assert_eq!(cx, nx);
        assert!(ex > cx && ny < cy);
        // A degree of longitude is shorter than one of latitude at 16° N.
        assert_eq!(ex - cx, (cy - ny) * 961 / 1000);
        assert!(Projection::fit(&[], 600, 20).is_none());
        let one = Projection::fit(&[city], 600, 20).unwrap();
        assert!(one.width > 40 && one.height > 40);
    }

    #[test]
    fn markers_grow_with_the_square_root() {
        assert_eq!(marker_radius_tenths(0, 4, 3), 40);
        assert_eq!(marker_radius_tenths(4, 4, 3), 100);
        assert_eq!(marker_radius_tenths(-1, 4, 3), 40);
        // Close counts still differ: 3√4 = 6, 3√7 ≈ 7.9.
        assert_eq!(marker_radius_tenths(7, 4, 3), 119);
        assert_eq!(tenths(119), "11.9");
        assert_eq!(tenths(40), "4.0");
        assert_eq!(tenths(-5), "-0.5");
    }

    proptest! {
        #[test]
        fn scaled_values_stay_in_the_frame(v in any::<i64>(), max in any::<i64>(), span in 0_i64..10_000) {
            let s = scale(v, max, span);
            prop_assert!((0..=span).contains(&s));
        }

        #[test]
        fn projected_points_stay_in_the_frame(
            points in proptest::collection::vec((5_000_000_i64..21_000_000, 97_000_000_i64..106_000_000), 1..30)
        ) {
            let p = Projection::fit(&points, 600, 20).unwrap();
            for (lat, lon) in points {
                let (x, y) = p.at(lat, lon);
                prop_assert!((20..=p.width - 20).contains(&x), "{x} of {}", p.width);
                prop_assert!((20..=p.height - 20).contains(&y), "{y} of {}", p.height);
            }
        }
    }
}
