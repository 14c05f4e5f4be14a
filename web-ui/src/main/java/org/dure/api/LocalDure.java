package org.dure.api;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.moderation.Blocklist;
import org.dure.moderation.Mutes;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.PageRules;
import org.dure.moderation.Resources;
import org.dure.moderation.SpaceModerator;
import org.dure.net.invite.InviteException;
import org.dure.net.invite.InviteService;
import org.dure.node.Attachments;
import org.dure.node.OfflineSwitch;
import org.dure.node.PeerNode;
import org.dure.node.SpaceVaults;
import org.dure.node.VaultAttachments;
import org.dure.store.WikiStore;
import org.dure.store.moderation.EditReverts;
import org.dure.store.vault.FolderSink;
import org.dure.store.vault.FolderSource;
import org.dure.store.vault.ImportReport;
import org.dure.store.vault.Progress;
import org.dure.store.vault.VaultException;
import org.dure.store.vault.VaultExport;
import org.dure.store.vault.VaultImport;
import org.dure.store.vault.VaultLimits;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.Trash;
import org.dure.store.wiki.WikiLinks;
import org.dure.ui.render.MarkdownRenderer;
import org.dure.ui.render.StaticSiteHtml;

/**
 * {@link DureApi} on an open store: inside the running Dure (with its {@link PeerNode}, behind the
 * local API) or in a command-line process on a stopped data directory (no peer: network operations
 * fail with a message saying to start Dure).
 */
public final class LocalDure implements DureApi {
  private static final int PAGE_BATCH = 500;

  private final WikiStore store;
  private final PeerNode node;
  private final Path dataDir;
  private final Attachments attachments;
  private final MarkdownRenderer renderer = new MarkdownRenderer();

  /**
   * @param node the running peer, or null in a command-line process on a stopped data directory
   * @param attachments the running node's attachments, or null to open those of {@code dataDir}
   *     when an export or import needs them (a stopped data directory)
   */
  public LocalDure(WikiStore store, PeerNode node, Path dataDir, Attachments attachments) {
    this.store = store;
    this.node = node;
    this.dataDir = dataDir;
    this.attachments = attachments;
  }

  /** On a stopped data directory: no peer, its attachments opened when needed. */
  public LocalDure(WikiStore store, Path dataDir) {
    this(store, null, dataDir, null);
  }

  @Override
  public Status status() {
    List<String> listen = List.of();
    boolean online = false;
    int connected = 0;
    if (node != null) {
      PeerNode.Status s = node.status();
      online = s.online();
      listen = s.addresses();
      connected = s.peers().size();
    }
    return new Status(
        store.identity().peerId().toString(),
        node != null,
        online,
        listen,
        spaces(),
        store.blockedPeers().size(),
        connected);
  }

  @Override
  public SpaceInfo createSpace(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > 200) {
      throw ApiException.badRequest("A space needs a name of 1 to 200 characters.");
    }
    Space s = store.createSpace(n);
    return new SpaceInfo(s.id().value(), s.name(), 0);
  }

  @Override
  public List<SpaceInfo> spaces() {
    List<SpaceInfo> out = new ArrayList<>();
    for (Space s : store.spaces()) {
      out.add(new SpaceInfo(s.id().value(), s.name(), store.pageCount(s.id())));
    }
    return out;
  }

  @Override
  public List<String> pageTitles(String space) {
    Space s = space(space);
    List<String> out = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE_BATCH) {
      List<PageSummary> batch = store.pages(s.id(), offset, PAGE_BATCH);
      batch.forEach(p -> out.add(p.title()));
      if (batch.size() < PAGE_BATCH) {
        return out;
      }
    }
  }

  @Override
  public Optional<String> pageBody(String space, String title) {
    Space s = space(space);
    return store.findPage(s.id(), requireTitle(title)).map(p -> store.page(p.id()).body());
  }

  @Override
  public boolean putPage(String space, String title, String body) {
    Space s = space(space);
    String t = requireTitle(title);
    if (body == null) {
      throw ApiException.badRequest("The page body is missing.");
    }
    Optional<PageSummary> page = store.findPage(s.id(), t);
    try {
      if (page.isEmpty()) {
        store.createPage(s.id(), t, body, Optional.of("From the command line"));
        return true;
      }
      store.replaceText(page.get().id(), body, Optional.of("From the command line"));
      return false;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage()); // e.g. longer than the store's page limit
    }
  }

  @Override
  public String createInvite(String space, String role, Duration validity, boolean peerIdOnly) {
    Space s = space(space);
    Role r =
        Role.ofKey(role == null ? "editor" : role)
            .filter(x -> x != Role.OWNER)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "Unknown role \"" + role + "\": use moderator, editor or reader."));
    if (validity.isNegative() || validity.isZero() || validity.compareTo(Duration.ofDays(30)) > 0) {
      throw ApiException.badRequest("An invite is valid for 1 minute to 30 days.");
    }
    try {
      return requireNode().createInvite(s.id(), r, validity, peerIdOnly);
    } catch (NotAllowedException e) {
      throw new ApiException(403, e.getMessage());
    } catch (IllegalStateException e) {
      throw ApiException.unavailable(e.getMessage());
    }
  }

  @Override
  public Joined acceptInvite(String link) {
    PeerNode n = requireNode();
    try {
      InviteService.Accepted a = n.acceptInvite(link == null ? "" : link.strip());
      return new Joined(a.space().value(), a.spaceName(), a.inviter().toString());
    } catch (InviteException e) {
      throw new ApiException(409, e.getMessage(), e);
    }
  }

  @Override
  public String connect(String multiaddr) {
    PeerNode n = requireNode();
    try {
      return n.connect(multiaddr == null ? "" : multiaddr);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw ApiException.unavailable(e.getMessage());
    } catch (IOException e) {
      throw new ApiException(502, "Could not connect: " + e.getMessage(), e);
    }
  }

  @Override
  public List<PeerInfo> peers() {
    if (node == null) {
      return List.of();
    }
    PeerNode.Status s = node.status();
    Set<String> syncing = new HashSet<>(s.syncing());
    return s.peers().stream()
        .map(
            p ->
                new PeerInfo(
                    p.peerId(), p.address(), p.direction(), p.kind(), syncing.contains(p.peerId())))
        .toList();
  }

  @Override
  public UsageReport usage() {
    Resources r = node != null ? node.resources() : new Resources(store, Clock.systemUTC());
    Resources.Usage u = r.usage();
    return new UsageReport(
        u.peers().stream()
            .map(
                p ->
                    new PeerUsageInfo(
                        p.peer(),
                        p.bytesIn(),
                        p.bytesOut(),
                        p.connections(),
                        p.openConnections(),
                        p.lastSeen().toString()))
            .toList(),
        u.storageForOthersBytes(),
        u.storageCapBytes(),
        u.openConnections(),
        u.uploadBytesPerSecondCap());
  }

  @Override
  public boolean setOffline(boolean offline) {
    if (node != null) {
      node.setOffline(offline);
    } else {
      new OfflineSwitch(dataDir).set(offline);
    }
    return offline;
  }

  @Override
  public List<MemberInfo> members(String space) {
    return membersOf(moderator().membership(space(space).id()));
  }

  private static List<MemberInfo> membersOf(Membership m) {
    return m.members().entrySet().stream()
        .sorted(
            Map.Entry.<PeerId, Role>comparingByValue().thenComparing(e -> e.getKey().toString()))
        .map(e -> new MemberInfo(e.getKey().toString(), e.getValue().key()))
        .toList();
  }

  @Override
  public List<MemberInfo> setRole(String space, String peer, String role) {
    Space s = space(space);
    Role r =
        Role.ofKey(role == null ? "" : role.strip())
            .filter(x -> x != Role.OWNER)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "Unknown role \"" + role + "\": use moderator, editor or reader."));
    try {
      return membersOf(moderator().setRole(s.id(), peerId(peer), r));
    } catch (NotAllowedException e) {
      throw new ApiException(403, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Override
  public RevertInfo revertEditsBy(String space, String peer, Instant since, String reason) {
    Space s = space(space);
    try {
      EditReverts.Report r =
          moderator()
              .revertEditsBy(
                  s.id(), EditReverts.peerIdOf(peer), since, reason, EditReverts.Progress.NONE);
      return new RevertInfo(
          r.author().toString(),
          r.since().toString(),
          r.changed().stream().map(EditReverts.PageOutcome::title).toList(),
          r.partly().stream().map(EditReverts.PageOutcome::title).toList(),
          r.created().stream().map(PageSummary::title).toList());
    } catch (NotAllowedException e) {
      throw new ApiException(403, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Override
  public String renamePage(String space, String title, String newTitle) {
    PageSummary page = livePage(space, title);
    return pageAction(
        () -> {
          new PageRules(store).rename(page.id(), requireTitle(newTitle));
          return store.summary(page.id()).title();
        });
  }

  @Override
  public String movePage(String space, String title, String target) {
    PageSummary page = livePage(space, title);
    Space to = space(target);
    return pageAction(() -> new PageRules(store).move(page.id(), to.id()).spaceId().value());
  }

  @Override
  public void deletePage(String space, String title) {
    PageSummary page = livePage(space, title);
    pageAction(() -> new PageRules(store).delete(page.id()));
  }

  @Override
  public void restorePage(String space, String title) {
    Space s = space(space);
    String key = WikiLinks.key(requireTitle(title));
    Trash.DeletedPage d =
        store.wiki().trash().list(s.id()).stream()
            .filter(x -> WikiLinks.key(x.page().title()).equals(key))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound("No page \"" + title + "\" in the trash of " + s.name()));
    pageAction(() -> new PageRules(store).restore(d.page().id()));
  }

  @Override
  public List<TrashInfo> trash(String space) {
    return store.wiki().trash().list(space(space).id()).stream()
        .map(
            d ->
                new TrashInfo(
                    d.page().title(),
                    d.by().map(PeerId::toString).orElse(""),
                    d.time().toString(),
                    d.purgeAt().toString()))
        .toList();
  }

  private PageSummary livePage(String space, String title) {
    Space s = space(space);
    return store
        .findPage(s.id(), requireTitle(title))
        .orElseThrow(() -> ApiException.notFound("No page \"" + title + "\" in " + s.name()));
  }

  /** Runs a rename, move, delete or restore, its refusals as API errors. */
  private static <T> T pageAction(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (NotAllowedException e) {
      throw new ApiException(403, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Override
  public void block(String peer, String reason) {
    PeerId p = peerId(peer);
    if (p.equals(store.identity().peerId())) {
      throw ApiException.badRequest("You cannot block yourself.");
    }
    String why = reason == null || reason.isBlank() ? "Blocked by you" : reason.strip();
    if (node != null) {
      node.block(p, why);
    } else {
      new Blocklist(store).block(p, why);
    }
  }

  @Override
  public void unblock(String peer) {
    PeerId p = peerId(peer);
    if (node != null) {
      node.blocklist().unblock(p);
    } else {
      new Blocklist(store).unblock(p);
    }
  }

  @Override
  public void mute(String peer, String reason) {
    try {
      mutes().mute(peerId(peer), reason == null ? "" : reason);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Override
  public void unmute(String peer) {
    mutes().unmute(peerId(peer));
  }

  private SpaceModerator moderator() {
    return node != null ? node.moderator() : new SpaceModerator(store);
  }

  private Mutes mutes() {
    return node != null ? node.mutes() : new Mutes(store);
  }

  private static PeerId peerId(String peer) {
    try {
      return PeerId.parse(peer == null ? "" : peer.strip());
    } catch (RuntimeException e) {
      throw ApiException.badRequest(
          "\"" + peer + "\" is not a peer ID (they look like 12D3KooW…).");
    }
  }

  private PeerNode requireNode() {
    if (node == null) {
      throw ApiException.unavailable(
          "Dure is not running with " + dataDir + ". Start it (./dure, or ./dure --headless).");
    }
    return node;
  }

  private static String requireTitle(String title) {
    String t = title == null ? "" : title.strip();
    if (t.isEmpty() || t.length() > 300) {
      throw ApiException.badRequest("A page title has 1 to 300 characters.");
    }
    return t;
  }

  /** The space with that id or (case-insensitive) name. */
  private Space space(String idOrName) {
    String key = idOrName == null ? "" : idOrName.strip();
    List<Space> found =
        store.spaces().stream()
            .filter(s -> s.id().value().equals(key) || s.name().equalsIgnoreCase(key))
            .toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw ApiException.notFound("No space \"" + key + "\" (see: dure space list).");
    }
    throw new ApiException(409, "Several spaces are called \"" + key + "\"; use its id.");
  }

  @Override
  public ExportInfo exportSpace(String space, String folder, boolean html) {
    Space s = space(space);
    Path dir = absolute(folder);
    try {
      FolderSink sink = FolderSink.create(dir);
      VaultExport.Summary sum =
          html
              ? vaults().exportHtml(s.id(), new StaticSiteHtml(renderer), sink, Progress.NONE)
              : vaults().exportMarkdown(s.id(), sink, Progress.NONE);
      return new ExportInfo(dir.toString(), sum.pages(), sum.attachments(), sum.damaged());
    } catch (VaultException e) {
      throw new ApiException(409, e.getMessage(), e);
    } catch (IOException e) {
      throw new ApiException(500, "Could not write the export into " + dir + ": " + e, e);
    }
  }

  @Override
  public ImportInfo importFolder(String space, String folder, boolean rename) {
    Space s = space(space);
    Path dir = absolute(folder);
    SpaceVaults vaults = vaults();
    try (FolderSource source = FolderSource.open(dir, vaults.limits())) {
      ImportReport r =
          vaults.importFrom(
              s.id(),
              source,
              rename ? VaultImport.OnClash.RENAME : VaultImport.OnClash.SKIP,
              Progress.NONE);
      return new ImportInfo(
          r.created().stream().map(ImportReport.Created::title).toList(),
          r.skipped().stream().map(LocalDure::clash).toList(),
          r.renamed().stream().map(LocalDure::clash).toList(),
          r.notes().stream().map(n -> new NoteInfo(n.path(), n.kind().name(), n.detail())).toList(),
          r.otherFiles());
    } catch (NotAllowedException e) {
      throw new ApiException(403, e.getMessage());
    } catch (VaultException e) {
      throw new ApiException(409, e.getMessage(), e);
    } catch (IOException e) {
      throw new ApiException(500, "Could not read " + dir + ": " + e, e);
    }
  }

  private static ClashInfo clash(ImportReport.Clash c) {
    return new ClashInfo(c.path(), c.title(), c.newTitle());
  }

  private SpaceVaults vaults() {
    return new SpaceVaults(
        store,
        moderator(),
        attachments != null
            ? new VaultAttachments(attachments)
            : VaultAttachments.inDataDir(store, dataDir),
        VaultLimits.defaults());
  }

  private static Path absolute(String folder) {
    Path p;
    try {
      p = Path.of(folder == null ? "" : folder);
    } catch (InvalidPathException e) {
      throw ApiException.badRequest("\"" + folder + "\" is not a folder name: " + e.getReason());
    }
    if (!p.isAbsolute()) {
      throw ApiException.badRequest("Name the folder by its absolute path: " + folder);
    }
    return p.normalize();
  }
}
