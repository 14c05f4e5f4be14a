package org.dure.net.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The circuit v2 {@code Reservation}: {@code expire = 1} (UTC Unix seconds), {@code addrs = 2} (the
 * relay's addresses, each with {@code /p2p/<relay>}, without {@code /p2p-circuit}), {@code voucher
 * = 3} (Dure sends none; a received one is kept but not checked: the spec calls vouchers advisory).
 *
 * @param voucher the signed envelope, or {@code null}
 */
public record Reservation(long expire, List<Multiaddr> addrs, byte[] voucher) {
  public Reservation {
    addrs = List.copyOf(addrs);
    voucher = voucher == null ? null : voucher.clone();
  }

  /** The expiry; {@link Instant#MAX} for a time past it (the wire value is an unsigned 64 bits). */
  public Instant expiry() {
    if (expire < 0 || expire > Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    return Instant.ofEpochSecond(expire);
  }

  @Override
  public byte[] voucher() {
    return voucher == null ? null : voucher.clone();
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, expire);
    for (Multiaddr a : addrs) {
      w.bytes(2, a.toBytes());
    }
    if (voucher != null) {
      w.bytes(3, voucher);
    }
    return w.toByteArray();
  }

  static Reservation decode(byte[] data) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(data);
    long expire = 0;
    List<Multiaddr> addrs = new ArrayList<>();
    byte[] voucher = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> expire = r.uint64();
        case 2 -> addrs.add(HopMessage.parseAddress(r.bytes()));
        case 3 -> voucher = r.bytes();
        default -> r.skip();
      }
    }
    addrs.removeIf(Objects::isNull);
    return new Reservation(expire, addrs, voucher);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reservation r
        && r.expire == expire
        && r.addrs.equals(addrs)
        && java.util.Arrays.equals(r.voucher, voucher);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expire, addrs);
  }
}
