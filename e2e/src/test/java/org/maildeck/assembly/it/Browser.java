package org.maildeck.assembly.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the web tests: Debian's chromium, headless, driven by its chromedriver
 * (packages chromium and chromium-driver, installed by scripts/test), a new one for each test
 * ({@code @RegisterExtension final Browser browser = new Browser();}). Its screenshots go to the
 * folder the system property {@code maildeck.screenshots} names (e2e/pom.xml: target/screenshots;
 * {@code -Dmaildeck.screenshots=$PWD/docs/screenshots} remakes the README's pictures).
 */
final class Browser implements BeforeEachCallback, AfterEachCallback {

    private WebDriver driver;

    @Override
    public void beforeEach(ExtensionContext context) {
        driver = open();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    private static WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        WebDriver driver = new ChromeDriver(service, options);
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
