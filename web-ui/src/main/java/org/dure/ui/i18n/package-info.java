/**
 * The UI's languages: the texts ({@link org.dure.ui.i18n.DureI18N}), which language a browser gets
 * ({@link org.dure.ui.i18n.UiLanguage}) and dates in the user's locale ({@link
 * org.dure.ui.i18n.Dates}).
 */
package org.dure.ui.i18n;
