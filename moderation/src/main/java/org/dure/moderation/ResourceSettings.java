package org.dure.moderation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user's limits, caps and consent, with defaults ({@link #defaults()}). Stored as key = value
 * ({@link #toMap()}, {@link #fromMap}); applied live by {@link Resources}.
 *
 * @param helpOthers serve or relay for peers outside my spaces (off by default). When on, this
 *     computer relays (circuit relay v2) for any peer that is not blocked; when off, only between
 *     members of one of my spaces ({@link ConsentRelayPolicy}, docs/protocol/relay.md). Nothing is
 *     served to peers outside my spaces either way: Dure has no public spaces
 *     (docs/protocol/sync.md)
 * @param uploadKiBps cap on all bytes sent, KiB a second; 0 = unlimited
 * @param relayKiBps cap on bytes relayed for others, KiB a second; 0 = unlimited (relayed bytes are
 *     under the upload cap too)
 * @param storageForOthersMiB cap on the bytes of spaces held here that I do not own, MiB; 0 =
 *     unlimited. Over it, no new documents or spaces, and no more changes to those spaces, are
 *     taken from others; nothing is deleted
 * @param changesPerMinute changes taken from one peer a minute (more are slowed down)
 * @param maxChangeBytes largest change taken (a larger one is refused)
 * @param maxPageBytes largest new page taken (a larger one is refused)
 * @param pagesPerHour new pages taken from one peer an hour (more are slowed down)
 * @param maxMessageBytes largest sync message taken (a larger one is refused)
 * @param maxStreamsPerPeer streams one peer may have open to this computer at once
 * @param opsPerMinute operations (inside changes) taken from one peer a minute (more are slowed
 *     down); counted from each change's encoding before Automerge sees it
 * @param maxOpsPerChange most operations one change may make (a change making more is refused: a
 *     small change can declare millions of operations)
 * @param portMapping ask the home router to forward the peer port (UPnP / NAT-PMP); on by default.
 *     Stored here with the other settings; applied by the web application, not by {@link Resources}
 */
public record ResourceSettings(
    boolean helpOthers,
    long uploadKiBps,
    long relayKiBps,
    long storageForOthersMiB,
    long changesPerMinute,
    long maxChangeBytes,
    long maxPageBytes,
    long pagesPerHour,
    long maxMessageBytes,
    long maxStreamsPerPeer,
    boolean portMapping,
    long opsPerMinute,
    long maxOpsPerChange) {

  /** The most a sync message can be on the wire (the protocol's limit). */
  public static final long PROTOCOL_MAX_MESSAGE = 16L << 20;

  /** The most a snapshot can be on the wire (the protocol's limit). */
  public static final long PROTOCOL_MAX_SNAPSHOT = 64L << 20;

  /** The most operations one input may make (what the format validator allows). */
  public static final long PROTOCOL_MAX_OPS = 20_000_000;

  private static final ResourceSettings DEFAULTS =
      new ResourceSettings(
          false, 0, 0, 2048, 600, 1L << 20, 4L << 20, 120, 16L << 20, 64, true, 1_000_000,
          1_000_000);

  /** Thrown for a value out of range; the message says which and what is allowed. */
  public static final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    InvalidSettingException(String key, String message) {
      super(message);
      this.key = key;
    }

    /** The setting's key, as in {@link #toMap()}. */
    public String key() {
      return key;
    }
  }

  public ResourceSettings {
    range("cap.uploadKiBps", uploadKiBps, 0, 10_000_000);
    range("cap.relayKiBps", relayKiBps, 0, 10_000_000);
    range("cap.storageForOthersMiB", storageForOthersMiB, 0, 100_000_000);
    range("limit.changesPerMinute", changesPerMinute, 1, 1_000_000);
    range("limit.maxChangeBytes", maxChangeBytes, 1024, PROTOCOL_MAX_MESSAGE);
    range("limit.maxPageBytes", maxPageBytes, 1024, PROTOCOL_MAX_SNAPSHOT);
    range("limit.pagesPerHour", pagesPerHour, 1, 1_000_000);
    range("limit.maxMessageBytes", maxMessageBytes, 1024, PROTOCOL_MAX_MESSAGE);
    range("limit.maxStreamsPerPeer", maxStreamsPerPeer, 4, 1024);
    range("limit.opsPerMinute", opsPerMinute, 1000, 100_000_000);
    range("limit.maxOpsPerChange", maxOpsPerChange, 1000, PROTOCOL_MAX_OPS);
  }

  private static void range(String key, long v, long min, long max) {
    if (v < min || v > max) {
      throw new InvalidSettingException(
          key, key + " must be between " + min + " and " + max + ", not " + v);
    }
  }

  /**
   * Defaults: help others off; upload, relay unlimited; 2 GiB kept for others; 600 changes a
   * minute, 1 MiB a change, 4 MiB a page, 120 new pages an hour, 16 MiB a message, 64 streams at
   * once, 1,000,000 operations a minute and a change of at most 1,000,000 operations, per peer; the
   * peer port opened on the router. (Typing makes a few operations a second; pasting 1 MiB of text,
   * the largest change, about a million.)
   */
  public static ResourceSettings defaults() {
    return DEFAULTS;
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("consent.helpOthers", Boolean.toString(helpOthers));
    m.put("cap.uploadKiBps", Long.toString(uploadKiBps));
    m.put("cap.relayKiBps", Long.toString(relayKiBps));
    m.put("cap.storageForOthersMiB", Long.toString(storageForOthersMiB));
    m.put("limit.changesPerMinute", Long.toString(changesPerMinute));
    m.put("limit.maxChangeBytes", Long.toString(maxChangeBytes));
    m.put("limit.maxPageBytes", Long.toString(maxPageBytes));
    m.put("limit.pagesPerHour", Long.toString(pagesPerHour));
    m.put("limit.maxMessageBytes", Long.toString(maxMessageBytes));
    m.put("limit.maxStreamsPerPeer", Long.toString(maxStreamsPerPeer));
    m.put("network.portMapping", Boolean.toString(portMapping));
    m.put("limit.opsPerMinute", Long.toString(opsPerMinute));
    m.put("limit.maxOpsPerChange", Long.toString(maxOpsPerChange));
    return m;
  }

  /**
   * Reads settings stored by {@link #toMap()}; a missing key takes its default.
   *
   * @throws InvalidSettingException for a malformed or out-of-range value
   */
  public static ResourceSettings fromMap(Map<String, String> m) {
    Map<String, String> d = DEFAULTS.toMap();
    d.putAll(m);
    return new ResourceSettings(
        bool(d, "consent.helpOthers"),
        number(d, "cap.uploadKiBps"),
        number(d, "cap.relayKiBps"),
        number(d, "cap.storageForOthersMiB"),
        number(d, "limit.changesPerMinute"),
        number(d, "limit.maxChangeBytes"),
        number(d, "limit.maxPageBytes"),
        number(d, "limit.pagesPerHour"),
        number(d, "limit.maxMessageBytes"),
        number(d, "limit.maxStreamsPerPeer"),
        bool(d, "network.portMapping"),
        number(d, "limit.opsPerMinute"),
        number(d, "limit.maxOpsPerChange"));
  }

  private static boolean bool(Map<String, String> m, String key) {
    String v = m.get(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidSettingException(key, key + " is true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static long number(Map<String, String> m, String key) {
    try {
      return Long.parseLong(m.get(key).strip());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, key + " must be a whole number");
    }
  }
}
