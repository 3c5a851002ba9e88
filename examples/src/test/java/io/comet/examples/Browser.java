package io.comet.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
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
 * separate "device"), driven through Debian's {@code chromedriver}. Both executables are given
 * explicitly, so Selenium Manager never looks for (or downloads) anything.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("comet.examples.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("comet.examples.chromedriver", "/usr/bin/chromedriver"));
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Path SCREENSHOTS = Path.of(System.getProperty("comet.examples.screenshots", "target/screenshots"));

    /** Replaces the page's WebSocket before any page script runs: comet.js must fall back to long-poll. */
    static final String BLOCK_WEBSOCKET = "try { delete window.WebSocket; } catch (e) {}\n"
            + "try { Object.defineProperty(window, 'WebSocket', { value: undefined, configurable: false, writable: false }); }"
            + " catch (e) { window.WebSocket = undefined; }";

    /** Selenium warns on every start that it has no CDP classes for this Chromium: we use none. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    final String name;
    final ChromeDriver driver;
    private final Path profile;

    private Browser(String name, ChromeDriver driver, Path profile) {
        this.name = name;
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Fails (under CI) or skips (elsewhere) when Debian's chromium / chromium-driver are absent;
     * {@code .ci/test-env.sh} installs them.
     */
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) {
            return;
        }
        String why = "Chromium end-to-end tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver; .ci/test-env.sh does it)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    /** Starts a browser; with {@code blockWebSocket} every page it opens has no {@code window.WebSocket}. */
    static Browser open(String name, boolean blockWebSocket) {
        return open(name, blockWebSocket, new String[0]);
    }

    /** The same with extra Chromium arguments (e.g. {@code --ignore-certificate-errors-spki-list=…} for a test CA). */
    static Browser open(String name, boolean blockWebSocket, String... extraArguments) {
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
        return new Browser(name, driver, profile);
    }

    Browser get(String url) {
        driver.get(url);
        return this;
    }

    <T> T until(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, TIMEOUT).until(condition);
    }

    /** Waits until {@code css} matches at least one element and returns the first. */
    WebElement await(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Waits until an element matching {@code css} has exactly {@code text} (trimmed). */
    WebElement awaitText(String css, String text) {
        return until(d -> {
            for (WebElement e : d.findElements(By.cssSelector(css))) {
                if (e.getText().trim().equals(text)) {
                    return e;
                }
            }
            return null;
        });
    }

    /** Waits until nothing matches {@code css}. */
    void awaitGone(String css) {
        until(d -> d.findElements(By.cssSelector(css)).isEmpty());
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    void type(String css, String text) {
        WebElement e = await(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        await(css).click();
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/<file>.png}. */
    Path screenshot(String file) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(file + ".png");
            Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            WebRoot.deleteQuietly(profile);
        }
    }
}
