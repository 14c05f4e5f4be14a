package org.dure.ui.feed;

import com.vaadin.flow.component.Component;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.social.Friends;

/** Shared helpers of the feed, notification and friends views. */
public final class FeedUi {
  private FeedUi() {}

  /** A time in the user's language, in this computer's time zone. */
  public static String time(Instant time, Locale locale) {
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(locale)
        .withZone(ZoneId.systemDefault())
        .format(time);
  }

  /**
   * How to call an author: "you", a friend's petname, or the short peer ID; a claimed author (from
   * a peer, not verified) is marked as such.
   */
  public static String authorName(
      Component in, WikiStore store, Optional<Author> author, boolean claimed) {
    if (author.isEmpty()) {
      return in.getTranslation("feed.author.unknown");
    }
    Author a = author.get();
    if (a.equals(Author.of(store.identity()))) {
      return in.getTranslation("feed.author.you");
    }
    PeerId peer = a.peerId();
    // My petname for a friend first, else the name from their profile, else the short peer ID.
    String name =
        store
            .friends()
            .find(peer)
            .map(Friends.Friend::petname)
            .orElseGet(() -> store.profiles().displayName(peer));
    return claimed ? in.getTranslation("feed.author.claimed", name) : name;
  }
}
