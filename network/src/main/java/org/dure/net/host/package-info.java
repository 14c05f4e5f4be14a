/**
 * The public API: {@link org.dure.net.host.Host}, {@link org.dure.net.host.Connection}, {@link
 * org.dure.net.host.Stream}, peer store, connection limits and the connection gater hook.
 */
package org.dure.net.host;
