package org.callchain.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.LocalChain;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.RegistryAdmin;
import org.web3j.crypto.Credentials;

/**
 * The demo's chain: a local Anvil with the contracts deployed from its first development account
 * (admin and registrar), which registers and revokes the demo's devices and gives each device ether
 * for the gas of its anchors. Reads anchors back from the chain's events, independently of the
 * nodes.
 */
public final class DemoChain implements AutoCloseable {
  private static final Duration RPC = Duration.ofSeconds(30);

  /** 10 ether, in wei: far more than a demo's anchors cost. */
  private static final String DEVICE_BALANCE = "0x8ac7230489e80000";

  private final LocalChain anvil;
  private final Deployment deployment;
  private final ChainConnection connection;
  private final RegistryAdmin registrar;
  private final HttpClient http = HttpClient.newHttpClient();

  private DemoChain(LocalChain anvil, Deployment deployment, ChainConnection connection) {
    this.anvil = anvil;
    this.deployment = deployment;
    this.connection = connection;
    this.registrar =
        Chains.registryAdmin(connection, Credentials.create(anvil.devPrivateKeys().get(0)));
  }

  /** Starts Anvil with {@code blockTime} blocks and deploys the contracts. */
  public static DemoChain start(Duration blockTime, Path dataDir) throws ChainException {
    LocalChain anvil = Chains.startAnvil(blockTime, ChainConfig.ANVIL_CHAIN_ID, Optional.empty());
    try {
      Deployment d =
          Chains.deploy(
              anvil.rpcUrl(),
              anvil.chainId(),
              Credentials.create(anvil.devPrivateKeys().get(0)),
              List.of(),
              RPC);
      ChainConnection c =
          Chains.connect(
              ChainConfig.defaults(dataDir)
                  .withRemote(URI.create(anvil.rpcUrl()), anvil.chainId(), d.contracts()));
      return new DemoChain(anvil, d, c);
    } catch (ChainException | RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  public String rpcUrl() {
    return anvil.rpcUrl();
  }

  public long chainId() {
    return anvil.chainId();
  }

  public DeviceAddress registry() {
    return deployment.contracts().registry();
  }

  public DeviceAddress anchor() {
    return deployment.contracts().anchor();
  }

  public long blockNumber() throws ChainException {
    return connection.blockNumber();
  }

  /** Registers {@code device} with its SIP identity; returns the transaction hash once mined. */
  public String register(String device, String sipIdentity) throws ChainException {
    return registrar.register(DeviceAddress.parse(device), sipIdentity);
  }

  /** Revokes {@code device}; returns the transaction hash once mined. */
  public String revoke(String device) throws ChainException {
    return registrar.revoke(DeviceAddress.parse(device));
  }

  /** Every device in the registry, read from the chain now. */
  public List<DeviceRecord> devices() throws ChainException {
    return Chains.listDevices(connection);
  }

  /** Every {@code Anchored} event of {@code device}, oldest first. */
  public List<OnChainAnchor> anchors(String device) throws ChainException {
    return Chains.anchorHistory(connection, DeviceAddress.parse(device), 0);
  }

  /**
   * Gives {@code device} ether for gas, with Anvil's {@code anvil_setBalance} (a development
   * chain's faucet; a real chain's operator funds device accounts their own way).
   */
  public void fund(String device) throws IOException, InterruptedException {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\""
            + DeviceAddress.parse(device).hex()
            + "\",\""
            + DEVICE_BALANCE
            + "\"]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
            .timeout(RPC)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode answer = new ObjectMapper().readTree(response.body());
    if (answer.has("error")) {
      throw new IOException("anvil_setBalance failed: " + answer.get("error"));
    }
  }

  @Override
  public void close() {
    connection.close();
    anvil.close();
  }
}
