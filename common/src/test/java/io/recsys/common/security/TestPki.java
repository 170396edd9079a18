package io.recsys.common.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made at test time, and PEM files of certificates it signs. */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final String name;
  private final KeyPair key;
  private final X509Certificate cert;

  private TestPki(String name, KeyPair key, X509Certificate cert) {
    this.name = name;
    this.key = key;
    this.cert = cert;
  }

  /** A new self-signed CA. */
  public static TestPki ca(String name) throws GeneralSecurityException {
    KeyPair key = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    return new TestPki(name, key, sign(subject, key, subject, key, true));
  }

  /** Writes the CA certificate as PEM. */
  public Path writeCa(Path file) throws IOException, GeneralSecurityException {
    return write(file, pem("CERTIFICATE", cert.getEncoded()));
  }

  /**
   * A certificate for {@code cn} (valid for localhost and 127.0.0.1, usable by servers and clients)
   * signed by this CA, written as {@code <dir>/<cn>.crt} and {@code <dir>/<cn>.key} (PKCS#8).
   */
  public Issued issue(String cn, Path dir) throws IOException, GeneralSecurityException {
    KeyPair leaf = keyPair();
    X509Certificate c = sign(new X500Name("CN=" + cn), leaf, new X500Name("CN=" + name), key, false);
    Path crt = write(dir.resolve(cn + ".crt"), pem("CERTIFICATE", c.getEncoded()));
    Path k = write(dir.resolve(cn + ".key"), pem("PRIVATE KEY", leaf.getPrivate().getEncoded()));
    return new Issued(c, crt, k);
  }

  /** An issued certificate and the files it was written to. */
  public record Issued(X509Certificate certificate, Path cert, Path key) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** Replaces the files of {@code target} with these, as a rotation on disk does. */
    public void copyOver(Issued target) throws IOException {
      Files.copy(cert, target.cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(key, target.key, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
                                      boolean ca) throws GeneralSecurityException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
        subjectKey.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
