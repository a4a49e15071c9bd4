package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpServer;

/** SKELETON (i14-web): the dashboard's pages, event stream, sign-in and actions under {@code /dashboard/}. */
final class DashboardHttp implements AutoCloseable {

  private final DashboardFeed feed;
  private final String token;

  DashboardHttp(DashboardFeed feed, String token) {
    this.feed = feed;
    this.token = token;
  }

  /** Adds its contexts to {@code server}, before it starts. */
  void register(HttpServer server) {
    // i14-web
  }

  @Override
  public void close() {
    // i14-web: ends every open event stream
  }
}
