//! Security headers on real responses: pages carry a Content-Security-Policy whose nonce is the
//! one on every inline script Leptos writes, nothing may frame the site, and HSTS is sent only
//! when the site is served over HTTPS (`PHAPA_SECURE_COOKIES=1`). Pages served from the page
//! cache carry script hashes instead of a nonce: see `page_cache.rs`.

use crate::common;

use server::Config;

fn csp(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-security-policy")
        .expect("a Content-Security-Policy")
        .to_str()
        .unwrap()
        .to_owned()
}

http_test!(pages_allow_only_their_own_scripts_and_no_framing, |app| {
    // A page the page cache never stores, so each answer is rendered with its own nonce.
    let response = app.get("/login").await;
    assert_eq!(response.status(), 200);
    let policy = csp(&response);
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page's policy names a nonce")
        .to_owned();
    let html = response.text().await.unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page hydrates with inline scripts");
    for script in scripts {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "an inline script without this response's nonce: <script{tag}>"
        );
    }
    // Each response has its own nonce.
    let again = csp(&app.get("/login").await);
    assert!(!again.contains(&nonce));

    let api = app.post_form("/api/campaigns/list", "").await;
    let policy = csp(&api);
    assert!(policy.contains("frame-ancestors 'none'") && !policy.contains("nonce"));
    assert!(csp(&app.get("/healthz").await).contains("frame-ancestors 'none'"));
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_only_over_https() {
    let place = common::TestDb::sqlite();
    let config = Config {
        secure_cookies: true,
        ..common::test_config(&place.url)
    };
    let (router, db) = server::build(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::serve(listener, router));
    let response = reqwest::get(format!("{base}/campaigns/1")).await.unwrap();
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
    db.close().await;
}

/// Files and pages requested at the same moment, as a browser does while one page's files are
/// still loading and the next page renders. Leptos's own file handler gave each file request an
/// owner that inherited whatever reactive owner its worker thread held and then took that
/// owner's response headers, so a page rendering at the same moment could go out without its
/// script policy (and its scripts were blocked). Files are now served before Leptos sees them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_keeps_its_policy_while_files_load_beside_it() {
    let place = common::TestDb::sqlite();
    let site = std::env::temp_dir().join(format!("phapa-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/phapa.js"), "export default 1;").unwrap();
    let config = Config {
        site_root: site.display().to_string(),
        ..common::test_config(&place.url)
    };
    let app = common::TestApp::spawn_with(&config).await;
    let app = std::sync::Arc::new(app);
    let cookie = common::sign_in(&app, "demo-finance", app::server::demo::DEMO_PASSWORD).await;
    let mut missing = 0;
    for _ in 0..40 {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (app, cookie) = (app.clone(), cookie.clone());
            tasks.spawn(async move {
                let path = if i % 2 == 0 {
                    "/finance"
                } else {
                    "/pkg/phapa.js"
                };
                let response = app
                    .client
                    .get(format!("{}{path}", app.base))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{path}");
                let policy = csp(&response);
                (path, policy.contains("'nonce-"))
            });
        }
        while let Some(result) = tasks.join_next().await {
            let (path, has_nonce) = result.unwrap();
            if path == "/finance" && !has_nonce {
                missing += 1;
            }
        }
    }
    assert_eq!(missing, 0, "pages that went out without their nonce policy");
    let _ = std::fs::remove_dir_all(&site);
}
