package livewall.flink;

import java.net.URI;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The customers database's password from Secrets Manager (the job property
 * `customers-secret-arn`), so it never sits in the application's properties. The secret is the
 * JSON that Secrets Manager generates for databases ({"username":…,"password":…}) or the
 * password alone as plain text.
 */
public final class CustomersSecret {
  private CustomersSecret() {}

  /**
   * Reads the secret once, with the default credential chain (the application's role on AWS).
   * endpoint: null on AWS; a URL for tests.
   */
  public static String password(String secretArn, String region, URI endpoint) {
    SecretsManagerClientBuilder b =
        SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    String r = region != null ? region : regionOf(secretArn);
    if (r != null) b.region(Region.of(r));
    if (endpoint != null) b.endpointOverride(endpoint);
    try (SecretsManagerClient client = b.build()) {
      String text = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build()).secretString();
      if (text == null) throw new IllegalStateException("secret " + secretArn + " holds no text (a binary secret?)");
      return passwordOf(text, secretArn);
    } catch (SdkException e) {
      // The message names the secret and the refusal, never a value.
      throw new IllegalStateException("cannot read the customers secret " + secretArn + ": " + e.getMessage(), e);
    }
  }

  /** The password in a secret's text: the "password" of a JSON object, else the whole text. */
  public static String passwordOf(String text, String secretArn) {
    String t = text.trim();
    if (!t.startsWith("{")) return text;
    JsonNode parsed;
    try {
      parsed = new ObjectMapper().readTree(t);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("secret " + secretArn + " is neither JSON nor a plain password");
    }
    JsonNode password = parsed.get("password");
    if (password == null || !password.isTextual()) {
      throw new IllegalStateException("secret " + secretArn + " is JSON without a \"password\" string");
    }
    return password.asText();
  }

  /** An ARN's region (arn:PARTITION:secretsmanager:REGION:…), or null. */
  static String regionOf(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") && !parts[3].isEmpty() ? parts[3] : null;
  }
}
