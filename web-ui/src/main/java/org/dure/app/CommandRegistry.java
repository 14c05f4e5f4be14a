package org.dure.app;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The subcommands known to {@link DureMain}, by name, in registration order. */
public final class CommandRegistry {

  private final Map<String, Command> commands = new LinkedHashMap<>();

  /**
   * The registry used by the {@code dure} launcher. Add new subcommands here (e.g. {@code net
   * serve}, {@code status}).
   */
  public static CommandRegistry standard() {
    CommandRegistry registry = new CommandRegistry();
    registry.register(new NetDiagnosticsCommand());
    registry.register(new SettingsCommand());
    NodeCommands.all().forEach(registry::register);
    VaultCommands.all().forEach(registry::register);
    return registry;
  }

  /**
   * Adds a command.
   *
   * @throws IllegalArgumentException if a command of that name is already registered or the name
   *     looks like an option
   */
  public CommandRegistry register(Command command) {
    String name = command.name();
    if (name == null || name.isEmpty() || name.startsWith("-")) {
      throw new IllegalArgumentException("bad command name: " + name);
    }
    if (commands.putIfAbsent(name, command) != null) {
      throw new IllegalArgumentException("command registered twice: " + name);
    }
    return this;
  }

  /** The command of that name, if any. */
  public Optional<Command> find(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  /** All commands in registration order. */
  public Collection<Command> all() {
    return Collections.unmodifiableCollection(commands.values());
  }
}
