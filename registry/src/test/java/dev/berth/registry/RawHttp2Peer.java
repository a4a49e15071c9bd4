package dev.berth.registry;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A gRPC client written straight on HTTP/2 frames over a socket, as a client in another
 * language may behave: it sends what it likes (header blocks of any size, whatever the
 * server's SETTINGS say), which grpc-java's own client refuses to do. Unary calls only, one
 * at a time. Not thread-safe.
 */
final class RawHttp2Peer implements AutoCloseable {

  private static final int HEADERS = 1;
  private static final int DATA = 0;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int CONTINUATION = 9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int ACK = 0x1;
  private static final int MAX_FRAME = 16_384;

  /** How a call ended: its grpc-status and grpc-message, or how the server cut it off. */
  record Outcome(String how, int grpcStatus, String grpcMessage) {}

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  private int nextStream = 1;

  RawHttp2Peer(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout((int) (AttachClient.WAIT_SECONDS * 1000));
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** The server's first SETTINGS, identifier to value; call before any {@link #call}. */
  Map<Integer, Long> awaitServerSettings() throws IOException {
    while (true) {
      int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      in.readInt();
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (type == SETTINGS && (flags & ACK) == 0) {
        frame(SETTINGS, ACK, 0, new byte[0]);
        Map<Integer, Long> settings = new java.util.HashMap<>();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload);
        while (b.remaining() >= 6) {
          settings.put(b.getShort() & 0xffff, b.getInt() & 0xffffffffL);
        }
        return settings;
      }
    }
  }

  /** Calls {@code method} with {@code request} and {@code metadata}; waits for its end. */
  Outcome call(String method, byte[] request, Map<String, String> metadata) throws Exception {
    int stream = nextStream;
    nextStream += 2;
    Http2Headers headers = new DefaultHttp2Headers()
        .method("POST").scheme("http").path("/" + method).authority("localhost")
        .add("content-type", "application/grpc").add("te", "trailers");
    metadata.forEach(headers::add);
    ByteBuf block = Unpooled.buffer();
    encoder.encodeHeaders(stream, headers, block);
    byte[] bytes = new byte[block.readableBytes()];
    block.readBytes(bytes);
    for (int off = 0; off < bytes.length || off == 0; off += MAX_FRAME) {
      int len = Math.min(MAX_FRAME, bytes.length - off);
      byte[] part = java.util.Arrays.copyOfRange(bytes, off, off + len);
      boolean last = off + len >= bytes.length;
      frame(off == 0 ? HEADERS : CONTINUATION, last ? END_HEADERS : 0, stream, part);
      if (last) {
        break;
      }
    }
    byte[] message = new byte[5 + request.length]; // gRPC framing: uncompressed, length
    message[1] = (byte) (request.length >>> 24);
    message[2] = (byte) (request.length >>> 16);
    message[3] = (byte) (request.length >>> 8);
    message[4] = (byte) request.length;
    System.arraycopy(request, 0, message, 5, request.length);
    frame(DATA, END_STREAM, stream, message);
    return awaitEnd(stream);
  }

  private Outcome awaitEnd(int stream) throws Exception {
    ByteBuf block = null;
    while (true) {
      int length;
      try {
        length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      } catch (java.io.EOFException | java.net.SocketException closed) {
        return new Outcome("connection closed", -1, "");
      }
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int id = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      switch (type) {
        case SETTINGS -> {
          if ((flags & ACK) == 0) {
            frame(SETTINGS, ACK, 0, new byte[0]);
          }
        }
        case PING -> {
          if ((flags & ACK) == 0) {
            frame(PING, ACK, 0, payload);
          }
        }
        case GOAWAY -> {
          return new Outcome("goaway", -1, new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8));
        }
        case RST_STREAM -> {
          if (id == stream) {
            return new Outcome("reset", -1, "");
          }
        }
        case HEADERS, CONTINUATION -> {
          if (block == null) {
            block = Unpooled.buffer();
          }
          block.writeBytes(payload);
          if ((flags & END_HEADERS) != 0) {
            Http2Headers h = decoder.decodeHeaders(id, block);
            block = null;
            CharSequence status = h.get("grpc-status");
            if (id == stream && status != null) {
              CharSequence m = h.get("grpc-message");
              return new Outcome("trailers", Integer.parseInt(status.toString()),
                  m == null ? "" : java.net.URLDecoder.decode(m.toString().replace("+", "%2B"),
                      StandardCharsets.UTF_8));
            }
          }
        }
        default -> { } // DATA of a response, WINDOW_UPDATE: nothing to do
      }
    }
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8),
        (byte) payload.length, (byte) type, (byte) flags, (byte) (stream >>> 24),
        (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(header);
    out.write(payload);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
