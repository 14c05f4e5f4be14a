package org.dure.net.mdns;

/**
 * One entry of a DNS question section.
 *
 * @param name the name asked for, labels joined by {@code .}, without a trailing dot
 * @param type the record type, e.g. {@link DnsRecord#TYPE_PTR}
 * @param dnsClass the class as sent: in mDNS the top bit is the "unicast response" (QU) bit (RFC
 *     6762 §5.4)
 */
public record DnsQuestion(String name, int type, int dnsClass) {
  /** The QU bit of {@link #dnsClass()}. */
  public static final int UNICAST_RESPONSE_BIT = 0x8000;

  public DnsQuestion {
    DnsName.checkName(name);
    DnsRecord.checkU16("type", type);
    DnsRecord.checkU16("class", dnsClass);
  }

  /** An {@code IN} question for {@code name} and {@code type}. */
  public static DnsQuestion of(String name, int type) {
    return new DnsQuestion(name, type, DnsRecord.CLASS_IN);
  }

  /** The class without the QU bit. */
  public int classWithoutFlag() {
    return dnsClass & ~UNICAST_RESPONSE_BIT;
  }
}
