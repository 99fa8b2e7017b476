-- Limits per client (pledges, look-ups of codes that do not exist, donation traces) kept in the
-- database, so several servers on one PostgreSQL database allow together what one allows. A row
-- counts the hits of one limit and client in the window that started at `window_started_at`;
-- rows whose window has passed are purged a few at a time. SQLite has one server, which keeps
-- these counts in its memory instead, so on SQLite the table stays empty.
create table client_limit (
    limit_key TEXT primary key,
    hits BIGINT not null check (hits >= 0),
    window_started_at TEXT not null
);
create index client_limit_window on client_limit (window_started_at);
