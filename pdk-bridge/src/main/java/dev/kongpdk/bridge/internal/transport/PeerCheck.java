package dev.kongpdk.bridge.internal.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Checks who is on the other end of a connection, from the kernel's socket credentials
 * ({@code SO_PEERCRED}), so that only Kong's user can drive the plugin server even when the
 * socket file is group-accessible.
 */
public final class PeerCheck {

  private final String requiredUser;

  /** @param requiredUser the user name a peer must run as, or {@code null} to accept any */
  public PeerCheck(String requiredUser) {
    this.requiredUser = requiredUser;
  }

  /**
   * Returns null when the peer may connect, else the reason it may not.
   *
   * @throws IOException when the credentials cannot be read
   */
  public String reject(SocketChannel channel) throws IOException {
    if (requiredUser == null) {
      return null;
    }
    UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    String user = peer.user().getName();
    return requiredUser.equals(user)
        ? null
        : "connection from user '" + user + "' refused (only '" + requiredUser + "' may connect)";
  }
}
