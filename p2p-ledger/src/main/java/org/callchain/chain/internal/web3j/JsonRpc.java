package org.callchain.chain.internal.web3j;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * One JSON-RPC endpoint, with every failure mapped to a {@link ChainException}: a transport failure
 * is {@link Reason#UNREACHABLE} (transient), a revert carries the decoded reason, "insufficient
 * funds" is {@link Reason#UNFUNDED_ACCOUNT}.
 */
public final class JsonRpc implements AutoCloseable {
  private final String url;
  private final Web3j web3j;

  public JsonRpc(String url, Duration timeout) {
    this.url = url;
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .retryOnConnectionFailure(false)
            .build();
    this.web3j = Web3j.build(new HttpService(url, http));
  }

  public String url() {
    return url;
  }

  public Web3j web3j() {
    return web3j;
  }

  /** Sends one request; {@code what} names it in error messages ("reading the chain id"). */
  public <T extends Response<?>> T send(Request<?, T> request, String what) throws ChainException {
    T response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new ChainException(
          Reason.UNREACHABLE,
          "JSON-RPC endpoint " + url + " is unreachable (" + what + "): " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      // web3j wraps some transport failures (e.g. a closed client) in unchecked exceptions
      throw new ChainException(
          Reason.UNREACHABLE, "JSON-RPC endpoint " + url + " failed (" + what + "): " + e, e);
    }
    if (response.hasError()) {
      throw mapError(response.getError(), what);
    }
    return response;
  }

  static ChainException mapError(Response.Error error, String what) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("revert") || error.getCode() == 3) {
      String data = error.getData();
      String reason =
          data != null && data.replace("\"", "").startsWith("0x")
              ? RevertDecoder.decode(data)
              : message;
      return new ChainException(Reason.REVERTED, "contract refused (" + what + "): " + reason);
    }
    if (lower.contains("insufficient funds") || lower.contains("lack of funds")) {
      return new ChainException(
          Reason.UNFUNDED_ACCOUNT, "the sending account cannot pay for gas (" + what + ")");
    }
    return new ChainException(
        Reason.INVALID_INPUT, "JSON-RPC error (" + what + "): " + error.getCode() + " " + message);
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
