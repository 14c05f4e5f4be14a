package org.dure.ui.i18n;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import jakarta.servlet.http.Cookie;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which language a browser gets. A language chosen in the header (cookie {@value #COOKIE}, kept a
 * year, and the session's locale) wins; otherwise the browser's: Vaadin gives the session the best
 * match of the request's {@code Accept-Language} among {@link DureI18N#LOCALES} ({@code ko}, {@code
 * ko-KR} → Korean), anything else, and a request without {@code Accept-Language}, gets English. The
 * page's {@code <html lang>} follows, so the browser picks fonts for the language.
 */
@Component
public class UiLanguage implements VaadinServiceInitListener {
  private static final long serialVersionUID = 1L;

  /** The cookie holding the chosen language's tag ({@code en}, {@code ko}). */
  public static final String COOKIE = "dure-lang";

  /** How long the choice is kept: a year. */
  static final int COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addUIInitListener(e -> apply(e.getUI(), VaadinRequest.getCurrent()));
    event.addIndexHtmlRequestListener(
        response -> {
          VaadinRequest request = response.getVaadinRequest();
          Locale l =
              resolve(
                  cookie(request),
                  asksForLanguage(request)
                      ? Optional.ofNullable(request.getLocale())
                      : Optional.empty());
          response.getDocument().getElementsByTag("html").attr("lang", l.getLanguage());
        });
  }

  /** Sets a new UI's locale: the chosen language if any, else the session's (the browser's). */
  static void apply(UI ui, VaadinRequest request) {
    Optional<String> chosen = request == null ? Optional.empty() : cookie(request);
    Locale session = ui.getSession() == null ? null : ui.getSession().getLocale();
    // Without Accept-Language the servlet container reports its own default locale, not the
    // user's: such a client gets English.
    boolean browserAsks = request == null || asksForLanguage(request);
    Locale locale = resolve(chosen, Optional.ofNullable(browserAsks ? session : null));
    ui.setLocale(locale);
  }

  /**
   * The language to show: the chosen one if it is supported, else the closest supported to {@code
   * browser}, else English.
   */
  public static Locale resolve(Optional<String> chosen, Optional<Locale> browser) {
    Optional<Locale> c = chosen.flatMap(UiLanguage::parse);
    return c.orElseGet(() -> DureI18N.supported(browser.orElse(null)));
  }

  /** A supported language by its tag ({@code ko}, {@code ko-KR}, {@code en}); empty if none. */
  public static Optional<Locale> parse(String tag) {
    if (tag == null || tag.isBlank() || tag.length() > 35) {
      return Optional.empty();
    }
    Locale l = Locale.forLanguageTag(tag.strip());
    return DureI18N.LOCALES.stream()
        .filter(s -> s.getLanguage().equals(l.getLanguage()))
        .findFirst();
  }

  private static boolean asksForLanguage(VaadinRequest request) {
    String header = request.getHeader("Accept-Language");
    return header != null && !header.isBlank();
  }

  private static Optional<String> cookie(VaadinRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie c : cookies) {
      if (COOKIE.equals(c.getName())) {
        return Optional.ofNullable(c.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Switches {@code ui}'s session to {@code locale}, remembers it in the cookie and builds the page
   * again, layout included, in the new language (no reload: what is typed elsewhere is kept).
   */
  public static void choose(UI ui, Locale locale) {
    Locale l = DureI18N.supported(locale);
    VaadinSession session = ui.getSession();
    if (session != null) {
      session.setLocale(l);
    }
    ui.setLocale(l);
    ui.getPage()
        .executeJs(
            "document.cookie = $0; document.documentElement.lang = $1;",
            COOKIE
                + "="
                + l.getLanguage()
                + "; path=/; max-age="
                + COOKIE_MAX_AGE_SECONDS
                + "; SameSite=Lax",
            l.getLanguage());
    ui.refreshCurrentRoute(true);
  }
}
