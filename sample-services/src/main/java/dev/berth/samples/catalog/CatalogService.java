package dev.berth.samples.catalog;

import dev.berth.samples.catalog.v1.CatalogGrpc;
import dev.berth.samples.catalog.v1.GetPriceRequest;
import dev.berth.samples.catalog.v1.GetPriceResponse;
import dev.berth.samples.catalog.v1.ListProductsRequest;
import dev.berth.samples.catalog.v1.ListProductsResponse;
import dev.berth.samples.catalog.v1.Product;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A fixed product list with prices. Thread-safe (immutable). */
final class CatalogService extends CatalogGrpc.CatalogImplBase {

  private static final Map<String, Product> PRODUCTS = new TreeMap<>();

  static {
    for (Product p : List.of(
        product("bagel", "Sesame bagel", 300),
        product("coffee", "Filter coffee", 420),
        product("croissant", "Butter croissant", 280),
        product("juice", "Orange juice", 390),
        product("tea", "Green tea", 350))) {
      PRODUCTS.put(p.getSku(), p);
    }
  }

  private static Product product(String sku, String name, int priceCents) {
    return Product.newBuilder().setSku(sku).setName(name).setPriceCents(priceCents).build();
  }

  @Override
  public void listProducts(ListProductsRequest request,
               StreamObserver<ListProductsResponse> response) {
    response.onNext(ListProductsResponse.newBuilder().addAllProducts(PRODUCTS.values()).build());
    response.onCompleted();
  }

  @Override
  public void getPrice(GetPriceRequest request, StreamObserver<GetPriceResponse> response) {
    Product product = PRODUCTS.get(request.getSku());
    if (product == null) {
      response.onError(Status.NOT_FOUND
          .withDescription("no product '" + request.getSku() + "' (expected one of "
              + PRODUCTS.keySet() + ")")
          .asRuntimeException());
      return;
    }
    response.onNext(GetPriceResponse.newBuilder()
        .setSku(product.getSku())
        .setPriceCents(product.getPriceCents())
        .build());
    response.onCompleted();
  }
}
