/**
 * The shell of the web UI: {@link org.dure.ui.AppShell} (theme, push), {@link
 * org.dure.ui.MainLayout} (the {@code @Layout} of every route: header, drawer and the navigation
 * built from the routes' {@code @Menu}), the home page, search, the not-found page and the
 * component catalogue. The features live in the sub-packages ({@code wiki}, {@code social}, {@code
 * feed}, {@code peers}, {@code moderation}, {@code limits}), which share {@code base}, {@code i18n}
 * and {@code render}; they never depend on this package, and no two depend on each other both ways
 * (ArchitectureTest).
 */
package org.dure.ui;
