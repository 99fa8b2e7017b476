-- check-ledger at province scale, on SQLite: the received gifts in the order the kept hours are
-- compared in (campaign, hour, channel), holding their amounts, so comparing them reads this
-- index from end to end instead of sorting every gift. PostgreSQL groups them by hashing and
-- keeps no such index.
--@sqlite
create index donation_received_hours on donation (campaign_id, substr(received_at, 1, 13), channel, amount_satang)
    where status = 'received';
--@end
