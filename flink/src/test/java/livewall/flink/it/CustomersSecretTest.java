package livewall.flink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import livewall.flink.CustomersSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;

/** The job's customers password from Secrets Manager (moto standing in), as the deployment sets it. */
class CustomersSecretTest {
  private static MotoServer moto;
  private static SecretsManagerClient admin;

  @BeforeAll
  static void start() throws Exception {
    // The job reads with the default chain; fake keys for moto through the system properties.
    System.setProperty("aws.accessKeyId", "AKIDLIVEWALLTEST");
    System.setProperty("aws.secretAccessKey", "livewall-test-secret");
    moto = MotoServer.start(Path.of("..").toAbsolutePath().normalize());
    admin =
        SecretsManagerClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(moto.endpoint))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLIVEWALLTEST", "livewall-test-secret")))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) admin.close();
    if (moto != null) moto.close();
    // The fake keys are this class's only: later tests in the same JVM see none.
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static String create(String name, String text) {
    return admin.createSecret(CreateSecretRequest.builder().name(name).secretString(text).build()).arn();
  }

  @Test
  void readsThePasswordOfAGeneratedDatabaseSecret() {
    String arn = create("livewall/warehouse", "{\"username\":\"livewall_admin\",\"password\":\"Pa55wordFromSecrets\"}");
    assertTrue(arn.startsWith("arn:aws:secretsmanager:us-east-1:"), arn);
    // The region comes from the ARN when the job has none.
    assertEquals("Pa55wordFromSecrets", CustomersSecret.password(arn, null, URI.create(moto.endpoint)));
  }

  @Test
  void readsAPlainTextSecretWhole() {
    String arn = create("livewall/plain", "just-the-password");
    assertEquals("just-the-password", CustomersSecret.password(arn, "us-east-1", URI.create(moto.endpoint)));
  }

  @Test
  void aMissingSecretNamesTheSecretAndNoValue() {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:livewall/none-AbCdEf";
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CustomersSecret.password(arn, null, URI.create(moto.endpoint)));
    assertTrue(e.getMessage().contains("livewall/none"), e.getMessage());
  }

  @Test
  void jsonWithoutAPasswordIsRefusedWithoutShowingTheSecret() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> CustomersSecret.passwordOf("{\"pass\":\"hunter2\"}", "arn:x"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }
}
