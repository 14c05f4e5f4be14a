package org.dure.ui.base;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import jakarta.servlet.http.Cookie;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Light or dark: by default the browser's (the system setting, {@code prefers-color-scheme}); a
 * choice made in Settings (cookie {@value #COOKIE}, kept a year) wins. Lumo follows the page's
 * color scheme.
 */
@Component
public class Appearance implements VaadinServiceInitListener {
  private static final long serialVersionUID = 1L;

  /** The cookie holding the choice: {@code system}, {@code light} or {@code dark}. */
  public static final String COOKIE = "dure-scheme";

  static final int COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

  /** What the user may choose. */
  public enum Choice {
    SYSTEM(ColorScheme.Value.LIGHT_DARK),
    LIGHT(ColorScheme.Value.LIGHT),
    DARK(ColorScheme.Value.DARK);

    private final ColorScheme.Value scheme;

    Choice(ColorScheme.Value scheme) {
      this.scheme = scheme;
    }

    /** The page's color scheme for this choice. */
    public ColorScheme.Value scheme() {
      return scheme;
    }

    /** Its name in the cookie ({@code system}, {@code light}, {@code dark}). */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code key}; the system's for anything else (a stale or forged cookie). */
    public static Choice of(String key) {
      for (Choice c : values()) {
        if (c.key().equals(key)) {
          return c;
        }
      }
      return SYSTEM;
    }
  }

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event
        .getSource()
        .addUIInitListener(
            e -> e.getUI().getPage().setColorScheme(current(VaadinRequest.getCurrent()).scheme()));
  }

  /** The choice a request's cookie holds ({@link Choice#SYSTEM} without one). */
  public static Choice current(VaadinRequest request) {
    Cookie[] cookies = request == null ? null : request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (COOKIE.equals(c.getName())) {
          return Choice.of(c.getValue());
        }
      }
    }
    return Choice.SYSTEM;
  }

  /** Shows {@code ui} in {@code choice} at once and remembers it in the cookie. */
  public static void choose(UI ui, Choice choice) {
    ui.getPage().setColorScheme(choice.scheme());
    ui.getPage()
        .executeJs(
            "document.cookie = $0;",
            COOKIE
                + "="
                + choice.key()
                + "; path=/; max-age="
                + COOKIE_MAX_AGE_SECONDS
                + "; SameSite=Lax");
  }
}
