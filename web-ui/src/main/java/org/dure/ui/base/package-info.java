/**
 * Shared pieces of the views, which every feature package may use and which use no feature package
 * (only {@code org.dure.ui.i18n} and the store's API): {@link org.dure.ui.base.Links} (the pages'
 * addresses), {@link org.dure.ui.base.Notices} (problem panels and notifications), {@link
 * org.dure.ui.base.Formats} (times and authors) and {@link org.dure.ui.base.LiveRefresh} (updates
 * with server push).
 */
package org.dure.ui.base;
