package dev.agentbrain.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards a loopback port to a real service, and can go down: while down, nothing listens on the
 * port (connections are refused) and every forwarded connection is cut, as when the service's
 * machine is unreachable. Lets a test take one client's backend away without stopping the shared
 * service.
 */
final class TcpRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  private TcpRelay(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** A relay to the host and port of {@code service} on a free loopback port, down at first. */
  static TcpRelay to(URI service) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return new TcpRelay(
          new InetSocketAddress(service.getHost(), service.getPort()), probe.getLocalPort());
    }
  }

  /** The relay's address as an HTTP base URL: {@code http://127.0.0.1:<port>}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Starts accepting and forwarding connections. */
  synchronized void up() throws IOException {
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = listening;
    Thread.ofVirtual().name("relay-accept-" + port).start(() -> accept(listening));
  }

  /** Stops listening and cuts every open connection. */
  synchronized void down() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    sockets.forEach(this::close);
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException e) {
        return; // closed by down()
      }
      sockets.add(client);
      try {
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        close(client); // the service refused: the client sees its connection drop
      }
    }
  }

  /** Copies one direction until either side closes, then closes both. */
  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // a side went away: close both below
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do for a socket that fails to close
    }
  }

  @Override
  public void close() throws IOException {
    down();
  }
}
