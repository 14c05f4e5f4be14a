/** Markdown to safe HTML, with wiki links resolved to pages. */
package org.dure.ui.render;
