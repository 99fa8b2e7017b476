-- Books nobody can bend: matching no donor can steer, purchases that cannot be split, pledges
-- that lapse, and settled campaigns whose money and scope stay as they were settled.

-- A pledge whose amount another open pledge already held, with no free satang tail left: its
-- credit cannot be told apart by amount, so an officer matches it by hand (the donor is told).
alter table donation add column match_by_hand BIGINT not null default 0 check (match_by_hand in (0, 1));
-- A pledge whose amount the satang tail made unique among the campaign's open pledges: only
-- such an amount may match a credit on its own (an amount typed as it is could be a stranger's
-- pledge waiting for someone else's transfer).
alter table donation add column tail_unique BIGINT not null default 0 check (tail_unique in (0, 1));
-- Open donations are found by amount when a statement's credits are matched.
create index donation_campaign_amount on donation (campaign_id, amount_satang);

-- Days after which an unpaid pledge lapses: not a void (its money may still come and be
-- received), but no longer a discrepancy of its own; lapsed pledges are acknowledged together.
alter table campaign add column pledge_lapse_days BIGINT not null default 14 check (pledge_lapse_days between 1 and 365);
-- When a settled campaign's texts were last corrected (its money and scope cannot change).
alter table campaign add column edited_after_settlement_at TEXT;

-- Purchases: an invoice number is recorded once per campaign and vendor (voided purchases
-- aside), and the second-approval threshold applies to a vendor's total over 30 days, so one
-- purchase cannot be split under it (แบ่งซื้อแบ่งจ้าง). The keys are the vendor's name and the
-- invoice number as compared (case, spaces and punctuation aside, `model::procurement`); a
-- placeholder invoice number ("-", "ไม่มี") has no key and is flagged on the report instead.
-- The keys of purchases recorded before are computed by the same Rust code at start-up, which
-- then creates the unique indexes (`db::migrate::purchase_keys`).
alter table purchase add column vendor_key TEXT;
alter table purchase add column invoice_key TEXT;
-- The vendor's 30-day total (this purchase included) that made it wait for a second officer.
alter table purchase add column vendor_window_satang BIGINT;
create index purchase_vendor on purchase (campaign_id, vendor_key, created_at);

-- An acknowledgement's reason is shown on the public report only where the officer said so
-- (a reason for an unmatched credit tends to name the payer).
alter table settlement_ack add column publishable BIGINT not null default 0 check (publishable in (0, 1));
