package org.dure.app;

import java.util.List;
import org.dure.identity.Identity;
import org.dure.net.tools.NetCommand;
import org.dure.store.doc.IdentityKeyFile;

/** {@code dure net serve|ping|id}: the network layer's diagnostics, with this node's identity. */
final class NetDiagnosticsCommand implements Command {
  @Override
  public String name() {
    return "net";
  }

  @Override
  public String summary() {
    return "network diagnostics: net serve [--listen MA] [--echo] | net ping MA | net id";
  }

  @Override
  public int run(List<String> args, Context context) {
    Identity identity = IdentityKeyFile.loadOrCreate(context.dataDir());
    return NetCommand.run(
        args.toArray(String[]::new), identity.keyPair(), context.out(), context.err());
  }
}
