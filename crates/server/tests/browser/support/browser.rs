//! One headless Chromium per test, driven over WebDriver by its own chromedriver, with the
//! page helpers the flows use. Every helper waits (up to [`WAIT`]) for what it needs instead
//! of sleeping, and a timeout says what was awaited, where, and what the page showed.

use super::process::Guarded;
use super::server::{Server, server, work_dir};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use memberdesk_demo::DemoIdentity;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Debian's Chromium and its WebDriver, as `scripts/ensure-browser` installs them.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The longest any single wait may take: generous for a machine busy with builds.
pub const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);

pub struct Browser {
    client: Client,
    pub server: &'static Server,
    _driver: Guarded,
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium (its own profile, so no cookies are
    /// shared with other tests) on the shared server.
    pub async fn start() -> Browser {
        Browser::start_on(server()).await
    }

    /// As [`Browser::start`], on another server.
    pub async fn start_on(server: &'static Server) -> Browser {
        for needed in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(needed).exists(),
                "{needed} is missing: the browser tests need Debian's chromium and chromium-driver. \
                 Run scripts/ensure-browser (scripts/test does) to install them."
            );
        }
        static BROWSERS: AtomicUsize = AtomicUsize::new(0);
        let n = BROWSERS.fetch_add(1, Ordering::Relaxed);
        let port = free_port();
        // Chromium leaves its singleton socket directory in TMPDIR when it is stopped; ours is
        // emptied by the next run.
        let tmp = work_dir().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let tmp = tmp.display().to_string();
        let mut driver = Guarded::spawn(CHROMEDRIVER, &[&format!("--port={port}")], &[("TMPDIR", &tmp)]);
        let log = work_dir().join(format!("chromedriver-{n}.log"));
        let stderr = driver.stderr();
        let log_path = log.clone();
        std::thread::spawn(move || {
            let mut file = std::fs::File::create(log_path).unwrap();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = writeln!(file, "{line}");
            }
        });
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(!driver.exited(), "chromedriver did not start; see {}", log.display());
            assert!(started.elapsed() < WAIT, "chromedriver did not listen on {port}; see {}", log.display());
            tokio::time::sleep(POLL).await;
        }
        let profile = work_dir().join(format!("profile-{n}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                    "--disable-dev-shm-usage", "--no-first-run", "--lang=en-GB",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("Chromium did not start under chromedriver ({e}); see {}", log.display()));
        Browser { client, server, _driver: driver }
    }

    /// A browser signed in as `who` through the demo sign-in page.
    pub async fn signed_in(who: &DemoIdentity) -> Browser {
        let browser = Browser::start().await;
        browser.sign_in(who).await;
        browser
    }

    /// Opens a path of the desk (`/ui/...`).
    pub async fn open(&self, path: &str) {
        self.client.goto(&self.server.url(path)).await.unwrap();
    }

    /// Signs in on the demo sign-in page by choosing the identity's button, and waits for the
    /// signed-in page (its sign-out form).
    pub async fn sign_in(&self, who: &DemoIdentity) {
        self.open("/ui/login").await;
        self.click(&format!("form#demo-login button[name=identity][value=\"{}\"]", who.user_id)).await;
        self.find("form#logout").await;
    }

    /// The first element matching `css`, once there is one.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(WAIT).every(POLL).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => self.fail(&format!("no element {css} ({e})")).await,
        }
    }

    /// Every element matching `css` now (none is fine).
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    pub async fn is_present(&self, css: &str) -> bool {
        !self.all(css).await.is_empty()
    }

    /// Clicks the first element matching `css` once it is shown and enabled (a script may
    /// reveal it, or be busy with it, a moment after the page loads).
    pub async fn click(&self, css: &str) {
        let ready = format!(
            "(() => {{ const e = document.querySelector({css}); return !!e && !e.disabled && e.getClientRects().length > 0; }})()",
            css = json!(css)
        );
        self.wait_until(&ready, &format!("{css} shown and enabled")).await;
        let element = self.find(css).await;
        if let Err(e) = element.click().await {
            self.fail(&format!("cannot click {css} ({e})")).await
        }
    }

    /// Clicks `css`, then answers "OK" to the confirmation the page asks (destructive forms
    /// ask first), checking the question mentions `about`.
    pub async fn click_and_confirm(&self, css: &str, about: &str) {
        self.click(css).await;
        let started = Instant::now();
        let question = loop {
            match self.client.get_alert_text().await {
                Ok(text) => break text,
                Err(_) if started.elapsed() < WAIT => tokio::time::sleep(POLL).await,
                Err(e) => self.fail(&format!("no confirmation after clicking {css} ({e})")).await,
            }
        };
        assert!(question.contains(about), "the confirmation names {about:?}: {question}");
        self.client.accept_alert().await.unwrap();
    }

    /// Replaces the text of an input or textarea, typing as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element.clear().await.unwrap();
        element.send_keys(text).await.unwrap();
    }

    /// Chooses the option of a `<select>` whose value or visible text is `wanted` (ignoring
    /// case; failing that, whose text contains it, as in "Tom Okafor (3 open)"), by clicking it.
    pub async fn choose(&self, select_css: &str, wanted: &str) {
        let select = self.find(select_css).await;
        let index = self
            .client
            .execute(
                "const [select, wanted] = arguments; const w = wanted.trim().toLowerCase();
                 const text = o => o.textContent.trim().toLowerCase();
                 const exact = [...select.options].findIndex(o => o.value.toLowerCase() === w || text(o) === w);
                 return exact >= 0 ? exact : [...select.options].findIndex(o => text(o).includes(w));",
                vec![serde_json::to_value(&select).unwrap(), json!(wanted)],
            )
            .await
            .unwrap();
        match index.as_i64().and_then(|i| usize::try_from(i).ok()) {
            Some(i) => select.select_by_index(i).await.unwrap(),
            None => self.fail(&format!("{select_css} has no option {wanted:?}")).await,
        }
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css).await.prop("value").await.unwrap().unwrap_or_default()
    }

    /// Runs a script in the page (`arguments` as in WebDriver) and answers its result.
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Runs an asynchronous script that ends by calling `done(result)`, and answers the result.
    pub async fn run_async(&self, script: &str, args: Vec<Value>) -> Value {
        let script = format!("const done = arguments[arguments.length - 1]; {script}");
        self.client.execute_async(&script, args).await.unwrap()
    }

    /// Waits until the JavaScript expression is truthy in the page (it is re-evaluated after
    /// every navigation, so it may be awaited across a form submission).
    pub async fn wait_until(&self, expression: &str, what: &str) {
        let script = format!("try {{ return !!({expression}); }} catch (e) {{ return false; }}");
        let started = Instant::now();
        loop {
            if let Ok(Value::Bool(true)) = self.client.execute(&script, vec![]).await {
                return;
            }
            if started.elapsed() > WAIT {
                self.fail(&format!("waited {WAIT:?} for {what} ({expression})")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until some element matching `css` shows `text` (ignoring case).
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let expression = format!(
            "[...document.querySelectorAll({css})].some(e => e.innerText.toLowerCase().includes({text}))",
            css = json!(css),
            text = json!(text.to_lowercase())
        );
        self.wait_until(&expression, &format!("{text:?} in {css}")).await;
    }

    /// The CSS selector of the table row (`tr[data-ticket-id]`) that shows `text`, once there
    /// is one.
    pub async fn row_showing(&self, text: &str) -> String {
        let find = "[...document.querySelectorAll('tr[data-ticket-id]')].find(r => r.innerText.includes(arguments[0]))";
        self.wait_until(&find.replace("arguments[0]", &json!(text).to_string()), &format!("a row showing {text:?}"))
            .await;
        let id = self.run(&format!("return {find}.dataset.ticketId"), vec![json!(text)]).await;
        format!("tr[data-ticket-id=\"{}\"]", id.as_str().unwrap_or_default())
    }

    /// Saves a PNG of the viewport (see [`super::screenshots`]).
    pub async fn screenshot(&self, name: &str) {
        // The top of the page, whatever a form's anchor scrolled to.
        self.run("window.scrollTo(0, 0)", vec![]).await;
        let png = self.client.screenshot().await.unwrap();
        super::screenshots::save(name, &png);
    }

    /// Saves a PNG of one element (a panel, say).
    pub async fn screenshot_of(&self, css: &str, name: &str) {
        let png = self.find(css).await.screenshot().await.unwrap();
        super::screenshots::save(name, &png);
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Fails the test with what was awaited, where the browser is and what its page says.
    pub async fn fail(&self, what: &str) -> ! {
        let url = self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let body = self
            .client
            .execute("return document.body ? document.body.innerText : document.documentElement.outerHTML", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let excerpt: String = body.chars().take(1500).collect();
        panic!("{what}\n  at {url}\n  server log: {}\n  page text:\n{excerpt}", self.server.log.display());
    }

    /// Ends the WebDriver session cleanly (Chromium removes its profile lock and exits).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
