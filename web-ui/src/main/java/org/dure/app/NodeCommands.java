package org.dure.app;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dure.api.ApiClient;
import org.dure.api.ApiException;
import org.dure.api.DureApi;
import org.dure.api.LocalDure;
import org.dure.node.OfflineSwitch;
import org.dure.store.StoreLockedException;
import org.dure.store.WikiStore;

/**
 * The commands on a data directory: {@code status}, {@code space}, {@code pages}, {@code page},
 * {@code trash}, {@code invite}, {@code connect}, {@code peers}, {@code offline}, {@code members},
 * {@code role}, {@code revert-by}, {@code block}, {@code unblock}, {@code mute}, {@code unmute}.
 * When Dure runs with that directory they go through its local API ({@code node.json} says where,
 * {@code api-token} holds the secret); otherwise the command opens the store itself (its lock keeps
 * a second process out), and the network commands say to start Dure first.
 */
final class NodeCommands {
  private NodeCommands() {}

  static List<Command> all() {
    List<Command> all = new ArrayList<>(List.of(new Status(), new SpaceCmd()));
    all.addAll(PageCommands.all());
    all.addAll(
        List.of(
            new InviteCmd(),
            new Connect(),
            new Peers(),
            new Usage(),
            new Offline(),
            new Members(),
            new RoleCmd(),
            new RevertBy(),
            new PeerListCmd(
                "block", "block PEER [--reason R]: refuse every connection with a peer"),
            new PeerListCmd("unblock", "unblock PEER: allow a blocked peer again"),
            new PeerListCmd("mute", "mute PEER [--reason R]: hide a peer's content from your feed"),
            new PeerListCmd("unmute", "unmute PEER: show a muted peer's content again")));
    return List.copyOf(all);
  }

  static final class Members extends OnDure {
    @Override
    public String name() {
      return "members";
    }

    @Override
    public String summary() {
      return "members SPACE: the members of a space and their roles";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() != 1) {
        return usage(context, "members SPACE");
      }
      for (DureApi.MemberInfo m : dure.members(args.get(0))) {
        context.out().printf("%-9s  %s%n", m.role(), m.peerId());
      }
      return 0;
    }
  }

  static final class RoleCmd extends OnDure {
    private static final String USAGE = "role SPACE PEER moderator|editor|reader";

    @Override
    public String name() {
      return "role";
    }

    @Override
    public String summary() {
      return USAGE + ": add a member or change its role (owner and moderators)";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() != 3) {
        return usage(context, USAGE);
      }
      dure.setRole(args.get(0), args.get(1), args.get(2));
      context.out().println(args.get(1) + " is now " + args.get(2));
      return 0;
    }
  }

  /** {@code revert-by SPACE PEER --since TIME [--reason R]}: a moderator's bulk revert. */
  static final class RevertBy extends OnDure {
    private static final String USAGE = "revert-by SPACE PEER --since TIME [--reason R]";

    @Override
    public String name() {
      return "revert-by";
    }

    @Override
    public String summary() {
      return USAGE
          + ": revert every edit by PEER in SPACE since TIME (e.g. 2026-11-30T10:00Z) as new"
          + " versions and hide the pages it created since (owner and moderators)";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() < 4) {
        return usage(context, USAGE);
      }
      String since = null;
      String reason = "";
      for (int i = 2; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
          return usage(context, USAGE);
        }
        switch (args.get(i)) {
          case "--since" -> since = args.get(i + 1);
          case "--reason" -> reason = args.get(i + 1);
          default -> {
            return usage(context, USAGE);
          }
        }
      }
      if (since == null) {
        return usage(context, USAGE);
      }
      Optional<Instant> from = parseTime(since);
      if (from.isEmpty()) {
        context
            .err()
            .println(
                "dure: \""
                    + since
                    + "\" is not a time; write it like 2026-11-30T10:00Z, 2026-11-30T10:00+09:00"
                    + " or 2026-11-30T10:00 (this computer's time zone).");
        return 2;
      }
      DureApi.RevertInfo r = dure.revertEditsBy(args.get(0), args.get(1), from.get(), reason);
      var out = context.out();
      if (r.changed().isEmpty() && r.partly().isEmpty() && r.hidden().isEmpty()) {
        out.println(r.peerId() + " made no edits in " + args.get(0) + " since " + r.since() + ".");
        return 0;
      }
      out.println("Reverted the edits by " + r.peerId() + " since " + r.since() + ":");
      out.println("  pages changed: " + list(r.changed()));
      if (!r.partly().isEmpty()) {
        out.println(
            "  not fully reverted (others edited the same lines later; see their history): "
                + list(r.partly()));
      }
      out.println("  pages created since then, now hidden: " + list(r.hidden()));
      return 0;
    }

    private static String list(List<String> titles) {
      return titles.isEmpty() ? "none" : String.join(", ", titles);
    }

    /** An ISO date-time with an offset or zone, or a local one in this computer's zone. */
    static Optional<Instant> parseTime(String s) {
      try {
        return Optional.of(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeParseException e) {
        // try the next form
      }
      try {
        return Optional.of(LocalDateTime.parse(s).atZone(ZoneId.systemDefault()).toInstant());
      } catch (DateTimeParseException e) {
        // try the next form
      }
      try {
        return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneId.systemDefault()).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /** {@code block}, {@code unblock}, {@code mute}, {@code unmute}: this user's own lists. */
  static final class PeerListCmd extends OnDure {
    private final String name;
    private final String summary;

    PeerListCmd(String name, String summary) {
      this.name = name;
      this.summary = summary;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String summary() {
      return summary;
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      boolean takesReason = name.equals("block") || name.equals("mute");
      String reason = "";
      if (args.size() == 3 && takesReason && args.get(1).equals("--reason")) {
        reason = args.get(2);
      } else if (args.size() != 1) {
        return usage(context, summary.substring(0, summary.indexOf(':')));
      }
      String peer = args.get(0);
      switch (name) {
        case "block" -> dure.block(peer, reason);
        case "unblock" -> dure.unblock(peer);
        case "mute" -> dure.mute(peer, reason);
        default -> dure.unmute(peer);
      }
      context.out().println((name.endsWith("e") ? name + "d " : name + "ed ") + peer);
      return 0;
    }
  }

  /** A command run against the running Dure or, if none, the data directory. */
  abstract static class OnDure implements Command {
    /** Whether the command needs a running Dure (the network). */
    boolean needsRunning(List<String> args) {
      return false;
    }

    @Override
    public final int run(List<String> args, Context context) {
      try {
        Optional<ApiClient> running = ApiClient.forRunning(context.dataDir());
        if (running.isPresent()) {
          return run(running.get(), args, context);
        }
        if (needsRunning(args)) {
          context
              .err()
              .println(
                  "dure: Dure is not running with "
                      + context.dataDir()
                      + ". Start it first (./dure, or ./dure --headless for no web UI).");
          return 1;
        }
        return runOnStore(args, context);
      } catch (ApiException e) {
        context.err().println("dure: " + e.getMessage());
        return e.status() == 400 ? 2 : 1;
      }
    }

    /** Runs this command with the data directory opened here. */
    int runOnStore(List<String> args, Context context) {
      try (WikiStore store = WikiStore.open(context.dataDir(), Sandboxes.storeOptions())) {
        return run(new LocalDure(store, context.dataDir()), args, context);
      } catch (StoreLockedException e) {
        context
            .err()
            .println(
                "dure: Dure is running with "
                    + context.dataDir()
                    + " but its local API does not answer (node.json missing or out of date);"
                    + " wait a few seconds or restart it.");
        return 1;
      }
    }

    abstract int run(DureApi dure, List<String> args, Context context);

    static int usage(Context context, String usage) {
      context.err().println("usage: dure " + usage);
      return 2;
    }
  }

  static final class Status extends OnDure {
    @Override
    public String name() {
      return "status";
    }

    @Override
    public String summary() {
      return "this computer's peer ID, addresses, spaces, running or not, online or offline";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      DureApi.Status s = dure.status();
      var out = context.out();
      out.println("peer ID: " + s.peerId());
      if (!s.running()) {
        boolean offline = new OfflineSwitch(context.dataDir()).isOffline();
        out.println("Dure: not running" + (offline ? " (offline switch on)" : ""));
      } else {
        out.println("Dure: running, " + (s.online() ? "online" : "offline"));
        s.listen().forEach(a -> out.println("listening on " + a));
        out.println("connected peers: " + s.connectedPeers());
      }
      for (DureApi.SpaceInfo space : s.spaces()) {
        out.printf("space %s  %s  (%d pages)%n", space.id(), space.name(), space.pages());
      }
      out.println("blocked peers: " + s.blockedPeers());
      return 0;
    }
  }

  static final class SpaceCmd extends OnDure {
    @Override
    public String name() {
      return "space";
    }

    @Override
    public String summary() {
      return "space create NAME | space list";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() == 2 && args.get(0).equals("create")) {
        context.out().println(dure.createSpace(args.get(1)).id());
        return 0;
      }
      if (args.size() == 1 && args.get(0).equals("list")) {
        dure.spaces().forEach(s -> context.out().println(s.id() + "  " + s.name()));
        return 0;
      }
      return usage(context, "space create NAME | space list");
    }
  }

  static final class InviteCmd extends OnDure {
    private static final String USAGE =
        "invite create SPACE [--role editor|reader|moderator] [--valid HOURS] [--peer-id-only]"
            + " | invite accept LINK";

    @Override
    public String name() {
      return "invite";
    }

    @Override
    public String summary() {
      return "invite create SPACE [--role R] [--valid HOURS] [--peer-id-only] (prints a link; with"
          + " --peer-id-only it carries no address and is found through the DHT) | invite accept"
          + " LINK";
    }

    @Override
    boolean needsRunning(List<String> args) {
      return true;
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() == 2 && args.get(0).equals("accept")) {
        DureApi.Joined joined = dure.acceptInvite(args.get(1));
        context
            .out()
            .println(
                "Joined \""
                    + joined.spaceName()
                    + "\" ("
                    + joined.spaceId()
                    + "), invited by "
                    + joined.inviter());
        return 0;
      }
      if (args.size() >= 2 && args.get(0).equals("create")) {
        String role = "editor";
        long hours = 24 * 7;
        boolean peerIdOnly = false;
        int i = 2;
        while (i < args.size()) {
          if (args.get(i).equals("--peer-id-only")) { // a flag: no value
            peerIdOnly = true;
            i++;
            continue;
          }
          if (i + 1 >= args.size()) {
            return usage(context, USAGE);
          }
          switch (args.get(i)) {
            case "--role" -> role = args.get(i + 1);
            case "--valid" -> {
              try {
                hours = Long.parseLong(args.get(i + 1));
              } catch (NumberFormatException e) {
                return usage(context, USAGE);
              }
            }
            default -> {
              return usage(context, USAGE);
            }
          }
          i += 2;
        }
        if (hours < 1 || hours > 24 * 30) {
          context.err().println("dure: --valid takes 1 to 720 hours");
          return 2;
        }
        context
            .out()
            .println(dure.createInvite(args.get(1), role, Duration.ofHours(hours), peerIdOnly));
        return 0;
      }
      return usage(context, USAGE);
    }
  }

  static final class Connect extends OnDure {
    @Override
    public String name() {
      return "connect";
    }

    @Override
    public String summary() {
      return "connect MULTIADDR|PEER_ID: connect to a peer by address (/ip4/…/tcp/…/p2p/12D3KooW…)"
          + " or by peer ID alone (found through the DHT)";
    }

    @Override
    boolean needsRunning(List<String> args) {
      return true;
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() != 1) {
        return usage(context, "connect MULTIADDR|PEER_ID");
      }
      context.out().println("Connected to " + dure.connect(args.get(0)));
      return 0;
    }
  }

  static final class Peers extends OnDure {
    @Override
    public String name() {
      return "peers";
    }

    @Override
    public String summary() {
      return "peers: the peers connected now";
    }

    @Override
    int runOnStore(List<String> args, Context context) {
      context.err().println("dure: Dure is not running, so it has no connections.");
      return 1;
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (!args.isEmpty()) {
        return usage(context, "peers");
      }
      for (DureApi.PeerInfo p : dure.peers()) {
        context
            .out()
            .println(
                p.peerId()
                    + "  "
                    + p.address()
                    + "  "
                    + p.direction()
                    + "  "
                    + p.kind()
                    + (p.syncing() ? "  syncing" : ""));
      }
      return 0;
    }
  }

  /** {@code usage}: the per-peer ledger (bytes in and out, connections) and storage for others. */
  static final class Usage extends OnDure {
    @Override
    public String name() {
      return "usage";
    }

    @Override
    public String summary() {
      return "usage: what this computer does for others (bytes per peer, storage held for others)";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (!args.isEmpty()) {
        return usage(context, "usage");
      }
      DureApi.UsageReport r = dure.usage();
      var out = context.out();
      out.println(
          "storage kept for others: "
              + bytes(r.storageForOthersBytes())
              + (r.storageCapBytes() == 0 ? " (no cap)" : " of " + bytes(r.storageCapBytes())));
      out.println(
          "upload cap: "
              + (r.uploadCapBytesPerSecond() == 0
                  ? "none"
                  : bytes(r.uploadCapBytesPerSecond()) + "/s"));
      out.println("open connections: " + r.openConnections());
      if (r.peers().isEmpty()) {
        out.println("no peers in the ledger yet");
        return 0;
      }
      out.println("peer  in  out  connections  open  last seen");
      for (DureApi.PeerUsageInfo p : r.peers()) {
        out.println(
            p.peerId()
                + "  "
                + bytes(p.bytesIn())
                + "  "
                + bytes(p.bytesOut())
                + "  "
                + p.connections()
                + "  "
                + p.openConnections()
                + "  "
                + p.lastSeen());
      }
      return 0;
    }

    static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      String[] units = {"KiB", "MiB", "GiB", "TiB"};
      double v = n;
      int u = -1;
      while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
      }
      return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
  }

  /** {@code offline on|off|status}: works without opening the store when Dure is not running. */
  static final class Offline extends OnDure {
    @Override
    public String name() {
      return "offline";
    }

    @Override
    public String summary() {
      return "offline on|off|status: keep off the network, or go back online";
    }

    @Override
    int runOnStore(List<String> args, Context context) {
      OfflineSwitch offline = new OfflineSwitch(context.dataDir());
      String what = args.size() == 1 ? args.get(0) : "";
      switch (what) {
        case "on", "off" -> {
          offline.set(what.equals("on"));
          return report(what.equals("on"), context);
        }
        case "status" -> {
          context.out().println(offline.isOffline() ? "offline" : "online");
          return 0;
        }
        default -> {
          return usage(context, "offline on|off|status");
        }
      }
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      String what = args.size() == 1 ? args.get(0) : "";
      switch (what) {
        case "on", "off" -> {
          return report(dure.setOffline(what.equals("on")), context);
        }
        case "status" -> {
          DureApi.Status s = dure.status();
          context.out().println(s.online() ? "online" : "offline");
          return 0;
        }
        default -> {
          return usage(context, "offline on|off|status");
        }
      }
    }

    private static int report(boolean offline, Context context) {
      context
          .out()
          .println(
              offline
                  ? "Offline: Dure stops all networking."
                  : "Online: Dure connects to your friends again.");
      return 0;
    }
  }
}
