package io.comet.test.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium with its own fresh profile (so its own cookies and localStorage: a
 * separate "device"), driven through Debian's {@code chromedriver}, for end-to-end tests with the
 * real browser clients ({@code comet.js}, the original {@code CometServerApi.js}). Both executables
 * are given explicitly, so Selenium Manager never looks for (or downloads) anything.
 *
 * <p>Needs {@code org.seleniumhq.selenium:selenium-chrome-driver} and {@code selenium-support} on
 * the test classpath (optional dependencies of this module). Call {@link #requireChromium()} first:
 * a machine without Chromium skips (or, under CI, fails) the test.
 *
 * <pre>{@code
 * ChromiumBrowser.requireChromium();
 * try (ChromiumBrowser b = ChromiumBrowser.open("alice", false)) {
 *     b.get(pageUrl).awaitText("#log li", "message: hello");
 * }
 * }</pre>
 */
public final class ChromiumBrowser implements AutoCloseable {

    /** The Chromium binary (system property {@code comet.test.chromium}, default {@code /usr/bin/chromium}). */
    public static final Path CHROMIUM = Path.of(System.getProperty("comet.test.chromium", "/usr/bin/chromium"));
    /** The driver (system property {@code comet.test.chromedriver}, default {@code /usr/bin/chromedriver}). */
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("comet.test.chromedriver", "/usr/bin/chromedriver"));
    /** How long page loads, scripts and the {@code await…} methods wait. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Where {@link #screenshot} writes (system property {@code comet.test.screenshots}). */
    public static final Path SCREENSHOTS = Path.of(System.getProperty("comet.test.screenshots", "target/screenshots"));

    /** Replaces the page's WebSocket before any page script runs: comet.js must fall back to long-poll. */
    public static final String BLOCK_WEBSOCKET = "try { delete window.WebSocket; } catch (e) {}\n"
            + "try { Object.defineProperty(window, 'WebSocket', { value: undefined, configurable: false, writable: false }); }"
            + " catch (e) { window.WebSocket = undefined; }";

    /** Selenium warns on every start that it has no CDP classes for this Chromium: we use none. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final String name;
    private final ChromeDriver driver;
    private final Path profile;

    private ChromiumBrowser(String name, ChromeDriver driver, Path profile) {
        this.name = name;
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Fails (under CI) or skips (elsewhere) when Debian's chromium / chromium-driver are absent;
     * {@code .ci/test-env.sh} installs them.
     */
    public static void requireChromium() {
        Prerequisites.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium end-to-end tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/test-env.sh does it)");
    }

    /**
     * Starts a browser; with {@code blockWebSocket} every page it opens has no {@code window.WebSocket}.
     *
     * @param name           a name for the browser (its profile folder, messages)
     * @param blockWebSocket whether pages get no {@code window.WebSocket} (the clients fall back to long-poll)
     * @return the started browser
     */
    public static ChromiumBrowser open(String name, boolean blockWebSocket) {
        return open(name, blockWebSocket, new String[0]);
    }

    /**
     * The same with extra Chromium arguments (e.g. {@code --ignore-certificate-errors-spki-list=…}
     * for a test CA).
     *
     * @param name           a name for the browser (its profile folder, messages)
     * @param blockWebSocket whether pages get no {@code window.WebSocket}
     * @param extraArguments further command-line arguments of Chromium
     * @return the started browser
     */
    public static ChromiumBrowser open(String name, boolean blockWebSocket, String... extraArguments) {
        System.setProperty("SE_OFFLINE", "true");
        Path profile;
        try {
            profile = Files.createTempDirectory("comet-e2e-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--lang=en-US",
                "--window-size=820,760", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT).scriptTimeout(TIMEOUT);
        if (blockWebSocket) {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", BLOCK_WEBSOCKET));
        }
        return new ChromiumBrowser(name, driver, profile);
    }

    /** {@return the name given to {@link #open}} */
    public String name() {
        return name;
    }

    /** {@return the Selenium driver, for what the helpers do not cover} */
    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Opens a page and waits for it to load.
     *
     * @param url the page
     * @return this browser
     */
    public ChromiumBrowser get(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Waits up to {@link #TIMEOUT} for a condition.
     *
     * @param condition the condition (non-null, non-false result ends the wait)
     * @param <T>       the condition's result type
     * @return the condition's result
     */
    public <T> T until(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, TIMEOUT).until(condition);
    }

    /**
     * Waits until {@code css} matches at least one element and returns the first.
     *
     * @param css a CSS selector
     * @return the first matching element
     */
    public WebElement await(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /**
     * Waits until an element matching {@code css} has exactly {@code text} (trimmed).
     *
     * @param css  a CSS selector
     * @param text the text
     * @return the element
     */
    public WebElement awaitText(String css, String text) {
        return until(d -> {
            for (WebElement e : d.findElements(By.cssSelector(css))) {
                if (e.getText().trim().equals(text)) {
                    return e;
                }
            }
            return null;
        });
    }

    /**
     * Waits until nothing matches {@code css}.
     *
     * @param css a CSS selector
     */
    public void awaitGone(String css) {
        until(d -> d.findElements(By.cssSelector(css)).isEmpty());
    }

    /**
     * Finds without waiting.
     *
     * @param css a CSS selector
     * @return every matching element
     */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Runs JavaScript in the page.
     *
     * @param script the script's body ({@code return …} to return a value)
     * @param args   its {@code arguments}
     * @return what it returned
     */
    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /**
     * Clears an input and types into it.
     *
     * @param css  a CSS selector of the input
     * @param text the text
     */
    public void type(String css, String text) {
        WebElement e = await(css);
        e.clear();
        e.sendKeys(text);
    }

    /**
     * Clicks the first element matching {@code css}, once there is one.
     *
     * @param css a CSS selector
     */
    public void click(String css) {
        await(css).click();
    }

    /**
     * Saves a PNG of the viewport as {@code target/screenshots/<file>.png}.
     *
     * @param file the file name without {@code .png}
     * @return the written file
     */
    public Path screenshot(String file) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(file + ".png");
            Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
