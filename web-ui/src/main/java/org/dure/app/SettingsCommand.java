package org.dure.app;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dure.moderation.ResourceSettings;
import org.dure.moderation.Resources;
import org.dure.store.StoreLockedException;
import org.dure.store.WikiStore;

/**
 * {@code settings [KEY=VALUE ...]}: prints the limits, caps and consent of the Settings page, or
 * changes them, e.g. {@code settings consent.helpOthers=true} on a headless relay. Works on a
 * stopped Dure (the running one reads its settings when it starts; while it runs, the Settings page
 * changes them).
 */
final class SettingsCommand implements Command {
  @Override
  public String name() {
    return "settings";
  }

  @Override
  public String summary() {
    return "settings [KEY=VALUE ...]: show or change limits, caps and consent (Dure stopped)";
  }

  @Override
  public int run(List<String> args, Context context) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        context.err().println("usage: dure settings [KEY=VALUE ...]");
        return 2;
      }
      changes.put(a.substring(0, eq), a.substring(eq + 1));
    }
    try (WikiStore store = WikiStore.open(context.dataDir());
        Resources resources = new Resources(store, Clock.systemUTC())) {
      ResourceSettings s = resources.settings();
      if (!changes.isEmpty()) {
        Map<String, String> m = new LinkedHashMap<>(s.toMap());
        for (String key : changes.keySet()) {
          if (!m.containsKey(key)) {
            context.err().println("dure: no setting " + key + "; known: " + m.keySet());
            return 2;
          }
        }
        m.putAll(changes);
        try {
          s = ResourceSettings.fromMap(m);
        } catch (IllegalArgumentException e) {
          context.err().println("dure: " + e.getMessage());
          return 2;
        }
        resources.update(s);
      }
      s.toMap().forEach((k, v) -> context.out().println(k + "=" + v));
      return 0;
    } catch (StoreLockedException e) {
      context
          .err()
          .println(
              "dure: Dure is running with "
                  + context.dataDir()
                  + "; stop it to change settings here, or use its Settings page.");
      return 1;
    }
  }
}
