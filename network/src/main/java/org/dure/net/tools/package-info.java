/** Diagnostics entry point ({@code dure net …}). */
package org.dure.net.tools;
