/**
 * The local JSON API of a running Dure (on 127.0.0.1, token-protected) and its client, which the
 * command line uses: {@link org.dure.api.DureApi} is what can be asked, {@link
 * org.dure.api.LocalDure} answers it from the store and the peer, {@link
 * org.dure.api.LocalApiServer} serves it over HTTP and {@link org.dure.api.ApiClient} calls it.
 * {@link org.dure.api.NodeInfo} ({@code node.json}) tells the command line where a running Dure is.
 * No domain logic here: only translation between requests and the store and peer.
 */
package org.dure.api;
