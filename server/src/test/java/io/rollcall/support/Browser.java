package io.rollcall.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by its ChromeDriver. Nothing is downloaded: both come from the
 * {@code chromium} and {@code chromium-driver} packages that {@code ./rollcall test} installs.
 */
public final class Browser {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private Browser() {
	}

	public static ChromeDriver start() throws Exception {
		// A missing browser fails the test, everywhere: a skipped browser test would pass a run that tested nothing.
		// './rollcall test' installs both before the tests start.
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver at " + CHROMIUM
					+ " and " + CHROMEDRIVER
					+ ": run 'apt-get install chromium chromium-driver' (./rollcall test does it)");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// The flags that keep Chromium from reaching for the network it does not have here.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-default-apps", "--no-first-run", "--disable-extensions", "--window-size=1280,900",
				"--user-data-dir=" + TempDirs.create("rollcall-chromium-"));
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		return driver;
	}

}
