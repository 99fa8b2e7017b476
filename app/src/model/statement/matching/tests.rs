use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn today() -> NaiveDate {
    day(28)
}

/// A credit on 2026-11-`d` at `hm` (Bangkok), or with no time.
fn credit(d: u32, hm: Option<(u32, u32)>, satang: i64, text: &str) -> Credit {
    Credit {
        at: BankMoment {
            date: day(d),
            time: hm.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
        },
        amount: Money::from_satang(satang),
        text: text.to_owned(),
        known_at: None,
        taken_back: false,
    }
}

fn bangkok_at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    let local = day(d).and_hms_opt(h, m, 0).unwrap();
    bangkok()
        .from_local_datetime(&local)
        .unwrap()
        .with_timezone(&Utc)
}

/// A pledge made on 2026-11-`d` at `h`:`m` Bangkok time, its amount made unique by the satang
/// tail.
fn pledge(n: u32, d: u32, (h, m): (u32, u32), satang: i64, donor: &str) -> OpenDonation {
    OpenDonation {
        reference: format!("PP-AAAA-BBBB-CCCC-{n:04}"),
        amount: Money::from_satang(satang),
        standing: Standing::Pledged,
        pledge: Some(Pledge {
            made: bangkok_at(d, h, m),
            tailed: true,
        }),
        donor: (!donor.is_empty()).then(|| donor.to_owned()),
    }
}

/// The same pledge with its amount typed as it is (the tail off, or no tail left).
fn untailed(mut d: OpenDonation) -> OpenDonation {
    if let Some(p) = &mut d.pledge {
        p.tailed = false;
    }
    d
}

const FROM_SOMCHAI: &str = "รับโอนเงิน จาก X1234 นาย สมชาย ใจดี";

#[test]
fn a_unique_amount_within_the_window_matches_on_its_own() {
    let open = [
        pledge(1, 20, (9, 0), 150_001, "สมชาย ใจดี"),
        pledge(2, 20, (9, 0), 20_000, ""),
    ];
    let c = credit(21, Some((10, 0)), 150_001, FROM_SOMCHAI);
    assert_eq!(
        suggestions(&c, &open, today()),
        [(0, Evidence::UniqueAmount)]
    );
    assert_eq!(automatic(&[c], &open, today()), [(0, 0)]);
}

#[test]
fn a_pledge_named_after_the_banks_words_never_takes_a_credit() {
    // The stranger's pledge ties with the real donor's: an officer decides, nothing is
    // automatic, and the stranger's name is no hint.
    let open = [
        pledge(1, 20, (9, 0), 150_000, "สมชาย ใจดี"),
        pledge(2, 20, (9, 30), 150_000, "รับโอนเงิน"),
    ];
    let c = credit(21, None, 150_000, FROM_SOMCHAI);
    assert!(automatic(std::slice::from_ref(&c), &open, today()).is_empty());
    assert_eq!(
        suggestions(&c, &open, today()),
        [(0, Evidence::AmountAndName), (1, Evidence::Amount)]
    );
    // Alone with the amount, the stranger's pledge still cannot take a credit that arrived
    // before it was made.
    let late = [pledge(2, 21, (11, 0), 150_000, "รับโอนเงิน")];
    let early = credit(21, Some((10, 59)), 150_000, FROM_SOMCHAI);
    assert!(suggestions(&early, &late, today()).is_empty());
    assert!(automatic(&[early], &late, today()).is_empty());
}

#[test]
fn a_name_is_compared_whole_with_the_payer() {
    let open = [
        pledge(1, 20, (9, 0), 50_000, "สมชาย"),
        pledge(2, 20, (9, 0), 50_000, "PromptPay"),
        pledge(3, 20, (9, 0), 50_000, "คุณสมชาย ใจดี"),
    ];
    let c = credit(21, None, 50_000, FROM_SOMCHAI);
    assert_eq!(
        suggestions(&c, &open, today()),
        [
            (2, Evidence::AmountAndName),
            (0, Evidence::Amount),
            (1, Evidence::Amount)
        ]
    );
}

#[test]
fn a_pledge_made_after_the_credit_is_never_its_match() {
    let open = [pledge(1, 21, (10, 5), 10_000, "")];
    let at_ten = credit(21, Some((10, 4)), 10_000, "x");
    assert!(suggestions(&at_ten, &open, today()).is_empty());
    // Without a time, the credit may have come any time that day.
    let that_day = credit(21, None, 10_000, "x");
    assert_eq!(automatic(&[that_day], &open, today()), [(0, 0)]);
    // The minute of the credit counts whole: 10:05 covers 10:05:00.
    let same_minute = credit(21, Some((10, 5)), 10_000, "x");
    assert_eq!(automatic(&[same_minute], &open, today()), [(0, 0)]);
    let day_before = credit(20, None, 10_000, "x");
    assert!(suggestions(&day_before, &open, today()).is_empty());
}

#[test]
fn a_pledge_made_after_the_line_was_imported_is_never_its_match() {
    // The file gives no time, so the bank date alone would allow the whole day; the import
    // says the money was there by 09:00.
    let imported = bangkok()
        .from_local_datetime(&day(21).and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let waiting = Credit {
        known_at: Some(imported),
        ..credit(21, None, 200_000, "รับโอนเงิน")
    };
    let stranger = [pledge(1, 21, (9, 30), 200_000, "รับโอนเงิน")];
    assert!(suggestions(&waiting, &stranger, today()).is_empty());
    assert!(automatic(&[waiting], &stranger, today()).is_empty());
}

#[test]
fn a_reference_in_the_text_matches_whatever_the_gap_but_not_before_the_pledge() {
    let open = [
        pledge(1, 1, (9, 0), 30_000, ""),
        pledge(2, 1, (9, 0), 30_000, ""),
    ];
    let c = credit(27, None, 30_000, "BILL PAYMENT pp-aaaa-bbbb-cccc-0002");
    assert_eq!(suggestions(&c, &open, today())[0], (1, Evidence::Reference));
    assert_eq!(automatic(&[c], &open, today()), [(0, 1)]);
    let late = [pledge(2, 28, (9, 0), 30_000, "")];
    let before = credit(27, None, 30_000, "PPAAAABBBBCCCC0002");
    assert!(automatic(&[before], &late, today()).is_empty());
}

#[test]
fn two_credits_for_one_unique_amount_are_a_tie() {
    let open = [pledge(1, 20, (9, 0), 70_007, "")];
    let credits = [credit(21, None, 70_007, "a"), credit(22, None, 70_007, "b")];
    assert!(automatic(&credits, &open, today()).is_empty());
}

#[test]
fn a_credit_taken_back_competes_but_is_never_matched_automatically() {
    let open = [pledge(1, 20, (9, 0), 70_007, "")];
    let mut back = credit(21, None, 70_007, "a");
    back.taken_back = true;
    assert!(automatic(std::slice::from_ref(&back), &open, today()).is_empty());
    let fresh = credit(22, None, 70_007, "b");
    assert!(automatic(&[back, fresh], &open, today()).is_empty());
}

#[test]
fn a_match_by_reference_can_leave_another_amount_unique() {
    let open = [
        pledge(1, 20, (9, 0), 50_000, ""),
        pledge(2, 20, (9, 0), 50_000, ""),
    ];
    let credits = [
        credit(21, None, 50_000, "no reference"),
        credit(21, None, 50_000, "PPAAAABBBBCCCC0001"),
    ];
    let mut pairs = automatic(&credits, &open, today());
    pairs.sort_unstable();
    assert_eq!(pairs, [(0, 1), (1, 0)]);
}

#[test]
fn pledges_older_than_the_window_are_offered_but_never_unique() {
    let open = [pledge(1, 1, (9, 0), 40_000, "")];
    let c = credit(20, None, 40_000, "x");
    assert_eq!(suggestions(&c, &open, today()), [(0, Evidence::Amount)]);
    assert!(automatic(&[c], &open, today()).is_empty());
}

#[test]
fn a_recorded_gift_fits_credits_on_either_side_of_its_day() {
    let gift = OpenDonation {
        reference: "PP-AAAA-BBBB-CCCC-0009".into(),
        amount: Money::from_satang(99_900),
        standing: Standing::Received {
            at: day(20).and_hms_opt(5, 0, 0).unwrap().and_utc(),
        },
        pledge: None,
        donor: None,
    };
    let before = credit(18, None, 99_900, "x");
    assert_eq!(
        automatic(&[before], std::slice::from_ref(&gift), today()),
        [(0, 0)]
    );
}

#[test]
fn an_amount_typed_as_it_is_never_matches_on_its_own() {
    // A stranger can pledge a round amount and wait for anyone's transfer of it: alone with its
    // amount, such a pledge is still only a suggestion. A reference still matches it.
    let typed = [untailed(pledge(1, 20, (9, 0), 100_000, ""))];
    let c = credit(21, None, 100_000, "PromptPay");
    assert_eq!(suggestions(&c, &typed, today()), [(0, Evidence::Amount)]);
    assert!(automatic(std::slice::from_ref(&c), &typed, today()).is_empty());
    let noted = credit(21, None, 100_000, "PP-AAAA-BBBB-CCCC-0001");
    assert_eq!(automatic(&[noted], &typed, today()), [(0, 0)]);
}

#[test]
fn a_pledge_confirmed_by_hand_keeps_the_time_rules() {
    // Made on the 20th at 10:00 and confirmed by hand on the 22nd: a credit of the 19th, or
    // one imported before it was made, cannot be its money.
    let confirmed = OpenDonation {
        standing: Standing::Received {
            at: bangkok_at(22, 12, 0),
        },
        ..pledge(1, 20, (10, 0), 60_061, "")
    };
    let before = credit(19, None, 60_061, "x");
    assert!(suggestions(&before, std::slice::from_ref(&confirmed), today()).is_empty());
    let imported_early = Credit {
        known_at: Some(bangkok_at(20, 9, 0)),
        ..credit(20, None, 60_061, "x")
    };
    assert!(suggestions(&imported_early, std::slice::from_ref(&confirmed), today()).is_empty());
    let after = credit(21, None, 60_061, "x");
    assert_eq!(automatic(&[after], &[confirmed], today()), [(0, 0)]);
}

#[test]
fn a_recorded_gift_named_as_the_payer_is_matched_among_equal_amounts() {
    let recorded = |n: u32, name: &str| OpenDonation {
        reference: format!("PP-AAAA-BBBB-CCCC-{n:04}"),
        amount: Money::from_satang(50_000),
        standing: Standing::Received {
            at: bangkok_at(20, 12, 0),
        },
        pledge: None,
        donor: Some(name.to_owned()),
    };
    let open = [recorded(1, "คุณปราณี บุญมา"), recorded(2, "คุณปราณี พรหมวงศ์")];
    let c = credit(20, Some((11, 7)), 50_000, "จาก X0000 คุณปราณี บุญมา");
    assert_eq!(
        automatic(std::slice::from_ref(&c), &open, today()),
        [(0, 0)]
    );
    // A pledge named as the payer is only a suggestion: anyone can type any name.
    let pledged = [
        pledge(1, 19, (9, 0), 50_000, "คุณปราณี บุญมา"),
        pledge(2, 19, (9, 0), 50_000, ""),
    ];
    assert!(automatic(std::slice::from_ref(&c), &pledged, today()).is_empty());
    // Two credits naming the same payer: a tie, left to an officer.
    let twice = [c.clone(), c];
    assert!(automatic(&twice, &open, today()).is_empty());
}

#[test]
fn a_pledge_in_the_credits_own_minute_is_before_it() {
    // The bank prints 04:01; the pledge was made at 04:01:59.3. The minute covers it.
    let made = bangkok_at(21, 4, 1) + chrono::Duration::milliseconds(59_321);
    let open = [OpenDonation {
        pledge: Some(Pledge { made, tailed: true }),
        ..pledge(1, 21, (4, 1), 123_456, "")
    }];
    let c = credit(21, Some((4, 1)), 123_456, "x");
    assert_eq!(automatic(&[c], &open, today()), [(0, 0)]);
}

#[test]
fn a_credit_dated_in_the_future_fits_nothing() {
    let open = [pledge(1, 20, (9, 0), 10_000, "")];
    let c = credit(29, None, 10_000, "x");
    assert!(suggestions(&c, &open, today()).is_empty());
    assert!(automatic(&[c], &open, today()).is_empty());
}

proptest! {
    /// Whatever the credits and pledges, automatic pairs use each credit and each donation
    /// once, join equal amounts, never a pledge made after its credit, never a credit taken
    /// back, and never on an amount a donor typed as it is without its reference.
    #[test]
    fn automatic_pairs_are_unambiguous(
        credits in prop::collection::vec((10u32..28, prop::option::of((0u32..24, 0u32..60)), 1i64..4, prop::bool::weighted(0.2), prop::option::of(0u32..6)), 0..12),
        pledges in prop::collection::vec((10u32..28, 0u32..24, 1i64..4, prop::bool::ANY), 0..8),
    ) {
        let open: Vec<OpenDonation> = pledges.iter().enumerate()
            .map(|(n, &(d, h, a, tailed))| {
                let p = pledge(n as u32, d, (h, 0), a * 100, "");
                if tailed { p } else { untailed(p) }
            })
            .collect();
        let credits: Vec<Credit> = credits.iter().map(|&(d, hm, a, back, r)| {
            let text = r.filter(|&r| (r as usize) < open.len())
                .map_or(String::new(), |r| open[r as usize].reference.clone());
            Credit { taken_back: back, ..credit(d, hm, a * 100, &text) }
        }).collect();
        let pairs = automatic(&credits, &open, today());
        let mut lines: Vec<usize> = pairs.iter().map(|p| p.0).collect();
        let mut gifts: Vec<usize> = pairs.iter().map(|p| p.1).collect();
        lines.sort_unstable();
        lines.dedup();
        gifts.sort_unstable();
        gifts.dedup();
        prop_assert_eq!(lines.len(), pairs.len());
        prop_assert_eq!(gifts.len(), pairs.len());
        for &(c, d) in &pairs {
            prop_assert_eq!(credits[c].amount, open[d].amount);
            prop_assert!(!credits[c].taken_back);
            let (by_reference, _) = fit(&credits[c], &open[d]).expect("a pair that fits");
            prop_assert!(by_reference || open[d].amount_may_decide());
        }
    }
}

#[test]
fn one_suggestion_stands_out_or_none_does() {
    use Evidence::*;
    assert_eq!(best(&[(3, Reference), (1, Amount)]), Some((3, Reference)));
    assert_eq!(
        best(&[(2, Amount)]),
        Some((2, UniqueAmount)),
        "the only one of its amount"
    );
    assert_eq!(
        best(&[(1, AmountAndName), (4, Amount)]),
        Some((1, AmountAndName))
    );
    assert_eq!(
        best(&[(1, AmountAndName), (4, AmountAndName)]),
        None,
        "two named"
    );
    assert_eq!(
        best(&[(1, Amount), (4, Amount)]),
        None,
        "a tie for an officer"
    );
    assert_eq!(best(&[]), None);
}
