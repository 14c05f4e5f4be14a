/**
 * The page editor shared live: {@link org.dure.ui.coedit.LiveEditor}, a CodeMirror 6 editor in the
 * browser ({@code src/main/frontend/dure-live-editor.js}) bound to the page's Automerge text
 * through {@link org.dure.ui.coedit.CoeditEngine}, and who else has the page open. Self-contained:
 * the wiki's edit view only places it.
 */
package org.dure.ui.coedit;
