//! The audit chain keyed with a secret outside the database, on SQLite and PostgreSQL: clean
//! rewrites by someone with database rights but not the key are caught, old unkeyed rows stay
//! verifiable without opening a downgrade path, and a head published earlier catches even a
//! rewrite by the key's holder.

use crate::common;

use app::server::audit::{self, row_hash, ChainCheck, Event};
use app::server::db::audit::{AuditRow, KEYED_HMAC, UNKEYED_SHA256};
use app::server::db::AuditKey;
use app::server::Db;

/// Appends `n` system events.
async fn append(db: &Db, n: usize) {
    for i in 0..n {
        let mut tx = db.begin().await.unwrap();
        let event = Event {
            actor: audit::Actor::System,
            action: "test_event",
            record_type: "test",
            record_id: Some(i.to_string()),
            detail: format!("event {i}"),
            client_address: Some("203.0.113.9".into()),
        };
        audit::record(&mut tx, &event).await.unwrap();
        tx.commit().await.unwrap();
    }
}

async fn rows(db: &Db) -> Vec<AuditRow> {
    sqlx::query_as(
        "select seq, occurred_at, actor_account_id, actor, action, record_type, record_id, detail,
           client_address, prev_hash, hash, hash_version from audit_log order by seq",
    )
    .fetch_all(db.reader())
    .await
    .unwrap()
}

/// Rewrites the whole chain the way an intruder with database rights would: `edit` changes rows,
/// `version_of` picks each row's hash version, and every hash from the first row on is
/// recomputed with `key`, so each row follows from the one before and the head matches.
async fn rewrite(
    db: &Db,
    key: &AuditKey,
    version_of: impl Fn(i64) -> i64,
    edit: impl Fn(&mut AuditRow),
) {
    let mut prev = "0".repeat(64);
    for mut row in rows(db).await {
        edit(&mut row);
        row.hash_version = version_of(row.seq);
        row.prev_hash = prev.clone();
        row.hash = row_hash(row.hash_version, key, &prev, &row).unwrap();
        sqlx::query(
            "update audit_log set detail = $1, prev_hash = $2, hash = $3, hash_version = $4 where seq = $5",
        )
        .bind(&row.detail)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .bind(row.hash_version)
        .bind(row.seq)
        .execute(db.reader())
        .await
        .unwrap();
        prev = row.hash;
    }
    sqlx::query("update audit_head set last_hash = $1 where audit_head_id = 1")
        .bind(&prev)
        .execute(db.reader())
        .await
        .unwrap();
}

fn broken_at(check: ChainCheck) -> i64 {
    match check {
        ChainCheck::BrokenAt { seq, .. } => seq,
        intact => panic!("the rewrite went unnoticed: {intact:?}"),
    }
}

fn edit_second(row: &mut AuditRow) {
    if row.seq == 2 {
        row.detail = "nothing happened here".into();
    }
}

on_both_engines!(
    a_rewrite_with_recomputed_unkeyed_hashes_is_detected,
    |db: Db| async move {
        append(&db, 4).await;
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            ChainCheck::Intact { rows: 4 }
        );
        assert!(rows(&db).await.iter().all(|r| r.hash_version == KEYED_HMAC));
        common::allow_tampering(&db).await;
        // SHA-256 needs no key: before the chain was keyed, this rewrite passed verification.
        rewrite(&db, db.audit_key(), |_| UNKEYED_SHA256, edit_second).await;
        assert_eq!(broken_at(audit::verify(&db).await.unwrap()), 1);
    }
);

on_both_engines!(
    a_rewrite_with_a_wrong_key_is_detected_at_the_first_changed_row,
    |db: Db| async move {
        append(&db, 4).await;
        common::allow_tampering(&db).await;
        let guess = AuditKey::new(&[0x42; 32]);
        let real = db.audit_key().clone();
        rewrite(&db, &guess, |_| KEYED_HMAC, edit_second).await;
        assert_eq!(broken_at(audit::verify(&db).await.unwrap()), 1);
        rewrite(&db, &real, |_| KEYED_HMAC, |_| {}).await;
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            ChainCheck::Intact { rows: 4 }
        );
        // Only row 2 rewritten, with a guessed key.
        let mut second = rows(&db).await[1].clone();
        edit_second(&mut second);
        let forged = row_hash(KEYED_HMAC, &guess, &second.prev_hash, &second).unwrap();
        sqlx::query("update audit_log set detail = $1, hash = $2 where seq = 2")
            .bind(&second.detail)
            .bind(forged)
            .execute(db.reader())
            .await
            .unwrap();
        assert_eq!(broken_at(audit::verify(&db).await.unwrap()), 2);
    }
);

on_both_engines!(
    rows_from_before_the_key_stay_verifiable_but_no_unkeyed_row_may_follow,
    |db: Db| async move {
        append(&db, 5).await;
        common::allow_tampering(&db).await;
        let key = db.audit_key().clone();
        // As if rows 1–2 were written before migration 0005 keyed the chain.
        sqlx::query("update audit_head set keyed_from_seq = 3 where audit_head_id = 1")
            .execute(db.reader())
            .await
            .unwrap();
        let legacy = |seq: i64| if seq <= 2 { UNKEYED_SHA256 } else { KEYED_HMAC };
        rewrite(&db, &key, legacy, |_| {}).await;
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            ChainCheck::Intact { rows: 5 }
        );
        // One unkeyed row after keyed ones: a downgrade, even with every hash recomputed.
        let downgraded = |seq: i64| {
            if seq <= 2 || seq == 4 {
                UNKEYED_SHA256
            } else {
                KEYED_HMAC
            }
        };
        rewrite(&db, &key, downgraded, |_| {}).await;
        assert_eq!(broken_at(audit::verify(&db).await.unwrap()), 4);
        // Nor may unkeyed rows reach past where keying began, even with no keyed row before.
        let all_unkeyed_to_three = |seq: i64| if seq <= 3 { UNKEYED_SHA256 } else { KEYED_HMAC };
        rewrite(&db, &key, all_unkeyed_to_three, |_| {}).await;
        assert_eq!(broken_at(audit::verify(&db).await.unwrap()), 3);
    }
);

on_both_engines!(
    a_published_head_catches_a_rewrite_even_by_the_key_holder,
    |db: Db| async move {
        append(&db, 3).await;
        let (seq, hash) = audit::head(&db).await.unwrap();
        assert_eq!(seq, 3);
        assert_eq!(
            audit::verify_against(&db, seq, &hash).await.unwrap(),
            ChainCheck::Intact { rows: 3 }
        );
        append(&db, 2).await;
        assert_eq!(
            audit::verify_against(&db, seq, &hash.to_uppercase())
                .await
                .unwrap(),
            ChainCheck::Intact { rows: 5 },
            "later rows do not disturb an earlier published head"
        );
        let wrong = "ab".repeat(32);
        assert_eq!(
            broken_at(audit::verify_against(&db, seq, &wrong).await.unwrap()),
            3
        );
        assert_eq!(
            broken_at(audit::verify_against(&db, 9, &hash).await.unwrap()),
            9
        );
        common::allow_tampering(&db).await;
        let key = db.audit_key().clone();
        rewrite(&db, &key, |_| KEYED_HMAC, edit_second).await;
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            ChainCheck::Intact { rows: 5 }
        );
        assert_eq!(
            broken_at(audit::verify_against(&db, seq, &hash).await.unwrap()),
            3
        );
    }
);
