package org.dure.net.host;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The threads of a started {@link Host}, shared by its parts: the Netty event loops, the handler
 * executor (a virtual thread per task) and whether the host is running. Set by {@link Host#start}
 * and cleared by {@link Host#stop}.
 */
final class HostThreads {
  volatile EventLoopGroup group;
  volatile ExecutorService executor;
  volatile boolean running;

  /** Runs {@code task} on the handler executor; false if the host is stopped or stopping. */
  boolean execute(Runnable task) {
    ExecutorService e = executor;
    if (e == null) {
      return false;
    }
    try {
      e.execute(task);
      return true;
    } catch (RejectedExecutionException ex) {
      return false;
    }
  }
}
