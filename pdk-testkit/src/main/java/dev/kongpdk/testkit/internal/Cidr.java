package dev.kongpdk.testkit.internal;

/** IPv4 CIDR matching, for trusted IPs. */
public final class Cidr {

  private Cidr() {}

  /**
   * Returns whether {@code address} is inside the IPv4 block {@code cidr}.
   *
   * @param cidr for example {@code 10.0.0.0/8}
   * @param address an IPv4 address
   * @return true when it is inside; false for anything that is not IPv4
   */
  public static boolean contains(String cidr, String address) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return false;
    }
    Long net = ipv4(cidr.substring(0, slash));
    Long ip = ipv4(address);
    if (net == null || ip == null) {
      return false;
    }
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (net & mask) == (ip & mask);
  }

  private static Long ipv4(String text) {
    String[] parts = text.split("\\.");
    if (parts.length != 4) {
      return null;
    }
    long value = 0;
    for (String p : parts) {
      try {
        int b = Integer.parseInt(p);
        if (b < 0 || b > 255) {
          return null;
        }
        value = value << 8 | b;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return value;
  }
}
