package org.maildeck.assembly.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the web tests: Debian's chromium, headless, driven by its chromedriver
 * (packages chromium and chromium-driver, installed by scripts/test). Its screenshots go to the
 * folder the system property {@code maildeck.screenshots} names (e2e/pom.xml: target/screenshots;
 * {@code -Dmaildeck.screenshots=$PWD/docs/screenshots} remakes the README's pictures).
 */
final class Browser implements AutoCloseable {

    private final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    static Browser open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // a click that submits a form returns before the next page is there: an element of that page is waited for
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        return new Browser(driver);
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

    @Override
    public void close() {
        driver.quit();
    }
}
