package org.dure.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewaysTest {
  @Test
  void linuxDefaultRouteIsReadInHostByteOrder() throws Exception {
    String route =
        """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
        wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
        """;
    assertEquals(
        Optional.of(InetAddress.getByName("192.168.1.1")), Gateways.fromProcNetRoute(route));
  }

  @Test
  void linuxWithoutDefaultRouteOrWithGarbageHasNone() {
    assertEquals(Optional.empty(), Gateways.fromProcNetRoute("Iface\tDestination\n"));
    assertEquals(
        Optional.empty(), Gateways.fromProcNetRoute("h\nx 00000000 ZZZZZZZZ 0003\nshort\n"));
    assertEquals(
        Optional.empty(),
        Gateways.fromProcNetRoute("h\neth0 00000000 0101A8C0 0001\n"),
        "no RTF_GATEWAY flag");
  }

  @Test
  void macOsNetstat() throws Exception {
    String netstat =
        """
        Routing tables

        Internet:
        Destination        Gateway            Flags               Netif Expire
        default            10.0.0.138         UGScg                 en0
        10.0.0/24          link#6             UCS                   en0      !
        """;
    assertEquals(Optional.of(InetAddress.getByName("10.0.0.138")), Gateways.fromNetstat(netstat));
    assertEquals(Optional.empty(), Gateways.fromNetstat("default link#6 UCS en0\n"));
  }

  @Test
  void windowsRoutePrintTakesTheLowestMetric() throws Exception {
    String route =
        """
        IPv4 Route Table
        ===========================================================================
        Active Routes:
        Network Destination        Netmask          Gateway       Interface  Metric
                  0.0.0.0          0.0.0.0      192.168.0.1    192.168.0.23     50
                  0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.10     25
                127.0.0.0        255.0.0.0         On-link         127.0.0.1    331
        """;
    assertEquals(Optional.of(InetAddress.getByName("192.168.1.1")), Gateways.fromRoutePrint(route));
    assertEquals(Optional.empty(), Gateways.fromRoutePrint("0.0.0.0 0.0.0.0 On-link x 5\n"));
  }

  @Test
  void onlyDottedLiteralsAreAddresses() {
    assertEquals(Optional.empty(), Gateways.ipv4("router.local"));
    assertEquals(Optional.empty(), Gateways.ipv4("300.1.1.1"));
    assertEquals(Optional.empty(), Gateways.ipv4("0.0.0.0"));
  }
}
