//! Storage tests: the same cases on SQLite and PostgreSQL.

use app::model::status::CampaignStatus;
use app::model::CampaignId;
use app::server::db::{campaign as campaigns, hospital as hospitals};
use app::server::import::{import_hospitals, ImportError};
use app::server::{demo, ledger, Db};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.reader()).await.unwrap();
    n
}

on_both_engines!(a_new_database_has_every_thai_area, |db: Db| async move {
    assert_eq!(count(&db, "select count(*) from province").await, 77);
    assert_eq!(count(&db, "select count(*) from district").await, 929);
    assert_eq!(count(&db, "select count(*) from subdistrict").await, 7451);
    let (name,): (String,) =
        sqlx::query_as("select name_th from province where province_code = 40")
            .fetch_one(db.reader())
            .await
            .unwrap();
    assert_eq!(name, "ขอนแก่น");
    let (district,): (String,) =
        sqlx::query_as("select name_en from district where district_code = 4405")
            .fetch_one(db.reader())
            .await
            .unwrap();
    assert_eq!(district, "Chiang Yuen");
});

on_both_engines!(
    connecting_twice_keeps_one_copy_of_everything,
    |db: Db| async move {
        demo::load_if_empty(&db, today()).await.unwrap();
        assert!(
            !demo::load_if_empty(&db, today()).await.unwrap(),
            "demo loads only into an empty database"
        );
        assert_eq!(count(&db, "select count(*) from province").await, 77);
        assert_eq!(count(&db, "select count(*) from campaign").await, 3);
    }
);

on_both_engines!(
    the_demo_matches_the_ledger_and_its_promises,
    |db: Db| async move {
        assert!(demo::load_if_empty(&db, today()).await.unwrap());
        assert_eq!(ledger::check(&db).await.unwrap(), vec![]);
        assert_eq!(
            count(&db, "select count(*) from hospital where is_demo = 1").await,
            20
        );
        assert!(count(&db, "select count(*) from equipment_item").await >= 10);
        let list = campaigns::list_public(&mut db.reader().acquire().await.unwrap(), today())
            .await
            .unwrap();
        assert_eq!(list.len(), 3);
        let open: Vec<_> = list
            .iter()
            .filter(|c| c.status == CampaignStatus::Open)
            .collect();
        assert_eq!(open.len(), 2);
        assert!(open
            .iter()
            .any(|c| c.donation_count >= 300 && !c.progress().goal_met()));
        assert!(open.iter().any(|c| c.progress().goal_met()));
        // The third is settled, its balance carried to the open campaign.
        let settled = list
            .iter()
            .find(|c| c.status == CampaignStatus::Settled)
            .unwrap();
        assert_eq!(settled.days_left, None);
        assert_eq!(count(&db, "select count(*) from carry_over").await, 1);
        // Open campaigns come first.
        assert_eq!(list[2].status, CampaignStatus::Settled);
    }
);

on_both_engines!(
    the_aggregate_equals_a_fresh_sum_of_the_donations,
    |db: Db| async move {
        demo::load_if_empty(&db, today()).await.unwrap();
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select f.campaign_id, f.raised_satang,
           cast(coalesce((select sum(amount_satang) from donation d where d.campaign_id = f.campaign_id and d.status = 'received'
              and d.channel <> 'in_kind'), 0) as bigint)
         from campaign_fund f",
    )
    .fetch_all(db.reader())
    .await
    .unwrap();
        for (campaign, raised, summed) in rows {
            assert_eq!(raised, summed, "campaign {campaign}");
        }
    }
);

on_both_engines!(
    a_broken_aggregate_is_named_by_the_check,
    |db: Db| async move {
        demo::load_if_empty(&db, today()).await.unwrap();
        sqlx::query(
            "update campaign_fund set raised_satang = raised_satang + 1 where campaign_id = 2",
        )
        .execute(db.reader())
        .await
        .unwrap();
        let violations = ledger::check(&db).await.unwrap();
        assert_eq!(violations.len(), 1);
        assert!(
            violations[0].0.starts_with("campaign 2: raised"),
            "{:?}",
            violations[0]
        );
    }
);

on_both_engines!(
    a_campaign_page_has_its_wishlist_gifts_and_hospitals,
    |db: Db| async move {
        demo::load_if_empty(&db, today()).await.unwrap();
        let mut c = db.reader().acquire().await.unwrap();
        let detail = campaigns::detail(&mut c, CampaignId(1), today())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.wishlist.len(), 7);
        assert_eq!(
            detail.recent_donations.len(),
            campaigns::RECENT_DONATIONS as usize
        );
        assert!(detail
            .recent_donations
            .windows(2)
            .all(|w| w[0].received_at >= w[1].received_at));
        assert_eq!(detail.hospitals.len(), 8);
        assert!(detail.ceremony_on.is_some());
        assert!(campaigns::detail(&mut c, CampaignId(999), today())
            .await
            .unwrap()
            .is_none());
    }
);

on_both_engines!(hospitals_are_grouped_by_district, |db: Db| async move {
    demo::load_if_empty(&db, today()).await.unwrap();
    let mut c = db.reader().acquire().await.unwrap();
    let groups = hospitals::by_district(&mut c).await.unwrap();
    assert_eq!(groups.iter().map(|g| g.hospitals.len()).sum::<usize>(), 20);
    assert_eq!(
        groups.len(),
        20,
        "one demo hospital in each of 20 districts"
    );
    let detail = hospitals::detail(&mut c, "99001").await.unwrap().unwrap();
    assert_eq!(detail.hospital.province.th, "ขอนแก่น");
    assert_eq!(detail.campaigns.len(), 1);
    assert!(hospitals::detail(&mut c, "00000").await.unwrap().is_none());
});

on_both_engines!(
    a_clean_hospital_file_is_imported_and_updated_in_place,
    |db: Db| async move {
        let csv = "facility_code,name_th,name_en,subdistrict_code,type\n\
               03854,รพ.สต.บ้านทดสอบ,Ban Thotsop SHPH,400101,รพ.สต.\n\
               10670,โรงพยาบาลทดสอบ,,400102,general\n";
        let report = import_hospitals(&db, csv).await.unwrap();
        assert_eq!((report.inserted, report.updated), (2, 0));
        let again = csv.replace("บ้านทดสอบ", "บ้านทดสอบใหม่");
        let report = import_hospitals(&db, &again).await.unwrap();
        assert_eq!((report.inserted, report.updated), (0, 2));
        let detail = hospitals::detail(&mut db.reader().acquire().await.unwrap(), "03854")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.hospital.name.th, "รพ.สต.บ้านทดสอบใหม่");
        assert_eq!(detail.hospital.district.th, "เมืองขอนแก่น");
    }
);

on_both_engines!(
    a_file_with_one_bad_row_imports_nothing,
    |db: Db| async move {
        let csv = "facility_code,name_th,subdistrict_code,type\n\
               03854,รพ.สต.ดี,400101,รพ.สต.\n\
               03855,รพ.สต.ผิด,123456,รพ.สต.\n";
        match import_hospitals(&db, csv).await {
            Err(ImportError::Rows(rows)) => {
                assert_eq!(rows.len(), 1);
                assert_eq!(rows[0].line, 3);
            }
            other => panic!("expected a row error, got {other:?}"),
        }
        assert_eq!(count(&db, "select count(*) from hospital").await, 0);
    }
);

on_both_engines!(constraints_refuse_impossible_money, |db: Db| async move {
    demo::load_if_empty(&db, today()).await.unwrap();
    let negative = sqlx::query("update campaign_fund set raised_satang = -1 where campaign_id = 1")
        .execute(db.reader())
        .await;
    assert!(
        negative.is_err(),
        "a negative fund must be refused by the database"
    );
    let unbalanced_line = sqlx::query(
        "insert into journal_line (journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at)
         values (1, 1, 'fund_cash', 5, 5, 'x')",
    )
    .execute(db.reader())
    .await;
    assert!(
        unbalanced_line.is_err(),
        "a line must be a debit or a credit, not both"
    );
});

on_both_engines!(foreign_keys_are_enforced, |db: Db| async move {
    let orphan = sqlx::query(
        "insert into hospital (facility_code, name_th, subdistrict_code, kind, created_at, updated_at)
         values ('12345', 'x', 999999, 'other', 'x', 'x')",
    )
    .execute(db.reader())
    .await;
    assert!(
        orphan.is_err(),
        "a hospital in an unknown sub-district must be refused"
    );
});

on_both_engines!(
    the_journal_and_audit_log_refuse_updates_and_deletes,
    |db: Db| async move {
        demo::load_if_empty(&db, today()).await.unwrap();
        // The demo's purchases and deliveries are audited as they are made.
        let demo_rows = count(&db, "select count(*) from audit_log").await;
        let mut tx = db.begin().await.unwrap();
        for action in ["first", "second"] {
            let event = app::server::audit::Event {
                actor: app::server::audit::Actor::System,
                action,
                record_type: "test",
                record_id: None,
                detail: String::new(),
                client_address: None,
            };
            app::server::audit::record(&mut tx, &event).await.unwrap();
        }
        tx.commit().await.unwrap();
        let audit_rows = count(&db, "select count(*) from audit_log").await;
        assert_eq!(audit_rows, demo_rows + 2);
        let mut refused = vec![
            "update journal_line set credit_satang = credit_satang + 1 where journal_line_id = 2",
            "delete from journal_line where journal_line_id = 1",
            "update journal_entry set memo = 'x' where journal_entry_id = 1",
            "delete from journal_entry where journal_entry_id = 1",
            "update audit_log set detail = 'edited' where seq = 1",
            "delete from audit_log where seq = 1",
            // Without a `where` SQLite may empty a table without visiting rows; triggers stop that.
            "delete from audit_log",
            "delete from journal_line",
        ];
        if db.engine() == app::server::Engine::Postgres {
            // TRUNCATE fires no row triggers: statement-level ones must refuse it.
            refused.extend([
                "truncate audit_log",
                "truncate journal_line",
                "truncate journal_entry cascade",
            ]);
        }
        for sql in refused {
            assert!(
                sqlx::query(sql).execute(db.reader()).await.is_err(),
                "{sql} must be refused"
            );
        }
        assert_eq!(
            count(&db, "select count(*) from audit_log").await,
            audit_rows
        );
        assert_eq!(ledger::check(&db).await.unwrap(), vec![]);
    }
);
