package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class AddressScopeTest {
  private static Multiaddr ma(String s) {
    return Multiaddr.parse(s);
  }

  @Test
  void classifiesAddresses() {
    assertEquals(AddressScope.LOOPBACK, AddressScope.of(ma("/ip4/127.0.0.1/tcp/1")));
    assertEquals(AddressScope.LOOPBACK, AddressScope.of(ma("/ip6/::1/tcp/1")));
    assertEquals(AddressScope.LOOPBACK, AddressScope.of(ma("/dns4/localhost/tcp/1")));
    assertEquals(AddressScope.PRIVATE, AddressScope.of(ma("/ip4/192.168.1.5/tcp/1")));
    assertEquals(AddressScope.PRIVATE, AddressScope.of(ma("/ip4/10.1.2.3/tcp/1")));
    assertEquals(AddressScope.PRIVATE, AddressScope.of(ma("/ip4/172.20.0.1/tcp/1")));
    assertEquals(AddressScope.PRIVATE, AddressScope.of(ma("/ip4/100.64.0.9/tcp/1")));
    assertEquals(AddressScope.PRIVATE, AddressScope.of(ma("/ip6/fd00::1/tcp/1")));
    assertEquals(AddressScope.PUBLIC, AddressScope.of(ma("/ip4/104.131.131.82/tcp/4001")));
    assertEquals(AddressScope.PUBLIC, AddressScope.of(ma("/ip4/100.128.0.1/tcp/1")));
    assertEquals(AddressScope.PUBLIC, AddressScope.of(ma("/dns4/example.org/tcp/1")));
    assertNull(AddressScope.of(ma("/ip4/0.0.0.0/tcp/1")));
    assertNull(AddressScope.of(ma("/ip4/169.254.1.1/tcp/1")));
    assertNull(AddressScope.of(ma("/ip6/fe80::1/tcp/1")));
    assertNull(AddressScope.of(ma("/ip4/224.0.0.251/udp/5353")));
  }

  @Test
  void aRelayedAddressHasItsRelaysScope() {
    String relay = KadTestPeers.peer(1).toString();
    assertEquals(
        AddressScope.PUBLIC,
        AddressScope.of(ma("/ip4/1.2.3.4/tcp/4001/p2p/" + relay + "/p2p-circuit")));
    assertEquals(
        AddressScope.LOOPBACK,
        AddressScope.of(ma("/ip4/127.0.0.1/tcp/4001/p2p/" + relay + "/p2p-circuit")));
  }

  @Test
  void keepsOnlyWhatIsReachableFromWhereItWasLearnt() {
    List<Multiaddr> all =
        List.of(
            ma("/ip4/127.0.0.1/tcp/1"),
            ma("/ip4/192.168.1.5/tcp/1"),
            ma("/ip4/8.8.4.4/tcp/1"),
            ma("/ip4/0.0.0.0/tcp/1"));
    assertEquals(all.subList(0, 3), AddressScope.filter(all, AddressScope.LOOPBACK, 8));
    assertEquals(all.subList(1, 3), AddressScope.filter(all, AddressScope.PRIVATE, 8));
    assertEquals(all.subList(2, 3), AddressScope.filter(all, AddressScope.PUBLIC, 8));
    assertEquals(all.subList(0, 2), AddressScope.filter(all, AddressScope.LOOPBACK, 2));
  }
}
