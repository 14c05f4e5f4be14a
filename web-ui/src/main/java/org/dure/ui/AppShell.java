package org.dure.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * Page-level settings of the whole application.
 *
 * <p>Vaadin 25 applies no theme by default: Lumo (and its utility classes, see {@code LumoUtility})
 * are loaded here as style sheets, followed by the application's own {@code styles.css} (in {@code
 * src/main/resources/META-INF/resources}). {@link Push} is on because sync updates pages from the
 * server; it is part of the committed production bundle. Light or dark follows the system setting
 * unless the user chose one in Settings ({@link org.dure.ui.base.Appearance}).
 */
@Push
@ColorScheme(ColorScheme.Value.LIGHT_DARK)
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet(Lumo.UTILITY_STYLESHEET)
@StyleSheet("styles.css")
public class AppShell implements AppShellConfigurator {
  private static final long serialVersionUID = 1L;
}
