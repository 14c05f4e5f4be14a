/**
 * Settings for limits, caps and consent, and the page on what this computer does for others. The
 * views read and change the moderation module's {@link org.dure.moderation.Resources} through the
 * node; the policy itself lives there.
 */
package org.dure.ui.limits;
