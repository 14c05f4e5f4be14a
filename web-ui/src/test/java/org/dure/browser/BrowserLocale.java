package org.dure.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The language a {@link BrowserTest} method's browser asks for (a BCP 47 tag such as {@code
 * ko-KR}): its {@code Accept-Language} and {@code navigator.language}. Without it, {@code en-US}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface BrowserLocale {
  /** The language tag. */
  String value();
}
