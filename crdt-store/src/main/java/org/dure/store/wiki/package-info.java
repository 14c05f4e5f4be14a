/**
 * The wiki on the document kernel ({@link org.dure.store.wiki.Wiki}): spaces and their index
 * documents, membership, pages, their history, links and search, and the values they are read as
 * ({@link org.dure.store.wiki.Page}, {@link org.dure.store.wiki.SpaceId}, {@link
 * org.dure.store.wiki.Role}...). Each kind of document it holds is one class ({@link
 * org.dure.store.wiki.PageKind}, {@link org.dure.store.wiki.SpaceIndexKind}, {@link
 * org.dure.store.wiki.MembershipKind}).
 *
 * <p>May depend on {@code org.dure.store.doc} only.
 */
package org.dure.store.wiki;
