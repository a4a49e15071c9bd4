package dev.berth.samples.orders;

import dev.berth.samples.catalog.v1.CatalogGrpc;
import dev.berth.samples.catalog.v1.GetPriceRequest;
import dev.berth.samples.catalog.v1.GetPriceResponse;
import dev.berth.samples.orders.v1.OrdersGrpc;
import dev.berth.samples.orders.v1.PlaceOrderRequest;
import dev.berth.samples.orders.v1.PlaceOrderResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Places orders, priced by catalog. Thread-safe. */
final class OrdersService extends OrdersGrpc.OrdersImplBase {

  private static final long CATALOG_DEADLINE_MILLIS = 2_000;
  private static final int MAX_QUANTITY = 1_000;

  private final CatalogGrpc.CatalogBlockingStub catalog;
  private final AtomicLong nextOrder = new AtomicLong(1);
  private final int pid = (int) ProcessHandle.current().pid();

  OrdersService(CatalogGrpc.CatalogBlockingStub catalog) {
    this.catalog = catalog;
  }

  @Override
  public void placeOrder(PlaceOrderRequest request, StreamObserver<PlaceOrderResponse> response) {
    if (request.getQuantity() < 1 || request.getQuantity() > MAX_QUANTITY) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("quantity: " + request.getQuantity() + " (expected: 1.." + MAX_QUANTITY + ")")
          .asRuntimeException());
      return;
    }
    GetPriceResponse price;
    try {
      price = catalog.withDeadlineAfter(CATALOG_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
          .getPrice(GetPriceRequest.newBuilder().setSku(request.getSku()).build());
    } catch (StatusRuntimeException e) {
      response.onError(e.getStatus()
          .augmentDescription("while asking catalog for the price")
          .asRuntimeException());
      return;
    }
    response.onNext(PlaceOrderResponse.newBuilder()
        .setOrderId("o-" + nextOrder.getAndIncrement())
        .setSku(price.getSku())
        .setQuantity(request.getQuantity())
        .setTotalCents(price.getPriceCents() * request.getQuantity())
        .setServedByPid(pid)
        .build());
    response.onCompleted();
  }
}
