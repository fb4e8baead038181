package org.maildeck.assembly.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the web tests: Debian's chromium, headless, driven by its chromedriver
 * (packages chromium and chromium-driver, installed by scripts/test), one for each test class
 * ({@code @RegisterExtension static final Browser browser = new Browser();}). Each test starts
 * as in a browser just opened: after a test, the cookies, the cache and the storage of the
 * origins its windows showed are cleared and its window is replaced by a new one (its history
 * and session storage go with it). A chromium and its driver cost ~1.7 s of CPU to start, which a
 * browser per test paid for every test. Its screenshots go to the folder the system property {@code maildeck.screenshots} names
 * (e2e/pom.xml: target/screenshots; {@code -Dmaildeck.screenshots=$PWD/docs/screenshots} remakes the README's pictures).
 */
final class Browser implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        driver = open();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            clearWhatTheTestLeft();
        } catch (WebDriverException brokenBrowser) {
            // a test that left it unusable (crashed, hung): the next one gets a new one
            driver.quit();
            driver = open();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    /**
     * What a new browser would not have: cookies and cache (all origins), the storage of each
     * origin a window shows (local storage, IndexedDB, service workers...), and the windows
     * themselves (history, session storage): one new blank tab takes their place.
     */
    private void clearWhatTheTestLeft() {
        Set<String> origins = new HashSet<>();
        for (String window : driver.getWindowHandles()) {
            origin(driver.switchTo().window(window).getCurrentUrl()).ifPresent(origins::add);
        }
        for (String origin : origins) {
            driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", origin, "storageTypes", "all"));
        }
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        Set<String> used = driver.getWindowHandles();
        driver.switchTo().newWindow(WindowType.TAB);
        String fresh = driver.getWindowHandle();
        for (String window : used) {
            driver.switchTo().window(window).close();
        }
        driver.switchTo().window(fresh);
    }

    /** The origin ({@code scheme://host:port}) of a web page's URL; none for about:blank, data: etc. */
    private static Optional<String> origin(String url) {
        URI uri = URI.create(url);
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            return Optional.empty();
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return Optional.of(uri.getScheme() + "://" + uri.getHost() + ":" + port);
    }

    private static ChromeDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // a click that submits a form returns before the next page is there: an element of that page is waited for
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        return driver;
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves what the browser shows as {@code NAME.png} in the screenshot folder. */
    void screenshot(String name) throws IOException {
        Path folder = Path.of(System.getProperty("maildeck.screenshots", "target/screenshots"));
        Files.createDirectories(folder);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, folder.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
