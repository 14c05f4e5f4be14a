package org.dure.app;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A subcommand of the {@code dure} launcher, such as {@code ./dure net serve …} or {@code ./dure
 * status}. When the first argument that is not a global option names a registered command, {@link
 * DureMain} runs that command instead of the web application. Register commands in {@link
 * CommandRegistry#standard()}.
 */
public interface Command {

  /** The word that selects this command on the command line, e.g. {@code "net"}. */
  String name();

  /** One line for {@code --help}. */
  String summary();

  /**
   * Runs the command.
   *
   * @param args the arguments after the command name
   * @param context global options and the output streams
   * @return the process exit code: 0 success, 2 usage error, anything else failure
   * @throws Exception on failure; reported on {@code err} with exit code 1
   */
  int run(List<String> args, Context context) throws Exception;

  /**
   * What every command gets.
   *
   * @param dataDir the data directory ({@code --data}, default {@code ~/.dure})
   * @param out standard output
   * @param err standard error
   * @param in standard input
   */
  record Context(Path dataDir, PrintStream out, PrintStream err, InputStream in) {
    /** A context reading standard input. */
    public Context(Path dataDir, PrintStream out, PrintStream err) {
      this(dataDir, out, err, System.in);
    }
  }
}
