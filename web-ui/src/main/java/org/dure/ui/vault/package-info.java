/** Export of a space as a Markdown vault or a web site (zip downloads), and import of a vault. */
package org.dure.ui.vault;
