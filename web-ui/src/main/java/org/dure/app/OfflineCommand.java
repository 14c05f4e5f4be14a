package org.dure.app;

import java.util.List;
import org.dure.node.OfflineSwitch;

/** {@code dure offline on|off|status}: stop or resume all networking (also while Dure runs). */
final class OfflineCommand implements Command {
  @Override
  public String name() {
    return "offline";
  }

  @Override
  public String summary() {
    return "offline on|off|status: keep off the network, or go back online";
  }

  @Override
  public int run(List<String> args, Context context) {
    OfflineSwitch offline = new OfflineSwitch(context.dataDir());
    String what = args.size() == 1 ? args.get(0) : "";
    switch (what) {
      case "on" -> {
        offline.set(true);
        context
            .out()
            .println("Offline: Dure stops all networking (a running Dure within seconds).");
      }
      case "off" -> {
        offline.set(false);
        context.out().println("Online: Dure connects to your friends again.");
      }
      case "status" -> context.out().println(offline.isOffline() ? "offline" : "online");
      default -> {
        context.err().println("usage: dure offline on|off|status");
        return 2;
      }
    }
    return 0;
  }
}
