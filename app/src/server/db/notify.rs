//! Several servers on one PostgreSQL database: a write committed on one moves the page
//! generation of the others on within a moment, through LISTEN/NOTIFY, so none keeps serving a
//! page from before the write. SQLite has one server and needs none of this.
//!
//! The notice is sent after the commit by a task of its own, at most once per 50 ms however many
//! writes there were, not inside each writing transaction: PostgreSQL serialises the commits of
//! every transaction that notifies, which would make all the servers' writes wait on each other.

use super::{Db, Engine};
use sqlx::postgres::PgListener;
use std::time::Duration;

/// The channel every server listens on.
const CHANNEL: &str = "phapa_changed";

/// The notice, with the sending server's own id as payload.
const NOTIFY: &str = "select pg_notify('phapa_changed', $1)";

/// The shortest time between two notices from one server.
const COALESCE: Duration = Duration::from_millis(50);

/// Starts announcing this server's writes and listening for the others' on `url`'s database
/// (PostgreSQL only). The listening task
/// reconnects by itself; after any time it was not listening, it counts a change, since one may
/// have been missed. (Before the first connection nothing is counted: a page stored in that
/// moment is still re-rendered within the cache's 2 s.)
pub fn listen(db: &Db, url: &str) {
    if db.engine() != Engine::Postgres {
        return;
    }
    let announcer = db.clone();
    tokio::spawn(async move {
        let wake = announcer.announcements();
        loop {
            // Writes committed while a notice was being sent leave one wake-up: one more notice.
            wake.notified().await;
            if let Err(e) = announce(&announcer).await {
                tracing::warn!(error = %e, "could not tell the other servers of a write");
            }
            tokio::time::sleep(COALESCE).await;
        }
    });
    let (db, url) = (db.clone(), url.to_owned());
    tokio::spawn(async move {
        let mut again = false;
        loop {
            if let Err(e) = follow(&db, &url, again).await {
                tracing::warn!(error = %e, "listening for other servers' writes failed; retrying");
            }
            again = true;
            db.note_change_elsewhere();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn announce(db: &Db) -> Result<(), sqlx::Error> {
    let mut c = db.reader().acquire().await?;
    send(&mut c, db.origin()).await
}

async fn send(c: &mut sqlx::AnyConnection, origin: &str) -> Result<(), sqlx::Error> {
    sqlx::query(NOTIFY).bind(origin).execute(c).await?;
    Ok(())
}

async fn follow(db: &Db, url: &str, again: bool) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    if again {
        // Writes announced while this server was not listening were not heard.
        db.note_change_elsewhere();
    }
    loop {
        match listener.try_recv().await? {
            Some(note) if note.payload() == db.origin() => {}
            Some(_) => db.note_change_elsewhere(),
            // The connection was lost and will be made again: something may have been missed.
            None => db.note_change_elsewhere(),
        }
    }
}
