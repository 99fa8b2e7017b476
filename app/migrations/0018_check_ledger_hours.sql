-- check-ledger at province scale, on SQLite: the received gifts in the order the kept hours are
-- compared in (campaign, hour, channel), with their amounts, so comparing them walks this index
-- in order (a table look-up per hour, for the hour itself) instead of sorting every gift. Only
-- a query that also says `channel <> ''` (true of every gift) can use it: without that term, a
-- query that reads every received gift (the donor count, the receipts check) went through it
-- in hour order with a table look-up per gift, several times slower. PostgreSQL groups by
-- hashing and keeps no such index.
--@sqlite
create index donation_received_hours on donation (campaign_id, substr(received_at, 1, 13), channel, amount_satang)
    where status = 'received' and channel <> '';
--@end
