//! The export file's pieces: cells, fiscal years, names, and the limits of a download.
use super::*;

#[test]
fn baht_has_two_decimals_and_no_grouping() {
    assert_eq!(baht(150_000), "1500.00");
    assert_eq!(baht(5), "0.05");
    assert_eq!(baht(-1_234_567), "-12345.67");
}

#[test]
fn a_fiscal_year_is_a_buddhist_era_year_or_nothing() {
    assert_eq!(parse_fiscal_year("").unwrap(), None);
    assert_eq!(parse_fiscal_year(" 2569 ").unwrap(), Some(2569));
    for bad in ["2026", "25x9", "-1", "99999999999"] {
        match parse_fiscal_year(bad) {
            Err(AppError::Validation(f)) => assert_eq!(f[0].field, "fiscal_year"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(
        fiscal_year_days(2569).map(|(first, _)| first),
        chrono::NaiveDate::from_ymd_opt(2025, 10, 1)
    );
}

#[tokio::test]
async fn a_download_ends_once_and_an_unfinished_one_ends_with_an_error() {
    use futures_util::StreamExt as _;
    let (to, chunks) = tokio::sync::mpsc::channel(4);
    to.send(Ok(Some(b"a".to_vec()))).await.unwrap();
    to.send(Ok(None)).await.unwrap();
    let download = CsvDownload {
        name: String::new(),
        chunks,
    };
    let mut stream = Box::pin(download.into_stream());
    assert_eq!(stream.next().await.unwrap().unwrap(), b"a");
    assert!(stream.next().await.is_none());
    // Polled again after its end (a response body can be): still ended, no panic.
    assert!(stream.next().await.is_none());

    let (to, chunks) = tokio::sync::mpsc::channel(4);
    to.send(Ok(Some(b"b".to_vec()))).await.unwrap();
    drop(to);
    let download = CsvDownload {
        name: String::new(),
        chunks,
    };
    let mut stream = Box::pin(download.into_stream());
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_err());
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
}

#[test]
fn files_are_named_by_their_url() {
    for e in Export::ALL {
        assert_eq!(Export::from_file(e.file()), Some(e));
    }
    assert_eq!(Export::from_file("passwords.csv"), None);
}

#[tokio::test]
async fn a_download_beyond_the_limit_waits_its_turn_then_is_told_to_come_back() {
    let downloads = tokio::sync::Semaphore::new(DOWNLOADS_AT_ONCE);
    let wait = std::time::Duration::from_millis(150);
    let first = take_turn(&downloads, wait).await.unwrap();
    let _second = take_turn(&downloads, wait).await.unwrap();
    let started = std::time::Instant::now();
    match take_turn(&downloads, wait).await {
        Err(e @ AppError::DownloadsBusy { .. }) => {
            assert_eq!((e.status(), e.retry_after_secs()), (503, Some(10)));
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert!(started.elapsed() >= wait);
    // A turn given back while one waits is that one's, without waiting out the limit.
    let started = std::time::Instant::now();
    let (waited, ()) = tokio::join!(
        take_turn(&downloads, std::time::Duration::from_secs(5)),
        async {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            drop(first);
        }
    );
    assert!(waited.is_ok());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[tokio::test]
async fn a_reader_that_stops_reading_or_outlasts_the_download_frees_the_writer() {
    // The one downloading reads nothing: with the channel full, the writer gives up by the
    // download's deadline instead of waiting for the reader.
    let (to, _chunks) = tokio::sync::mpsc::channel(1);
    let mut sink = Sink {
        out: Sink::writer(),
        to,
        until: tokio::time::Instant::now() + std::time::Duration::from_millis(200),
    };
    assert!(sink.put(Ok(Some(b"a".to_vec()))).await.is_ok());
    let started = std::time::Instant::now();
    assert!(matches!(
        sink.put(Ok(Some(b"b".to_vec()))).await,
        Err(Stop::Gone)
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Gone for good: the reader went away.
    let (to, chunks) = tokio::sync::mpsc::channel(1);
    drop(chunks);
    let mut sink = Sink {
        out: Sink::writer(),
        to,
        until: tokio::time::Instant::now() + WHOLE_WAIT,
    };
    assert!(matches!(sink.put(Ok(None)).await, Err(Stop::Gone)));
}
