/**
 * Policies, plugged into the hooks of the network ({@code ConnectionGater}, the sync access policy)
 * and the store: blocked peers are refused, spaces are shared with their members only.
 */
package org.dure.moderation;
