package org.dure.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the command line can ask of Dure: the same operations whether Dure runs (then they go
 * through the local JSON API, {@link ApiClient}) or not (then the command opens the data directory
 * itself, {@link LocalDure} without a peer). Spaces are named by id or by name (case-insensitive).
 *
 * <p>Failures are {@link ApiException}s whose message is meant for the user.
 */
public interface DureApi {

  /** A space and how many pages it has. */
  record SpaceInfo(String id, String name, int pages) {}

  /** A connection to a peer. */
  record PeerInfo(String peerId, String address, String direction, String kind, boolean syncing) {}

  /**
   * This computer's state.
   *
   * @param running whether a Dure process is serving this data directory
   * @param online whether it is on the network
   * @param listen full multiaddrs peers can dial (with {@code /p2p/}), empty when offline
   */
  record Status(
      String peerId,
      boolean running,
      boolean online,
      List<String> listen,
      List<SpaceInfo> spaces,
      int blockedPeers,
      int connectedPeers) {}

  /** One peer's line of the usage ledger (bytes since the ledger began, across restarts). */
  record PeerUsageInfo(
      String peerId,
      long bytesIn,
      long bytesOut,
      long connections,
      int openConnections,
      String lastSeen) {}

  /** What this computer does for others: the ledger, storage held for others, connections. */
  record UsageReport(
      List<PeerUsageInfo> peers,
      long storageForOthersBytes,
      long storageCapBytes,
      int openConnections,
      long uploadCapBytesPerSecond) {}

  /** An accepted invite: the space joined and who invited. */
  record Joined(String spaceId, String spaceName, String inviter) {}

  Status status();

  SpaceInfo createSpace(String name);

  List<SpaceInfo> spaces();

  /** Titles of a space's pages, recently changed first. */
  List<String> pageTitles(String space);

  /** A page's Markdown body, empty if the space has no page of that title. */
  Optional<String> pageBody(String space, String title);

  /**
   * Creates the page or changes its text to {@code body} (as character edits, so concurrent edits
   * elsewhere in the page survive a merge).
   *
   * @return true if the page was created
   */
  boolean putPage(String space, String title, String body);

  /** A single-use invite link to a space with this node's addresses (needs an online Dure). */
  default String createInvite(String space, String role, Duration validity) {
    return createInvite(space, role, validity, false);
  }

  /**
   * A single-use invite link to a space: with this node's addresses (needs an online Dure), or with
   * only its peer ID ({@code peerIdOnly}: found through the DHT; needs a running Dure with the DHT
   * on, online or not).
   */
  String createInvite(String space, String role, Duration validity, boolean peerIdOnly);

  /** Accepts an invite link (needs a running, online Dure). */
  Joined acceptInvite(String link);

  /** Connects to {@code /ip4/…/tcp/…/p2p/…}; returns the peer ID (needs a running, online Dure). */
  String connect(String multiaddr);

  /** Open connections (empty when Dure is not running). */
  List<PeerInfo> peers();

  /** The per-peer usage ledger (from the stored ledger when Dure is not running). */
  UsageReport usage();

  /** Turns networking off or on; returns the new state (true = offline). */
  boolean setOffline(boolean offline);

  /** A member of a space and its role ({@code owner}, {@code moderator}, {@code editor}, …). */
  record MemberInfo(String peerId, String role) {}

  /** The members of a space, the owner first. */
  List<MemberInfo> members(String space);

  /**
   * Gives {@code peer} the role {@code role} in the space (adding it if needed); only the owner and
   * moderators may.
   */
  List<MemberInfo> setRole(String space, String peer, String role);

  /** Refuses every connection from and to {@code peer} (closing those open). */
  void block(String peer, String reason);

  void unblock(String peer);

  /**
   * What reverting a peer's edits did (page titles).
   *
   * @param partly pages where some edits stay (others edited the same lines later)
   * @param hidden pages the peer created since then, now hidden
   */
  record RevertInfo(
      String peerId,
      String since,
      List<String> changed,
      List<String> partly,
      List<String> hidden) {}

  /**
   * Reverts every edit {@code peer} (peer ID or public key in hex) made to the space's pages since
   * {@code since}, as new versions, and hides the pages it created since; owner and moderators
   * only.
   */
  RevertInfo revertEditsBy(String space, String peer, Instant since, String reason);

  /**
   * Renames a page (editors and above); links to the old title keep leading to it.
   *
   * @return the new title
   */
  String renamePage(String space, String title, String newTitle);

  /**
   * Moves a page to space {@code target} (editors and above in both); the old one goes to the
   * trash.
   *
   * @return the id of the new page's space
   */
  String movePage(String space, String title, String target);

  /** Moves a page to its space's trash (editors and above). */
  void deletePage(String space, String title);

  /** Takes the page with this title out of its space's trash (editors and above). */
  void restorePage(String space, String title);

  /**
   * A page in a space's trash.
   *
   * @param deletedBy the peer ID that deleted it
   * @param deleted when (ISO-8601)
   * @param purgeAt when this node removes it for good (ISO-8601)
   */
  record TrashInfo(String title, String deletedBy, String deleted, String purgeAt) {}

  /** The pages in a space's trash, most recently deleted first. */
  List<TrashInfo> trash(String space);

  /** Hides {@code peer}'s content from this user's feed and comments (local only). */
  void mute(String peer, String reason);

  void unmute(String peer);

  /**
   * What an export wrote.
   *
   * @param damaged titles of pages left out because their stored data is damaged
   */
  record ExportInfo(String folder, int pages, int attachments, List<String> damaged) {}

  /**
   * Writes the space into {@code folder} (an absolute path on this computer, new or empty): a
   * Markdown folder that Obsidian opens as a vault, or with {@code html} a static HTML site.
   */
  ExportInfo exportSpace(String space, String folder, boolean html);

  /** A file whose title was taken; {@code newTitle} empty when it was skipped. */
  record ClashInfo(String path, String title, String newTitle) {}

  /** Something about one file: {@code kind} is an {@code ImportReport.Kind} name. */
  record NoteInfo(String path, String kind, String detail) {}

  /** What an import did. */
  record ImportInfo(
      List<String> created,
      List<ClashInfo> skipped,
      List<ClashInfo> renamed,
      List<NoteInfo> notes,
      int otherFiles) {}

  /**
   * Imports the Markdown files of {@code folder} (an absolute path on this computer) into the
   * space; a file whose title is taken is skipped, or with {@code rename} imported under a new
   * title. Editors, moderators and the owner only.
   */
  ImportInfo importFolder(String space, String folder, boolean rename);
}
