package org.dure.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that drives the real running app in Chromium. Test methods may take a {@link
 * com.microsoft.playwright.Page} (fresh browser context per test, screenshot saved after the test)
 * and a {@link BrowserTestSupport.Dure} (URLs, data directory, named screenshots). See {@link
 * BrowserTestSupport}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@ExtendWith(BrowserTestSupport.class)
public @interface BrowserTest {}
